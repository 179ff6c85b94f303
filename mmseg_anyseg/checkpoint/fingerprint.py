"""A checkpoint's weights named by a short hash, to tell two trainings' weights apart."""
import hashlib
from typing import Mapping

import torch
from torch import Tensor

from .loading import load_local_checkpoint


def state_fingerprint(state: Mapping[str, Tensor]) -> str:
    """The first 12 hex digits of the SHA-256 of a state dict's names, shapes, dtypes and bytes.

    Two state dicts share it exactly when they hold the same tensors under the same names:
    bit-identical weights from two trainings share it, weights that differ anywhere do not.

    Args:
        state (Mapping[str, Tensor]): The weights, e.g. a checkpoint's ``state_dict``.
    """
    digest = hashlib.sha256()
    for name in sorted(state):
        tensor = state[name].detach().cpu().contiguous().reshape(-1)
        digest.update(f'{name}:{tuple(state[name].shape)}:{tensor.dtype};'.encode())
        digest.update(tensor.view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()[:12]


def weights_fingerprint(checkpoint: str) -> str:
    """:func:`state_fingerprint` of a checkpoint file's ``state_dict``, not of the file.

    The file also holds the optimizer, the message hub and the time it was saved, so two
    trainings to the same weights write different files; their weights share this.

    Args:
        checkpoint (str): A local checkpoint, loaded with :func:`load_local_checkpoint`.
    """
    state = load_local_checkpoint(checkpoint, map_location='cpu')
    return state_fingerprint(state.get('state_dict', state))
