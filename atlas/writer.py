"""Write the site: into a staging folder next to output/, then swap it in whole.

The last stage, and the only module that writes. A build that fails or is
killed (SIGKILL included) at any moment leaves the previous output/ exactly as
it was: the new site is complete on disk before one atomic exchange of the two
folders (renameat2 RENAME_EXCHANGE on Linux; elsewhere two renames). Files
that did not change are hard-linked from the old site, so they are not
rewritten; pages that no longer exist are gone with the old folder.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from .errors import AtlasError
from .model import Output

STAGING_PREFIX = ".atlas-staging-"
OLD_PREFIX = ".atlas-old-"


@dataclass(frozen=True)
class WriteReport:
    written: int  # files whose bytes changed or are new
    unchanged: int
    removed: int


def safe_dest(output_dir: Path, dest: str) -> Path:
    """The path of `dest` inside output_dir; anything that would leave it is refused."""
    return Path(output_dir) / _checked(dest)


def _checked(dest: str) -> str:
    """`dest` as a relative path that stays inside the folder it is joined to (else AtlasError)."""
    parts = dest.split("/")
    if (not dest or dest.startswith("/") or ".." in parts or "\\" in dest or "\x00" in dest
            or any(part in ("", ".") for part in parts)):
        raise AtlasError(f"refusing to write outside the output folder: {dest!r}")
    return dest


def write_site(outputs: list[Output], output_dir: Path, background_cleanup: bool = False) -> WriteReport:
    """Publish `outputs` as the whole content of output_dir, atomically.

    With `background_cleanup` (for `atlas serve`) the old site is deleted in a
    background thread after the swap; whatever is left is removed next time.
    Paths are plain strings here: a large site has tens of thousands of files.
    """
    output_dir = Path(output_dir)
    parent = output_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(parent, output_dir.name)
    seen: set[str] = set()
    for output in outputs:
        if output.dest in seen:
            raise AtlasError(f"two pages want the same path: {output.dest}")
        _checked(output.dest)
        seen.add(output.dest)
    old_root = str(output_dir)
    old_files = _files_under(old_root) if output_dir.is_dir() else set()
    same = {o.dest for o in outputs if o.dest in old_files and _unchanged(o, safe_dest(output_dir, o.dest))}
    removed = len(old_files - seen)
    if len(same) == len(outputs) and removed == 0 and output_dir.is_dir():
        return WriteReport(0, len(same), 0)  # nothing changed: leave output/ untouched
    staging = parent / f"{STAGING_PREFIX}{output_dir.name}-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    written = unchanged = 0
    made: set[str] = set()
    new_root = str(staging)
    try:
        for output in outputs:
            target = os.path.join(new_root, output.dest)
            folder = os.path.dirname(target)
            if folder not in made:
                os.makedirs(folder, exist_ok=True)
                made.add(folder)
            if output.dest in same:
                try:
                    os.link(os.path.join(old_root, output.dest), target)
                    unchanged += 1
                    continue
                except OSError:
                    pass
            with open(target, "wb") as file:
                file.write(output.data)
            written += 1
        _fsync_tree(staging)
        _swap_in(staging, output_dir, background_cleanup)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteReport(written, unchanged, removed)


def _files_under(root: str) -> set[str]:
    """Every file under root, as "a/b.html" paths relative to it."""
    found: set[str] = set()
    for folder, _, files in os.walk(root):
        relative = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        found.update(prefix + name for name in files)
    return found


def replace_file(output_dir: Path, dest: str, data: bytes) -> None:
    """Replace one published file atomically (atlas serve's quick rebuilds): readers see old or new, never half."""
    target = safe_dest(Path(output_dir), dest)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _unchanged(output: Output, old: Path) -> bool:
    """The published file already holds these bytes: it is the cache's vouched-for file, or compares equal."""
    if output.published is not None and Path(output.published) == old:
        return True
    return _same_bytes(old, output.data)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _fsync_tree(root: Path) -> None:
    """Make the staged site durable before it replaces the old one."""
    del root  # one sync of the file system is far cheaper than an fsync per file
    os.sync()


def _swap_in(staging: Path, output_dir: Path, background_cleanup: bool = False) -> None:
    if not output_dir.exists():
        os.rename(staging, output_dir)
        return
    if not output_dir.is_dir() or output_dir.is_symlink():
        raise AtlasError(f"{output_dir} exists and is not a folder; refusing to replace it")
    if _exchange(staging, output_dir):  # staging now holds the old site
        if background_cleanup:
            threading.Thread(target=shutil.rmtree, args=(staging,), kwargs={"ignore_errors": True},
                             daemon=True).start()
        else:
            shutil.rmtree(staging)
        return
    old = output_dir.parent / f"{OLD_PREFIX}{output_dir.name}-{os.getpid()}"
    os.rename(output_dir, old)
    os.rename(staging, output_dir)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux renameat2). False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _remove_leftovers(parent: Path, name: str) -> None:
    """Staging folders of builds that were killed are deleted at the next build."""
    for prefix in (STAGING_PREFIX, OLD_PREFIX):
        for path in parent.glob(f"{prefix}{name}-*"):
            pid = path.name.rsplit("-", 1)[-1]
            if pid.isdigit() and _alive(int(pid)) and int(pid) != os.getpid():
                continue
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
