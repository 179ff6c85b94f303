"""t-SNE of per-modality and fused features of a trained model (Figs. 4 and 6).

Samples feature vectors of one backbone stage at labelled pixels of a few
frames, embeds them with t-SNE and draws one PNG with two panels: points
coloured by modality (per-modality features plus the fused feature), and the
same points coloured by class::

    python tools/analysis_tools/tsne_features.py CONFIG CKPT --out tsne.png
"""
import argparse

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from mmengine.runner import Runner  # noqa: E402

from mmseg_anyseg.apis import init_anymodal_model  # noqa: E402
from mmseg_anyseg.utils import modality_code, modality_mask  # noqa: E402


def collect(model, loader, stage: int, frames: int, per_frame: int, seed: int):
    """Features ``[N, C]``, their modality index (M = fused) and class ids."""
    rng = np.random.default_rng(seed)
    feats, owners, classes = [], [], []
    for index, data in enumerate(loader):
        if index >= frames:
            break
        data = model.data_preprocessor(data, False)
        inputs, sample = data['inputs'], data['data_samples'][0]
        present = modality_mask(sample.metainfo, kept=False)
        mask = torch.tensor([present])
        with torch.no_grad():
            per_modality = model.backbone.forward_modalities(inputs, mask)
            fused = model.backbone.fuse_masked(per_modality, mask)[stage][0]
        feat = per_modality[stage][0]  # [M, C, h, w]
        label = sample.gt_sem_seg.data[None].float()
        label = F.interpolate(label, feat.shape[-2:], mode='nearest')[0, 0].long()
        ys, xs = torch.nonzero(label != 255, as_tuple=True)
        pick = rng.choice(len(ys), size=min(per_frame, len(ys)), replace=False)
        ys, xs = ys[pick], xs[pick]
        for m in [m for m, ok in enumerate(present) if ok]:
            feats.append(feat[m][:, ys, xs].T)
            owners.append(np.full(len(ys), m))
            classes.append(label[ys, xs].numpy())
        feats.append(fused[:, ys, xs].T)
        owners.append(np.full(len(ys), feat.shape[0]))
        classes.append(label[ys, xs].numpy())
    return torch.cat(feats).numpy(), np.concatenate(owners), np.concatenate(classes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--out', required=True, help='PNG to write')
    parser.add_argument('--stage', type=int, default=3, help='backbone stage (0-3)')
    parser.add_argument('--frames', type=int, default=8)
    parser.add_argument('--points-per-frame', type=int, default=60)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()
    from sklearn.manifold import TSNE

    model = init_anymodal_model(args.config, args.checkpoint)
    loader_cfg = model.cfg.test_dataloader.copy()
    loader_cfg.update(batch_size=1, num_workers=0, persistent_workers=False)
    loader = Runner.build_dataloader(loader_cfg)
    feats, owners, classes = collect(model, loader, args.stage, args.frames,
                                     args.points_per_frame, args.seed)
    points = TSNE(n_components=2, init='pca', random_state=args.seed,
                  perplexity=min(30, len(feats) // 4)).fit_transform(feats)
    names = [f'{modality_code(m)} ({m})' for m in model.data_preprocessor.modalities]
    names.append('fused')
    class_names = (model.dataset_meta or {}).get('classes') or loader.dataset.metainfo['classes']
    fig, axes = plt.subplots(1, 2, figsize=(12, 5.5))
    for owner, name in enumerate(names):
        sel = owners == owner
        axes[0].scatter(*points[sel].T, s=4, label=name, marker='x' if name == 'fused' else 'o')
    axes[0].set_title(f'stage {args.stage + 1} features by modality')
    axes[0].legend(markerscale=3, fontsize='small')
    for cls in np.unique(classes):
        sel = classes == cls
        axes[1].scatter(*points[sel].T, s=4, label=class_names[cls])
    axes[1].set_title('the same points by class')
    axes[1].legend(markerscale=3, fontsize='x-small', ncol=2)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    fig.savefig(args.out, dpi=120)
    print(f'{len(points)} feature vectors embedded; figure written to {args.out}')


if __name__ == '__main__':
    main()
