from .checkpoint import (MMENGINE_CHECKPOINT_SAFE_GLOBALS, CorruptCheckpointError,
                         UntrustedCheckpointError,
                         load_local_checkpoint, register_checkpoint_safe_globals)
from .configs import config_dir, config_path, list_configs
from .modalities import (KEPT_KEY, MODALITY_CODES, MODALITY_META_KEYS, PRESENT_KEY, all_subsets,
                         batch_modality_mask, modality_code, modality_mask, modality_names,
                         resolve_subsets, subset_name)

__all__ = [
    'MMENGINE_CHECKPOINT_SAFE_GLOBALS', 'CorruptCheckpointError', 'UntrustedCheckpointError',
    'load_local_checkpoint',
    'register_checkpoint_safe_globals', 'MODALITY_CODES',
    'config_dir', 'config_path', 'list_configs', 'all_subsets', 'modality_code', 'KEPT_KEY', 'MODALITY_META_KEYS', 'PRESENT_KEY', 'batch_modality_mask', 'modality_mask', 'modality_names', 'resolve_subsets', 'subset_name'
]
from .launch import (DeviceAgnosticDDP, add_runner_args, load_tool_config,
                     parse_runner_args, setup_distributed_on_cpu, teardown_distributed)

__all__ += [
    'DeviceAgnosticDDP', 'add_runner_args', 'load_tool_config', 'parse_runner_args',
    'setup_distributed_on_cpu', 'teardown_distributed'
]
