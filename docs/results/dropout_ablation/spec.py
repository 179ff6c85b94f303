# Anymodal dropout alone (L_sup) with its draws and input normalisation varied, on synthetic
# data at the leaderboard's protocol and budget.
#   python tools/benchmark/run.py docs/results/dropout_ablation/spec.py [--dry-run | --collect]
_base_ = ['../leaderboard/spec.py']
S = f'{_base_.SYN}/ablations/anymodal_segb0_synthetic_sup'
entries = [
    _base_.l_sup,
    dict(name='L_sup, one draw per sample', config=f'{S}_dropout-sample.py'),
    dict(name='L_sup, a subset per batch', config=f'{S}_dropout-subset.py'),
    dict(name='L_sup, ImageNet normalisation', config=f'{S}_imagenet-norm.py'),
    dict(name='L_sup, independent dropout', config=f'{S}_dropout-independent.py'),
]
