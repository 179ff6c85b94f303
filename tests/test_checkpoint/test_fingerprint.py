"""Weights fingerprints: the same weights share one whatever the file, others do not."""
import hashlib
import struct

import torch

from mmseg_anyseg.checkpoint import state_fingerprint, weights_fingerprint


def test_the_fingerprint_is_the_sha256_of_names_shapes_dtypes_and_bytes():
    state = {'w': torch.tensor([1.0, -2.0])}
    by_hand = hashlib.sha256(b'w:(2,):torch.float32;' + struct.pack('<2f', 1.0, -2.0))
    assert state_fingerprint(state) == by_hand.hexdigest()[:12]


def test_same_weights_share_it_and_any_change_parts_them():
    state = {'backbone.w': torch.randn(3, 4), 'head.b': torch.zeros(2, dtype=torch.bfloat16)}
    same = dict(reversed(list(state.items())))  # another order, copies of the tensors
    same = {name: tensor.clone() for name, tensor in same.items()}
    assert state_fingerprint(same) == state_fingerprint(state)
    nudged = dict(state, **{'backbone.w': state['backbone.w'].clone()})
    nudged['backbone.w'][2, 3] = torch.nextafter(nudged['backbone.w'][2, 3], torch.tensor(9.0))
    renamed = {'backbone.v': state['backbone.w'], 'head.b': state['head.b']}
    reshaped = dict(state, **{'backbone.w': state['backbone.w'].reshape(4, 3)})
    recast = dict(state, **{'head.b': state['head.b'].half()})  # the same bytes, another dtype
    prints = {state_fingerprint(s) for s in (state, nudged, renamed, reshaped, recast)}
    assert len(prints) == 5


def test_two_checkpoints_of_the_same_weights_share_it_whatever_else_they_hold(tmp_path):
    weights = {'w': torch.arange(6.0).reshape(2, 3)}
    first, second = tmp_path / 'iter_10.pth', tmp_path / 'iter_20.pth'
    torch.save(dict(meta=dict(iter=10, time='a'), state_dict=weights,
                    optimizer=dict(lr=0.1)), first)
    torch.save(dict(meta=dict(iter=20, time='b'), state_dict=dict(weights)), second)
    assert first.read_bytes() != second.read_bytes()
    assert weights_fingerprint(str(first)) == weights_fingerprint(str(second)) \
        == state_fingerprint(weights)
    torch.save(weights, tmp_path / 'bare.pth')  # a bare state dict
    assert weights_fingerprint(str(tmp_path / 'bare.pth')) == state_fingerprint(weights)
