"""One short message when a checkpoint does not fit the model a config builds."""
import re
from typing import Dict, List, Mapping, Optional

from torch import Tensor

STUDENT_PREFIX = 'student.'  # AnySegDistiller.predicting_submodule's keys in its checkpoints


def student_weights(state: Mapping[str, Tensor]) -> Mapping[str, Tensor]:
    """The student's part of a distiller's state dict (its ``student.`` keys), else ``state``."""
    if any(k.startswith(STUDENT_PREFIX) for k in state):
        return {k[len(STUDENT_PREFIX):]: v for k, v in state.items()
                if k.startswith(STUDENT_PREFIX)}
    return state


def describe_weights(state: Mapping[str, Tensor]) -> str:
    """What a state dict looks like: its stage widths, its classes, whether it holds a student.

    Args:
        state: Parameter name to tensor (a model's or a checkpoint's ``state_dict``).
    """
    parts = []
    if any(k.startswith(STUDENT_PREFIX) for k in state):
        parts.append('a distiller checkpoint (a student inside, keys student.*)')
        state = student_weights(state)
    widths = stage_widths(state)
    if widths:
        parts.append(f'backbone stage widths {widths}')
    classes = [v.shape[0] for k, v in state.items()
               if k.endswith('conv_seg.weight') and v.dim() >= 1]
    if classes:
        parts.append(f'{classes[0]} classes')
    parts.append(f'{len(state)} tensors')
    return ', '.join(parts)


def stage_widths(state: Mapping[str, Tensor]) -> List[int]:
    """Output widths of the backbone's patch embeddings, stage by stage (MiT-style keys)."""
    widths: Dict[int, int] = {}
    for key, value in state.items():
        match = re.match(r'backbone\.(?:.*\.)?layers\.(\d+)\.0\.projection\.weight$', key)
        if match and value.dim() >= 1:
            widths.setdefault(int(match.group(1)), value.shape[0])
    return [widths[i] for i in sorted(widths)]


def mismatch_report(expected: Mapping[str, Tensor], found: Mapping[str, Tensor],
                    checkpoint: str, config: Optional[str], examples: int = 3) -> Optional[str]:
    """Why ``found`` (a checkpoint) does not fit ``expected`` (what the config builds), or None.

    Names both files, what each looks like (:func:`describe_weights`), the missing,
    unexpected and differently shaped keys with a few examples each, and the likely fix.
    """
    missing = [k for k in expected if k not in found]
    unexpected = [k for k in found if k not in expected]
    shapes = [k for k in expected if k in found and tuple(found[k].shape) !=
              tuple(expected[k].shape)]
    if not (missing or unexpected or shapes):
        return None

    def listed(keys: List[str], what: str) -> str:
        more = ', ...' if len(keys) > examples else ''
        return f'{len(keys)} {what} ({", ".join(keys[:examples])}{more})' if keys else ''

    details = '; '.join(filter(None, (
        listed(missing, 'missing'), listed(unexpected, 'unexpected'),
        listed([f'{k} {tuple(found[k].shape)} vs {tuple(expected[k].shape)}' for k in shapes],
               'of another shape'))))
    found_widths, expected_widths = stage_widths(found), stage_widths(expected)
    if any(k.startswith(STUDENT_PREFIX) for k in found) and not any(
            k.startswith(STUDENT_PREFIX) for k in expected):
        fix = ('it is a distiller checkpoint: give it with the distiller (student) config, or '
               'extract the student first (tools/model_converters/extract_student.py)')
    elif found_widths and expected_widths and found_widths != expected_widths:
        fix = ('the backbones differ (another MiT size?): use the config the checkpoint was '
               'trained with')
    elif shapes:
        fix = 'the heads differ (classes or widths): use the config the checkpoint was trained with'
    else:
        fix = 'use the config the checkpoint was trained with, or convert the checkpoint ' \
              '(tools/model_converters/)'
    return (f'checkpoint {checkpoint} does not fit config {config}: the checkpoint is '
            f'{describe_weights(found)}; the config builds {describe_weights(expected)}. '
            f'{details}. Likely fix: {fix}.')
