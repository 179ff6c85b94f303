"""Make mmengine checkpoints loadable under ``torch.load(weights_only=True)``.

Since torch 2.6, :func:`torch.load` defaults to ``weights_only=True``, which
only unpickles tensors, containers and primitive types plus the globals
registered with :func:`torch.serialization.add_safe_globals`. mmengine 0.10.7
writes checkpoints that also carry its ``HistoryBuffer`` (in the message hub)
and numpy arrays and scalars (logged values, the random seed), so
``tools/test.py``, ``load_from`` and ``--resume`` fail on the checkpoints the
same mmengine just wrote.

:func:`register_checkpoint_safe_globals` allow-lists exactly those types and
nothing else: a checkpoint that carries any other object still fails with
torch's own ``UnpicklingError``; arbitrary pickles are never loaded.

mmengine's ``HistoryBuffer`` pickles its statistics methods as
``getattr(HistoryBuffer, 'mean')``. Allow-listing the builtin ``getattr`` would
let a checkpoint reach any attribute of any allowed object, so the name
``builtins.getattr`` is bound instead to :func:`history_buffer_getattr`, which
resolves only those statistics methods and refuses everything else.
"""
import pickle
from typing import Callable, List

import numpy as np
import torch
from mmengine.logging import HistoryBuffer

__all__ = [
    'MMENGINE_CHECKPOINT_SAFE_GLOBALS', 'history_buffer_getattr', 'register_checkpoint_safe_globals'
]


def _numpy_globals() -> List[object]:
    """Numpy callables and classes a pickled ``ndarray`` or scalar refers to."""
    # The array reconstructor lives in ``numpy.core`` on numpy 1.x and in
    # ``numpy._core`` on numpy 2.x; pickles name it by its module path.
    if np.lib.NumpyVersion(np.__version__) >= '2.0.0':
        multiarray = np._core.multiarray
    else:
        multiarray = np.core.multiarray
    reconstruct, scalar = multiarray._reconstruct, multiarray.scalar
    dtype_classes = [
        type(np.dtype(name)) for name in (
            'bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16',
            'uint32', 'uint64', 'float16', 'float32', 'float64')
    ]
    return [reconstruct, scalar, np.ndarray, np.dtype, *dtype_classes]


#: Statistics methods every HistoryBuffer registers (``_set_default_statistics``).
_HISTORY_BUFFER_STATISTICS = frozenset({'min', 'max', 'mean', 'current'})


def history_buffer_getattr(obj: object, name: str) -> Callable:
    """``getattr`` restricted to the statistics methods of ``HistoryBuffer``.

    Raises:
        pickle.UnpicklingError: any other object or attribute.
    """
    allowed = _HISTORY_BUFFER_STATISTICS | set(HistoryBuffer._statistics_methods)
    if obj is not HistoryBuffer or name not in allowed or not callable(
            getattr(HistoryBuffer, name, None)):
        raise pickle.UnpicklingError(
            f'checkpoint asks for getattr({obj!r}, {name!r}); only the statistics methods of '
            "mmengine's HistoryBuffer may be resolved while loading weights")
    return getattr(HistoryBuffer, name)


MMENGINE_CHECKPOINT_SAFE_GLOBALS: List[object] = [
    HistoryBuffer, (history_buffer_getattr, 'builtins.getattr'), *_numpy_globals()
]


def register_checkpoint_safe_globals() -> None:
    """Allow-list the types that mmengine's own checkpoints contain.

    Idempotent. Does nothing on torch versions without
    :func:`torch.serialization.add_safe_globals` (torch < 2.4), where
    ``torch.load`` does not default to ``weights_only=True`` anyway.
    """
    add_safe_globals = getattr(torch.serialization, 'add_safe_globals', None)
    if add_safe_globals is None:
        return
    registered = torch.serialization.get_safe_globals()
    missing = [obj for obj in MMENGINE_CHECKPOINT_SAFE_GLOBALS if obj not in registered]
    if missing:
        add_safe_globals(missing)
