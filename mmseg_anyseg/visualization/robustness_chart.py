"""Charts of the sensor-failure robustness benchmark (EMM, RMM, NM)."""
from typing import Sequence

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from ..reports import SeededModels, scenario_label, scenario_statistics  # noqa: E402

def plot_robustness(models: SeededModels, out_file: str,
                    keys: Sequence[str] = ('Avg', 'Full')) -> None:
    """Bars per scenario: ``mIoU^Avg`` over subsets and the all-modality mIoU, per model.

    Args:
        models: Model name -> per seed, scenario name -> ``AnymodalIoUMetric`` JSON; with
            several seeds a bar is the mean and its error bar the std.
        out_file: The image written.
        keys: Figures of :func:`scenario_row` drawn, one panel each.
    """
    names = list(next(iter(models.values()))[0])
    fig, axes = plt.subplots(1, len(keys), figsize=(max(6, 1.1 * len(names)) * len(keys) / 1.4,
                                                     3.6), squeeze=False)
    width = 0.8 / len(models)
    x = np.arange(len(names))
    for ax, key in zip(axes[0], keys):
        for i, (model, seeds) in enumerate(models.items()):
            stats = [scenario_statistics([seed[n] for seed in seeds]).get(key, (np.nan, 0.))
                     for n in names]
            ax.bar(x + (i - (len(models) - 1) / 2) * width, [m for m, _ in stats], width,
                   yerr=[s for _, s in stats] if len(seeds) > 1 else None, capsize=2,
                   label=model)
        ax.set_xticks(x, [scenario_label(n) for n in names], rotation=35,
                      ha='right', fontsize='small')
        ax.set_ylabel('mIoU (%)')
        ax.set_title('mean over modality subsets' if key == 'Avg' else 'all modalities')
        ax.grid(axis='y', alpha=0.3)
    axes[0][0].legend(fontsize='small')
    fig.tight_layout()
    fig.savefig(out_file, dpi=120)
    plt.close(fig)
