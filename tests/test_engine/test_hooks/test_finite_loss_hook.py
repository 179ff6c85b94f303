from types import SimpleNamespace

import pytest
import torch

from mmseg_anyseg.engine import FiniteLossHook


def runner_with(fill: str) -> SimpleNamespace:
    preprocessor = SimpleNamespace(modality_dropout=dict(type='size_uniform', fill=fill))
    return SimpleNamespace(iter=1, model=SimpleNamespace(data_preprocessor=preprocessor))


def test_finite_losses_pass_and_the_first_nan_is_named():
    hook = FiniteLossHook()
    finite = dict(loss=torch.tensor(3.0), **{'decode.loss_ce': torch.tensor(3.0)})
    hook.after_train_iter(runner_with('drop'), 0, outputs=finite)
    nan = dict(loss=torch.tensor(float('nan')), loss_hpdm=torch.tensor(1.0),
               loss_rrm=torch.tensor(float('inf')), **{'decode.acc_seg': torch.tensor(0.0)})
    with pytest.raises(FloatingPointError, match=r'iteration 2: non-finite loss, loss_rrm;') as e:
        hook.after_train_iter(runner_with('drop'), 0, outputs=nan)
    assert 'zero-filled' not in str(e.value)
    with pytest.raises(FloatingPointError, match="zero-filled.*fill='drop'"):
        hook.after_train_iter(runner_with('zero'), 0, outputs=nan)
