"""DDP for modules on any device: the wrapper of CPU (gloo) distributed training."""
from typing import Optional

import torch
from mmengine.model import MMDistributedDataParallel
from mmengine.registry import MODEL_WRAPPERS


@MODEL_WRAPPERS.register_module()
class DeviceAgnosticDDP(MMDistributedDataParallel):
    """``MMDistributedDataParallel`` that also wraps CPU modules.

    Registered in mmengine's root ``MODEL_WRAPPERS``, where ``Runner.wrap_model``
    looks wrappers up.

    mmengine passes ``device_ids=[LOCAL_RANK]``, which torch rejects for a
    module on the CPU; this wrapper drops ``device_ids`` in that case.

    Args:
        module: The model to wrap.
        device_ids: CUDA device ids, ignored for a CPU module.
        **kwargs: Passed to :class:`MMDistributedDataParallel`.
    """

    def __init__(self, module: torch.nn.Module, device_ids: Optional[list] = None,
                 **kwargs) -> None:
        on_cpu = all(p.device.type == 'cpu' for p in module.parameters())
        super().__init__(module=module, device_ids=None if on_cpu else device_ids, **kwargs)
