"""Inference API, student extraction and the demo tool on a tiny distiller."""
import glob
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.runner import save_checkpoint
from mmseg.registry import MODELS

from mmseg_anyseg.apis import inference_anymodal, init_anymodal_model
from tests.conftest import REPO_ROOT
from tests.helpers import PAPER_EQUATION_LOSSES, anymodal_model, anymodal_preprocessor, pipelines


def write_distiller(tmp_path, data_root):
    teacher = dict(model=anymodal_model(embed_dims=16, size=(32, 32)), default_scope='mmseg')
    Config(teacher).dump(str(tmp_path / 'teacher.py'))
    torch.manual_seed(0)
    save_checkpoint(dict(state_dict=MODELS.build(teacher['model']).state_dict()),
                    str(tmp_path / 'teacher.pth'))
    model = dict(type='AnySegDistiller',
                 data_preprocessor=anymodal_preprocessor(size=(32, 32),
                                                         modality_dropout=dict(type='subset')),
                 student=anymodal_model(size=(32, 32)),
                 teacher=dict(config=str(tmp_path / 'teacher.py'),
                              checkpoint=str(tmp_path / 'teacher.pth')),
                 distill_losses=PAPER_EQUATION_LOSSES)
    loader = dict(dataset=dict(type='DELIVERDataset', data_root=data_root, split='val',
                               pipeline=pipelines(train=False)))
    cfg = Config(dict(model=model, default_scope='mmseg', test_dataloader=loader,
                      custom_imports=dict(imports=['mmseg_anyseg'])))
    cfg.dump(str(tmp_path / 'distiller.py'))
    distiller = MODELS.build(model)
    save_checkpoint(dict(state_dict=distiller.state_dict(),
                         meta=dict(dataset_meta=dict(classes=['c'] * 25,
                                                     palette=[[i, i, i] for i in range(25)]))),
                    str(tmp_path / 'distiller.pth'))
    return distiller


def frame_files(data_root, modalities):
    rgb = sorted(glob.glob(osp.join(data_root, 'img', 'night', 'val', '*', '*.png')))[0]
    folders = dict(rgb='img', depth='depth', event='event', lidar='lidar')
    return {m: rgb.replace('/img/', f'/{folders[m]}/').replace('_rgb_', f'_{m}_')
            for m in modalities}


def test_distiller_checkpoint_predicts_with_the_student_alone(tmp_path, synthetic_deliver):
    distiller = write_distiller(tmp_path, synthetic_deliver).eval()
    model = init_anymodal_model(str(tmp_path / 'distiller.py'), str(tmp_path / 'distiller.pth'))
    assert type(model).__name__ == 'AnymodalEncoderDecoder'
    assert model.data_preprocessor.modality_dropout is None
    for key, value in model.state_dict().items():
        assert torch.equal(value, distiller.student.state_dict()[key])
    files = frame_files(synthetic_deliver, ('depth', 'lidar'))
    result = inference_anymodal(model, files)
    assert result.modality_present == (False, True, False, True)
    assert result.pred_sem_seg.data.shape == (1, 32, 32)
    every = inference_anymodal(model, files, subsets='all')
    assert every.subset_pred_sem_seg.data.shape == (15, 32, 32)
    assert every.subset_valid[every.subset_names.index('R')] is False
    assert torch.equal(every.subset_pred_sem_seg.data[every.subset_names.index('DL')].long(),
                       result.pred_sem_seg.data[0])


def test_extract_student_and_demo_tool(tmp_path, synthetic_deliver):
    write_distiller(tmp_path, synthetic_deliver)
    student = str(tmp_path / 'student.pth')
    subprocess.run([sys.executable, 'tools/model_converters/extract_student.py',
                    str(tmp_path / 'distiller.pth'), student], cwd=REPO_ROOT, check=True)
    state = torch.load(student)['state_dict']
    assert state and not any(k.startswith(('student.', 'connectors.')) for k in state)
    files = frame_files(synthetic_deliver, ('rgb', 'depth', 'event', 'lidar'))
    out = str(tmp_path / 'subsets.png')
    label = files['rgb'].replace('/img/', '/semantic/').replace('_rgb_front', '_semantic_front')
    cmd = [sys.executable, 'tools/anymodal_demo.py', str(tmp_path / 'distiller.py'), student,
           '--out', out, '--all-subsets', '--label', label] + [
               a for m, f in files.items() for a in ('--input', f'{m}={f}')]
    subprocess.run(cmd, cwd=REPO_ROOT, check=True, capture_output=True)
    with open(out, 'rb') as f:
        assert f.read(4) == b'\x89PNG'


@pytest.mark.parametrize('config_subsets', [None, 'all'])
def test_the_subsets_argument_is_followed_whatever_the_config_says(tmp_path, synthetic_deliver,
                                                                   config_subsets):
    """None predicts the given set only; 'all', a size and a list predict those subsets
    (a regression: a copied test_cfg edited after assignment was ignored, 15 subsets each time)."""
    write_distiller(tmp_path, synthetic_deliver)
    cfg = Config.fromfile(str(tmp_path / 'distiller.py'))
    cfg.model.student.test_cfg = dict(mode='whole', subsets=config_subsets)
    cfg.dump(str(tmp_path / 'distiller_subsets.py'))
    model = init_anymodal_model(str(tmp_path / 'distiller_subsets.py'),
                                str(tmp_path / 'distiller.pth'))
    files = frame_files(synthetic_deliver, ('rgb', 'depth', 'event', 'lidar'))
    before = dict(model.test_cfg)
    given = inference_anymodal(model, files)
    assert 'subset_pred_sem_seg' not in given and given.pred_sem_seg.data.shape == (1, 32, 32)
    assert len(inference_anymodal(model, files, subsets='all').subset_names) == 15
    pairs = inference_anymodal(model, files, subsets=2)
    assert pairs.subset_names == ['RD', 'RE', 'RL', 'DE', 'DL', 'EL']
    listed = inference_anymodal(model, files, subsets=['R', 'DL'])
    assert listed.subset_names == ['R', 'DL']
    assert listed.subset_pred_sem_seg.data.shape == (2, 32, 32)
    assert dict(model.test_cfg) == before  # the model's own test_cfg is left as it was


def test_the_demo_reads_a_label_as_the_dataset_does(synthetic_deliver):
    """DELIVER stores class id + 1 in the red channel: the demo's ground truth is the class ids
    that the dataset's own pipeline gives for that frame."""
    import importlib.util

    from mmseg.registry import DATASETS
    spec = importlib.util.spec_from_file_location('demo', f'{REPO_ROOT}/tools/anymodal_demo.py')
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    dataset = DATASETS.build(dict(type='DELIVERDataset', data_root=synthetic_deliver, split='val',
                                  pipeline=[dict(type='LoadMultiModalAnnotations')]))
    sample = dataset[0]
    label = demo.read_label(dict(type='DELIVERDataset'), sample['seg_map_path'])
    assert np.array_equal(label, sample['gt_seg_map'])
