"""Helpers of the command-line tools: launchers, runner arguments, the shipped configs."""
from .configs import config_dir, config_path, list_configs
from .launch import (add_runner_args, check_load_from, load_tool_config, parse_runner_args,
                     resume_from_work_dir, setup_distributed_on_cpu, teardown_distributed)

__all__ = [
    'config_dir', 'config_path', 'list_configs', 'add_runner_args', 'check_load_from',
    'load_tool_config', 'parse_runner_args', 'resume_from_work_dir', 'setup_distributed_on_cpu',
    'teardown_distributed'
]
