"""Carry the training processes' torch random state through checkpoints."""
import logging
from typing import Dict, List, Optional

import torch
from mmengine.dist import all_gather_object, get_rank, get_world_size
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmseg.registry import HOOKS

META_KEY = 'torch_random_states'


def _current_state() -> Dict[str, object]:
    state = {'cpu': torch.get_rng_state()}
    if torch.cuda.is_available():
        state['cuda'] = torch.cuda.get_rng_state_all()
    return state


def _set_state(state: Dict[str, object]) -> None:
    torch.set_rng_state(state['cpu'].cpu())
    if 'cuda' in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all([s.cpu() for s in state['cuda']])


@HOOKS.register_module()
class RandomStateHook(Hook):
    """Resume a training with the random draws it would have made uninterrupted.

    mmengine's ``--resume`` restores the model, optimizer, schedulers, iteration and
    the data order (it replays the skipped batches, so the pipeline's numpy draws
    come back to the same point), but not torch's global generator, from which the
    model draws during a step: the anymodal dropout's modality masks, drop path,
    RobustSeg's perturbations. A resumed training therefore drops other modalities
    than the killed one would have, and its loss curve departs from it at once.

    This hook stores every process's torch generator state (CPU and, where present,
    each CUDA device) in the checkpoint's ``meta`` and sets it back at the first
    iteration after resuming, once the data loader has been advanced. Only the
    generator of the training processes is carried: data loader workers and the
    sampler are reseeded by mmengine already. A checkpoint loaded with ``load_from``
    (fine-tuning, iteration 0) is not affected, nor is one saved with another number
    of processes (a warning says that its draws start afresh).
    """

    # Before CheckpointHook (VERY_LOW), so that the states are gathered when it saves.
    priority = 'LOW'

    def __init__(self) -> None:
        self._gathered: Optional[List[Dict[str, object]]] = None
        self._resumed: Optional[Dict[str, object]] = None
        self._resumed_iter: Optional[int] = None

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        """Under ``torch.distributed``, gather every process's state after each step.

        Only rank 0 writes checkpoints (and calls ``before_save_checkpoint``), so the
        other processes' states are collected here, on all ranks, beforehand: one
        ``all_gather_object`` of about 5 KB per process and iteration.
        """
        if get_world_size() > 1:
            self._gathered = all_gather_object(_current_state())

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Add the states of all processes, in rank order, to ``checkpoint['meta']``."""
        states = self._gathered if get_world_size() > 1 else [_current_state()]
        checkpoint.setdefault('meta', {})[META_KEY] = states

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Keep this process's saved state until the resumed loop reaches its iteration."""
        states = checkpoint.get('meta', {}).get(META_KEY)
        if states is None:
            return
        if len(states) != get_world_size():
            print_log(f'{type(self).__name__}: the checkpoint holds the random states of '
                      f'{len(states)} processes, this run has {get_world_size()}; the random '
                      'draws start afresh', logger='current', level=logging.WARNING)
            return
        self._resumed = states[get_rank()]
        self._resumed_iter = checkpoint['meta'].get('iter')

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        """At the first iteration of a resumed training, set the saved generator state."""
        if self._resumed is not None and runner.iter == self._resumed_iter:
            _set_state(self._resumed)
        self._resumed = None
