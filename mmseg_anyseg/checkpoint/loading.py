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
import os
import os.path as osp
import pickle
import warnings
from typing import Any, Callable, List, Optional

import numpy as np
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner import CheckpointLoader

__all__ = [
    'ALLOW_NON_FINITE_ENV', 'MMENGINE_CHECKPOINT_SAFE_GLOBALS', 'CorruptCheckpointError',
    'NonFiniteCheckpointError', 'UntrustedCheckpointError', 'check_finite',
    'history_buffer_getattr', 'load_local_checkpoint', 'register_checkpoint_safe_globals'
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

    Also makes :func:`load_local_checkpoint` mmengine's loader of local files.
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
    CheckpointLoader.register_scheme(prefixes='', loader=load_local_checkpoint, force=True)


class UntrustedCheckpointError(pickle.UnpicklingError):
    """A checkpoint holds objects outside the allow-list and was not loaded."""


class CorruptCheckpointError(RuntimeError):
    """A checkpoint file is truncated or is not a torch checkpoint."""


#: Set to 1 to load a checkpoint whose weights hold NaN or Inf (debugging a diverged run).
ALLOW_NON_FINITE_ENV = 'ANYSEG_ALLOW_NON_FINITE'


class NonFiniteCheckpointError(ValueError):
    """A checkpoint's weights hold NaN or Inf (a diverged run saved them)."""


def check_finite(state: Any, filename: str, shown: int = 3) -> int:
    """Refuse the weights of a loaded checkpoint when they hold NaN or Inf.

    A diverged run saves such weights, which evaluate silently to a constant
    prediction. The error names the file, the number of tensors and the first
    of their names; with the environment variable ``ANYSEG_ALLOW_NON_FINITE=1``
    they load with a warning instead.

    Returns:
        The number of floating-point tensors with a non-finite value.

    Raises:
        NonFiniteCheckpointError: there are such tensors and loading them was
            not asked for.
    """
    weights = state.get('state_dict', state) if isinstance(state, dict) else {}
    bad = [name for name, value in weights.items()
           if isinstance(value, torch.Tensor) and value.is_floating_point()
           and not bool(torch.isfinite(value).all())]
    if bad:
        names = ', '.join(bad[:shown]) + (', ...' if len(bad) > shown else '')
        message = (f'checkpoint {filename}: {len(bad)} of {len(weights)} tensors hold NaN or '
                   f'Inf ({names}); was it saved by a diverged run?')
        if os.environ.get(ALLOW_NON_FINITE_ENV) != '1':
            raise NonFiniteCheckpointError(
                f'{message} Not loaded; set {ALLOW_NON_FINITE_ENV}=1 to load it anyway '
                '(debugging)')
        warnings.warn(f'{message} Loaded because {ALLOW_NON_FINITE_ENV}=1.', stacklevel=3)
    return len(bad)


def _refusal_detail(path: str, err: Exception) -> str:
    """What in ``path`` was refused: its unsafe globals, else the unpickler's reason."""
    finder = getattr(torch.serialization, 'get_unsafe_globals_in_checkpoint', None)
    unsafe = []
    if finder is not None:
        try:
            unsafe = finder(path)
        except Exception:  # noqa: BLE001 - only a better message is at stake
            unsafe = []
    if unsafe:
        return 'objects of types ' + ', '.join(sorted(unsafe))
    reason = str(err).rpartition('WeightsUnpickler error:')[2].strip()
    return reason.splitlines()[0] if reason else type(err).__name__


def load_local_checkpoint(filename: str, map_location: Optional[Any] = None) -> Any:
    """Load a local checkpoint with ``torch.load(weights_only=True)``.

    Replaces mmengine's loader of local files (see
    :func:`register_checkpoint_safe_globals`), so that the Runner's
    ``load_from`` and ``--resume``, the distiller's teacher and the converters
    share one behaviour: mmengine checkpoints load; a file holding any other
    object is refused with :class:`UntrustedCheckpointError`, which names the
    file and what it holds. Nothing in it runs.

    Weights with NaN or Inf are refused (:func:`check_finite`).

    Raises:
        FileNotFoundError: no such file.
        UntrustedCheckpointError: the file holds objects outside the allow-list.
        CorruptCheckpointError: the file is truncated or not a torch checkpoint.
        NonFiniteCheckpointError: its weights hold NaN or Inf.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint not found: {filename}')
    try:
        state = torch.load(filename, map_location=map_location, weights_only=True)
    except (OSError, EOFError, RuntimeError) as err:
        raise CorruptCheckpointError(
            f'checkpoint {filename} ({osp.getsize(filename)} bytes) could not be read: it is '
            f'truncated (an interrupted save or copy) or not a torch checkpoint '
            f'({type(err).__name__}: {str(err).splitlines()[0] if str(err) else ""})') from None
    except pickle.UnpicklingError as err:
        raise UntrustedCheckpointError(
            f'checkpoint {filename} was not loaded: it holds {_refusal_detail(filename, err)}, '
            'which this plugin does not load (it loads tensors, containers, numbers and the '
            "types of mmengine's own checkpoints). Re-save the weights alone "
            "(torch.save({'state_dict': state_dict}, path)) from a trusted environment.") \
            from None
    check_finite(state, filename)
    return state
