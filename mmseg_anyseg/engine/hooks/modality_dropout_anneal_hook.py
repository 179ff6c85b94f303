"""Anneal the anymodal dropout towards the full set late in training."""
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmseg.registry import HOOKS

LOG_KEY = 'train/dropout_share'


@HOOKS.register_module()
class ModalityDropoutAnnealHook(Hook):
    """Lower the share of samples that go through the anymodal dropout, linearly.

    Up to ``start`` (a fraction of the training's ``max_iters``) every training sample
    draws its kept modalities as the pre-processor's ``modality_dropout`` says; from
    ``start`` to ``end`` the share of samples that draw falls linearly to 0, and the
    others keep every modality they have; after ``end`` training sees only full sets. A
    student that trails its teacher on the full set can so spend the end of its schedule
    there. Fractions, not iterations, so that the schedule follows a changed budget.

    With ``b = start * max_iters`` and ``e = end * max_iters``, the share of iteration
    ``i`` (0-based) is ``clip((e - i) / (e - b), 0, 1)``. It is set on the
    pre-processor's ``dropout_share`` before the step, from the iteration alone, so a
    resumed training draws as the uninterrupted one would, and logged as
    ``dropout_share``.

    Args:
        start: The fraction of the training at which the share starts to fall, in
            ``[0, 1)``.
        end: The fraction at which it reaches 0, in ``(start, 1]``.
    """

    priority = 'NORMAL'

    def __init__(self, start: float, end: float = 1.0) -> None:
        if not 0.0 <= start < end <= 1.0:
            raise ValueError(f'{type(self).__name__}: start={start}, end={end}; expected '
                             '0 <= start < end <= 1 (fractions of max_iters)')
        self.start = start
        self.end = end

    def before_train(self, runner) -> None:
        """Check that the model has a dropout to anneal."""
        preprocessor = self._preprocessor(runner)
        if getattr(preprocessor, 'modality_dropout', None) is None:
            raise ValueError(f'{type(self).__name__}: the model\'s data_preprocessor '
                             f'({type(preprocessor).__name__}) has no modality_dropout '
                             'to anneal; set model.data_preprocessor.modality_dropout')

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        """Set this iteration's share on the pre-processor and log it."""
        begin, end = self.start * runner.max_iters, self.end * runner.max_iters
        share = min(max((end - runner.iter) / (end - begin), 0.0), 1.0)
        self._preprocessor(runner).dropout_share = share
        runner.message_hub.update_scalar(LOG_KEY, share)

    @staticmethod
    def _preprocessor(runner):
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        return model.data_preprocessor
