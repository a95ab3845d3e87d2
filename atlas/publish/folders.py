"""Folder operations the writer relies on: swap two folders atomically, and remove what stands in the way.

Used by writer.py and spare.py; the prefixes name the writer's folders beside
output/. Writes only those folders and output/ itself.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import shutil
import stat
import threading
from pathlib import Path

from atlas.errors import AtlasError

STAGING_PREFIX = ".atlas-staging-"
OLD_PREFIX = ".atlas-old-"
SPARE_PREFIX = ".atlas-spare-"


def swap_in(ready: str, output_dir: Path) -> None:
    """Put the `ready` folder in output_dir's place; `ready` then holds the old site, if there was one."""
    target = os.fspath(output_dir)
    if not os.path.lexists(target):
        os.rename(ready, target)
        return
    if not is_real_folder(target):
        raise AtlasError(f"{output_dir} exists and is not a folder; refusing to replace it")
    if _exchange(ready, target):
        return
    old = os.path.join(os.path.dirname(ready), f"{OLD_PREFIX}{output_dir.name}-{os.getpid()}")
    os.rename(target, old)
    try:
        os.rename(ready, target)
    except BaseException:
        os.rename(old, target)
        raise
    os.rename(old, ready)


def _exchange(a: str, b: str) -> bool:
    """Atomically swap two folders (Linux renameat2). False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), b)


def is_real_folder(path: str) -> bool:
    """A folder, not a symlink to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def discard(path: str) -> None:
    """Remove whatever stands at path, as far as possible (a symlink itself, never what it leads to)."""
    if is_real_folder(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        with contextlib.suppress(OSError):
            os.unlink(path)


def delete_folder(folder: str, background: bool) -> None:
    """Delete a folder the writer no longer needs; with `background` (atlas serve), in a thread of its own."""
    if background:
        threading.Thread(target=shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True},
                         daemon=True).start()
    else:
        shutil.rmtree(folder, ignore_errors=True)
