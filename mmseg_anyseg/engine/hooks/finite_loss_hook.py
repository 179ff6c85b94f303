"""Stop a training at its first non-finite loss, with the terms and a likely cause."""
from typing import Optional

import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmseg.registry import HOOKS

ZERO_FILL_HINT = (
    ' The student is trained on zero-filled modalities: from a random initialisation with '
    'zero biases (mmseg MiT init, no pretrained weights) a zero image gives exactly constant '
    'activations, every LayerNorm multiplies their gradient by 1/sqrt(eps), and the first step '
    'that drops a modality overflows. Start the student from pretrained weights, or train '
    "with fill='drop'.")


@HOOKS.register_module()
class FiniteLossHook(Hook):
    """Raise ``FloatingPointError`` at the first iteration whose loss is NaN or infinite.

    Without it a training whose weights became NaN runs to its end and saves NaN
    checkpoints. The error names the iteration and the non-finite terms, and the
    likely cause where the model's pre-processor zero-fills dropped modalities.
    """

    priority = 'VERY_HIGH'

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs: Optional[dict] = None) -> None:
        if not outputs or bool(torch.isfinite(torch.as_tensor(outputs['loss'])).all()):
            return
        terms = [name for name, value in outputs.items()
                 if 'loss' in name and not bool(torch.isfinite(torch.as_tensor(value)).all())]
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        dropout = getattr(model.data_preprocessor, 'modality_dropout', None) or {}
        hint = ZERO_FILL_HINT if dropout.get('fill') == 'zero' else ''
        raise FloatingPointError(f'iteration {runner.iter + 1}: non-finite {", ".join(terms)}; '
                                 f'stopping before the weights are saved.{hint}')
