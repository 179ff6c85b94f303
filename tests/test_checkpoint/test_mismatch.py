"""A checkpoint that does not fit its config explains itself in one message."""
import pytest
import torch
from mmengine.runner import save_checkpoint
from mmseg.registry import MODELS

from mmseg_anyseg.checkpoint.mismatch import describe_weights, mismatch_report
from mmseg_anyseg.models import load_predicting_weights
from tests.helpers import anymodal_model


def build(embed_dims: int = 8, num_classes: int = 25):
    cfg = anymodal_model(embed_dims=embed_dims)
    cfg['decode_head']['num_classes'] = num_classes
    return MODELS.build(cfg)


def test_what_a_state_dict_holds_is_read_from_its_keys():
    state = build(16, 19).state_dict()
    assert describe_weights(state).startswith('backbone stage widths [16, 16, 32, 32], 19 classes')
    distiller = {f'student.{k}': v for k, v in state.items()}
    assert describe_weights(distiller).startswith(
        'a distiller checkpoint (a student inside, keys student.*), backbone stage widths')
    assert mismatch_report(state, state, 'a.pth', 'a.py') is None


def test_the_message_names_files_shapes_examples_and_the_fix(tmp_path):
    model = build(8)
    wider = build(16).state_dict()
    message = mismatch_report(model.state_dict(), wider, 'wide.pth', 'narrow.py')
    assert message.startswith('checkpoint wide.pth does not fit config narrow.py: the checkpoint '
                              'is backbone stage widths [16, 16, 32, 32]')
    assert 'the config builds backbone stage widths [8, 8, 16, 16]' in message
    assert 'of another shape (backbone.layers.0.0.projection.weight (16, 3, 7, 7) vs (8, 3, 7, 7)' \
        in message and message.endswith('Likely fix: the backbones differ (another MiT size?): '
                                         'use the config the checkpoint was trained with.')
    other_classes = build(8, 19).state_dict()
    assert 'Likely fix: the heads differ' in mismatch_report(model.state_dict(), other_classes,
                                                             'c.pth', 'c.py')
    # A distiller checkpoint given where a plain model's is expected (e.g. as a teacher).
    path = str(tmp_path / 'distiller.pth')
    save_checkpoint(dict(state_dict={f'student.{k}': v for k, v in model.state_dict().items()}),
                    path)
    with pytest.raises(ValueError, match=(r'is a distiller checkpoint .* \d+ missing \(.*, \.\.\.\); '
                                          r'\d+ unexpected \(student\.')):
        load_predicting_weights(build(8), path, 'pml.py', student_inside=False)
    # ... but its student loads where a student is expected.
    load_predicting_weights(build(8), path, 'student.py')
    with pytest.raises(ValueError, match='Likely fix: it is a distiller checkpoint: give it with '
                       'the distiller'):
        load_predicting_weights(build(8), path, 'pml.py', student_inside=False)
    fitted = build(8)
    load_predicting_weights(fitted, path, 'student.py')
    for key, value in model.state_dict().items():
        assert torch.equal(fitted.state_dict()[key], value)
