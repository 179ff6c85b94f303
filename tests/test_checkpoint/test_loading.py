"""mmengine checkpoints load under torch.load(weights_only=True); nothing else does."""
import os
import os.path as osp
import pickle

import pytest
import torch
from mmengine.config import Config
from mmengine.logging import HistoryBuffer
from mmengine.runner import Runner, load_checkpoint

from mmseg_anyseg.checkpoint.loading import UntrustedCheckpointError, history_buffer_getattr
from tests.helpers import TINY_MIT, runner_cfg, segformer_head


def stock_segformer() -> dict:
    """A stock mmseg EncoderDecoder (MiT + SegFormer head), RGB only."""
    return dict(type='EncoderDecoder',
                data_preprocessor=dict(type='SegDataPreProcessor', mean=[120.0, 110.0, 100.0],
                                       std=[60.0, 55.0, 50.0], size=(32, 32), pad_val=0,
                                       seg_pad_val=255),
                backbone=dict(TINY_MIT, type='MixVisionTransformer'),
                decode_head=segformer_head(), train_cfg=dict(), test_cfg=dict(mode='whole'))


@pytest.mark.slow
def test_runner_checkpoint_loads_for_test_and_resume(tmp_path, synthetic_deliver):
    evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
    cfg = runner_cfg(str(tmp_path), synthetic_deliver, stock_segformer(), max_iters=2,
                     modalities=('rgb', ), evaluator=evaluator)
    runner = Runner.from_cfg(Config(cfg))
    runner.train()
    ckpt = osp.join(str(tmp_path), 'iter_2.pth')
    assert torch.__version__ >= '2.6'
    # The default torch.load is weights_only=True: the history buffers and
    # numpy values that mmengine stored in the checkpoint must be allowed.
    loaded = torch.load(ckpt)
    assert 'message_hub' in loaded and loaded['meta']['iter'] == 2

    test_runner = Runner.from_cfg(Config(dict(cfg, load_from=ckpt)))
    metrics = test_runner.test()
    assert 'mIoU' in metrics

    resumed = Runner.from_cfg(Config(dict(runner_cfg(
        str(tmp_path), synthetic_deliver, stock_segformer(), max_iters=4, modalities=('rgb', ),
        evaluator=evaluator), resume=True)))
    resumed.train()
    assert resumed.iter == 4
    assert resumed.message_hub.get_info('iter') is not None


class Payload:
    """An arbitrary object that must never be unpickled from a checkpoint."""


class SystemCall:
    """Unpickles into a shell command."""

    def __reduce__(self):
        return os.system, ('echo pwned',)


class AttributeSmuggler:
    """Unpickles through ``getattr`` into something that is not a statistic."""

    def __reduce__(self):
        return getattr, (HistoryBuffer, 'register_statistics')


@pytest.mark.parametrize('foreign', [Payload(), SystemCall(), AttributeSmuggler()])
def test_checkpoint_with_foreign_object_is_refused(tmp_path, foreign):
    path = str(tmp_path / 'evil.pth')
    torch.save(dict(state_dict=dict(weight=torch.zeros(1, 1), bias=torch.zeros(1)),
                    meta=dict(extra=foreign)), path)
    with pytest.raises(UntrustedCheckpointError) as info:
        load_checkpoint(torch.nn.Linear(1, 1), path)
    message = str(info.value)
    assert path in message and 'does not load' in message
    assert 'weights_only=False' not in message and 'trust' not in message.replace(
        'trusted environment', '')
    if not isinstance(foreign, AttributeSmuggler):
        assert type(foreign).__name__ in message or 'system' in message
    else:
        assert 'register_statistics' in message


def test_restricted_getattr_resolves_history_buffer_statistics_only():
    assert history_buffer_getattr(HistoryBuffer, 'mean') is HistoryBuffer.mean
    with pytest.raises(pickle.UnpicklingError, match='__init__'):
        history_buffer_getattr(HistoryBuffer, '__init__')
    with pytest.raises(pickle.UnpicklingError):
        history_buffer_getattr(os, 'system')


def test_truncated_checkpoint_names_the_file_and_the_cause(tmp_path):
    from mmseg_anyseg.checkpoint import CorruptCheckpointError, load_local_checkpoint
    path = str(tmp_path / 'iter_2.pth')
    torch.save({'state_dict': {'w': torch.ones(64, 64)}}, path)
    with open(path, 'rb') as f:
        data = f.read()
    with open(path, 'wb') as f:
        f.write(data[:len(data) // 2])
    with pytest.raises(CorruptCheckpointError, match=r'iter_2\.pth .*truncated'):
        load_local_checkpoint(path)
    with pytest.raises(CorruptCheckpointError, match='not a torch checkpoint'):
        load_checkpoint(torch.nn.Linear(1, 1), path)  # mmengine's loader goes through it


def test_checkpoint_with_nan_weights_is_refused_unless_asked_for(tmp_path, monkeypatch):
    """Every loader goes through load_local_checkpoint (tools/test.py, load_from, the teacher,
    the demo and the export): a diverged checkpoint is refused with its file, count and names,
    also through mmengine's own load_checkpoint; ANYSEG_ALLOW_NON_FINITE=1 loads it with a
    warning."""
    from mmengine.runner import load_checkpoint

    from mmseg_anyseg.checkpoint import NonFiniteCheckpointError, load_local_checkpoint
    path = str(tmp_path / 'diverged.pth')
    state = {'backbone.a': torch.full((2, ), float('nan')), 'backbone.b': torch.ones(2),
             'head.c': torch.tensor([1.0, float('inf')]), 'steps': torch.tensor([3])}
    torch.save({'state_dict': state}, path)
    message = r'diverged\.pth: 2 of 4 tensors hold NaN or Inf \(backbone\.a, head\.c\)'
    with pytest.raises(NonFiniteCheckpointError, match=message + '.*ANYSEG_ALLOW_NON_FINITE=1'):
        load_local_checkpoint(path)
    with pytest.raises(NonFiniteCheckpointError, match=message):
        load_checkpoint(torch.nn.Linear(1, 1), path)
    monkeypatch.setenv('ANYSEG_ALLOW_NON_FINITE', '1')
    with pytest.warns(UserWarning, match=message + '.* Loaded because'):
        loaded = load_local_checkpoint(path)
    assert torch.isnan(loaded['state_dict']['backbone.a']).all()
    monkeypatch.delenv('ANYSEG_ALLOW_NON_FINITE')
    torch.save({'state_dict': {'w': torch.ones(2)}}, path)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        load_local_checkpoint(path)
