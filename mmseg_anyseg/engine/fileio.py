"""Local files written whole or not at all: a kill while a checkpoint is saved loses nothing.

mmengine's :class:`~mmengine.fileio.LocalBackend` writes a checkpoint in place, so that a
training killed while it saves leaves a truncated ``iter_N.pth`` under the final name.
:class:`AtomicLocalBackend` writes beside the file (``<name>.<pid>.<thread>.part``) and
renames it into place, which a file system does at once. The temporary name carries the
process and thread, so that ranks that write the same file (mmengine's logger writes its test
metrics on every rank) do not rename each other's parts; the last rename wins, whole. It
replaces the local backend when the plugin is imported (mmengine's own extension point,
``register_backend(..., force=True)``), so that every training of a config that imports
``mmseg_anyseg`` saves this way with mmengine's file layout unchanged and nothing in its
config. ``CheckpointHook`` names the new file in
``last_checkpoint`` only after it is in place, so a killed training resumes from the last
complete checkpoint.
"""
import os
import os.path as osp
import threading
from pathlib import Path
from typing import Union

import mmengine
from mmengine.fileio import LocalBackend, register_backend


class AtomicLocalBackend(LocalBackend):
    """:class:`~mmengine.fileio.LocalBackend` whose writes are atomic (write, then rename)."""

    def write_part(self, obj: bytes, part: str) -> None:
        """Write the bytes to the temporary file, flushed to the disk."""
        with open(part, 'wb') as f:
            f.write(obj)
            f.flush()
            os.fsync(f.fileno())

    def put(self, obj: bytes, filepath: Union[str, Path]) -> None:
        filepath = str(filepath)
        mmengine.mkdir_or_exist(osp.dirname(filepath))
        part = f'{filepath}.{os.getpid()}.{threading.get_ident()}.part'
        self.write_part(obj, part)
        os.replace(part, filepath)

    def put_text(self, obj: str, filepath: Union[str, Path], encoding: str = 'utf-8') -> None:
        self.put(obj.encode(encoding), filepath)


register_backend('local', AtomicLocalBackend, force=True, prefixes='')
