"""Stop a training whose ``load_from`` checkpoint fills too little of the trained model."""
from typing import List, Mapping, Optional

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmseg.registry import HOOKS
from torch import Tensor, nn

from ...checkpoint.mismatch import mismatch_report


@HOOKS.register_module()
class LoadFromCoverageHook(Hook):
    """Raise ``ValueError`` when ``load_from`` fills under ``min_fraction`` of the weights.

    mmengine loads ``load_from`` with ``strict=False`` and only logs the keys that did not
    match, so a checkpoint written by another model class (a segmentor's checkpoint given to
    a distiller, keys under another prefix) starts the training from the random
    initialisation it meant to replace, and nothing fails. This hook counts, by number of
    elements, the trainable parameters the load left unfilled (a frozen teacher is loaded
    from its own checkpoint and does not count) and stops before the first iteration when
    too few were filled. Tensors skipped for a shape mismatch (a new number of classes) are
    reported by mmengine and do not count here as missing. A resumed training is not
    checked: it loads its own checkpoint. The message says what the checkpoint looks like
    against what the config builds, and the likely fix (:func:`mismatch_report`).

    ``tools/train.py`` adds it to every training that starts from ``load_from``; other
    entry points list it in ``custom_hooks``.

    Args:
        min_fraction (float): The smallest fraction of the trainable parameters' elements
            that the checkpoint must fill. Defaults to 0.5.
    """

    priority = 'VERY_HIGH'

    def __init__(self, min_fraction: float = 0.5) -> None:
        if not 0.0 < min_fraction <= 1.0:
            raise ValueError(f'min_fraction must be in (0, 1], got {min_fraction}')
        self.min_fraction = min_fraction
        self._handle = None
        self._state: Mapping[str, Tensor] = {}

    def before_run(self, runner) -> None:
        if not runner.cfg.get('load_from') or runner.cfg.get('resume', False):
            return
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        source, config = runner.cfg.load_from, runner.cfg.filename

        def check(module: nn.Module, incompatible) -> None:
            self.check(module, incompatible.missing_keys, source, config)

        self._handle = model.register_load_state_dict_post_hook(check)

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        if self._handle is not None:
            self._state = checkpoint.get('state_dict', checkpoint)

    def before_train(self, runner) -> None:
        if self._handle is not None:
            self._handle.remove()
            self._handle = None
        self._state = {}

    def check(self, model: nn.Module, missing_keys: List[str], source: Optional[str],
              config: Optional[str] = None) -> None:
        """Raise if ``missing_keys`` leave under ``min_fraction`` of the trained elements.

        Args:
            model (nn.Module): The model the checkpoint was loaded into.
            missing_keys (list[str]): The model's keys the checkpoint did not fill.
            source (str, optional): The checkpoint's path, for the message.
            config (str, optional): The config's path, for the message.
        """
        missing = set(missing_keys)
        trained = {name: p.numel() for name, p in model.named_parameters() if p.requires_grad}
        total = sum(trained.values())
        unfilled = [name for name in trained if name in missing]
        filled = total - sum(trained[name] for name in unfilled)
        if total == 0 or filled / total >= self.min_fraction:
            return
        report = mismatch_report(model.state_dict(), self._state, source, config) or ''
        more = ', ...' if len(unfilled) > 3 else ''
        raise ValueError(
            f'load_from={source!r} fills {filled} of the {total} trainable parameter elements '
            f'of {type(model).__name__} ({100.0 * filled / total:.1f}%, under '
            f'{100.0 * self.min_fraction:.0f}%), so the training would start mostly from its '
            f'random initialisation (unfilled: {", ".join(unfilled[:3])}{more}). {report}')
