"""Write the site: update a spare copy of it next to output/, then swap the two whole.

The last stage, and the only module that writes. A build that fails or is
killed (SIGKILL included) at any moment leaves the previous output/ exactly as
it was: the new site is complete on disk before one atomic exchange of the two
folders (renameat2 RENAME_EXCHANGE on Linux; elsewhere two renames).

The site a build replaces is kept beside output/ as the spare
(`.atlas-spare-output`); the next build brings it up to date in place and swaps
it back in, so a build after a small edit touches only the files that changed,
not tens of thousands. The spare shares most files with output/ by hard links,
so it is never written into: a file is kept only if it is output/'s own, equal
file, and any other is unlinked and created anew. Without a usable spare, a
fresh staging folder is built.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import itertools
import os
import re
import shutil
import stat
import threading
from dataclasses import dataclass
from pathlib import Path

from atlas.errors import AtlasError
from atlas.model import Output

STAGING_PREFIX = ".atlas-staging-"
OLD_PREFIX = ".atlas-old-"
SPARE_PREFIX = ".atlas-spare-"


@dataclass(frozen=True)
class WriteReport:
    written: int  # files whose bytes are new or changed, compared with output/
    unchanged: int
    removed: int


@dataclass
class _Tree:
    """What a folder holds, as "a/b.html" paths relative to it."""

    files: dict[str, tuple[int, int]]  # regular files -> (inode, device)
    others: list[str]  # symlinks, fifos, sockets, devices
    folders: list[str]  # real folders, "" (the root) first


def _empty_tree() -> _Tree:
    return _Tree({}, [], [""])


@dataclass
class _NewSite:
    """What write_site publishes, and how it compares with output/ as it stands."""

    outputs: list[Output]
    dests: set[str]
    folders: set[str]  # every folder the site needs, "" (the root) included
    live_root: str
    live: _Tree
    same: set[str]  # dests whose bytes output/ holds already


def safe_dest(output_dir: Path, dest: str) -> Path:
    """The path of `dest` inside output_dir; anything that would leave it is refused."""
    return Path(output_dir) / checked_dest(dest)


def checked_dest(dest: str) -> str:
    """`dest` as a relative path that stays inside the folder it is joined to (else AtlasError)."""
    parts = dest.split("/")
    if not dest or "\\" in dest or "\x00" in dest or "" in parts or "." in parts or ".." in parts:
        raise AtlasError(f"refusing to write outside the output folder: {dest!r}")
    return dest


def write_site(outputs: list[Output], output_dir: Path, background_cleanup: bool = False) -> WriteReport:
    """Publish `outputs` as the whole content of output_dir, atomically.

    With `background_cleanup` (for `atlas serve`) a replaced site that cannot
    be kept as the spare is deleted in a background thread after the swap.
    Paths are plain strings here: a large site has tens of thousands of files.
    """
    dests = _checked_dests(outputs)
    folders = _folders_of(dests)
    if dests & folders:
        raise AtlasError(f"a page's path is also a folder of other pages: {min(dests & folders)}")
    output_dir = Path(output_dir)
    live_root = os.fspath(output_dir)
    live_exists = _is_real_folder(live_root)
    if not live_exists and os.path.lexists(live_root):
        raise AtlasError(f"{output_dir} exists and is not a folder; refusing to replace it")
    parent = output_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    with _one_writer_at_a_time(os.fspath(parent)):
        _remove_leftovers(parent, output_dir.name)
        live = _scan(live_root) if live_exists else _empty_tree()
        same = _same_as_live(outputs, live_root, live)
        removed = sum(1 for name in itertools.chain(live.files, live.others) if name not in dests)
        if live_exists and len(same) == len(outputs) and removed == 0:
            return WriteReport(0, len(same), 0)  # nothing changed: leave output/ untouched
        site = _NewSite(outputs, dests, folders, live_root, live, same)
        spare = os.path.join(parent, f"{SPARE_PREFIX}{output_dir.name}")
        if not _publish_through_spare(site, spare, output_dir):
            _publish_through_staging(site, spare, output_dir, background_cleanup)
    return WriteReport(len(outputs) - len(same), len(same), removed)


def _checked_dests(outputs: list[Output]) -> set[str]:
    """Every output's path; refused before anything is written if unsafe or wanted twice."""
    dests: set[str] = set()
    for output in outputs:
        if output.dest in dests:
            raise AtlasError(f"two pages want the same path: {output.dest}")
        dests.add(checked_dest(output.dest))
    return dests


def _folders_of(dests: set[str]) -> set[str]:
    """Every folder that holds a file of the site, as relative paths ("" is the root)."""
    folders = {""}
    for dest in dests:
        folder = dest.rpartition("/")[0]
        while folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    return folders


def _same_as_live(outputs: list[Output], live_root: str, live: _Tree) -> set[str]:
    """The dests whose bytes output/ holds already: the cache vouched for its file, or it compares equal."""
    live_prefix = os.path.join(live_root, "")
    same = set()
    for output in outputs:
        dest = output.dest
        if dest not in live.files:
            continue
        live_path = live_prefix + dest
        published = output.published
        if (published is not None and os.fspath(published) == live_path) or _holds(live_path, output.data):
            same.add(dest)
    return same


def _holds(path: str, data: bytes) -> bool:
    try:
        with open(path, "rb") as file:
            return os.fstat(file.fileno()).st_size == len(data) and file.read() == data
    except OSError:
        return False


def _publish_through_spare(site: _NewSite, spare: str, output_dir: Path) -> bool:
    """Update the spare in place and swap it in; False (and no spare left) if it is unusable.

    Without a published site the spare cannot spare any work (every file is new), and a
    fresh folder leaves a spare of links behind."""
    if not _is_real_folder(spare) or not site.live.files:
        _discard(spare)
        return False
    try:
        tree = _scan(spare)
        _clear(tree, spare, site)
        _fill(tree, spare, site)
    except OSError:  # a spare it cannot read or change: build a fresh folder instead
        _discard(spare)
        return False
    os.sync()  # one sync of the file system is far cheaper than an fsync per file
    _swap_in(spare, output_dir)  # the replaced site is now the spare
    return True


def _publish_through_staging(site: _NewSite, spare: str, output_dir: Path, background_cleanup: bool) -> None:
    """Build a fresh folder, swap it in, and keep the replaced site as the spare."""
    staging = os.path.join(os.path.dirname(spare), f"{STAGING_PREFIX}{output_dir.name}-{os.getpid()}")
    _discard(staging)
    os.mkdir(staging)
    try:
        _fill(_empty_tree(), staging, site)
        os.sync()
        _swap_in(staging, output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if not os.path.lexists(staging):  # a first build: there was no old site to keep
        _link_spare(site, spare)
        return
    try:
        if os.path.lexists(spare):  # something _discard could not remove
            raise FileExistsError(errno.EEXIST, "cannot keep the replaced site as the spare", spare)
        os.rename(staging, spare)
    except OSError:
        _delete(staging, background_cleanup)


def _link_spare(site: _NewSite, spare: str) -> None:
    """After a first build, a spare of hard links to its files: the next build updates that instead of
    linking every file itself (a few seconds at 10,000 pages). Any spare is checked before use, so one
    left half made is harmless."""
    try:
        for folder in sorted(site.folders):  # a folder sorts before what it holds
            os.mkdir(os.path.join(spare, folder) if folder else spare)
        for dest in site.dests:
            os.link(os.path.join(site.live_root, dest), os.path.join(spare, dest))
    except OSError:
        _discard(spare)


def _scan(root: str) -> _Tree:
    """Everything under root, never following a symlink."""
    tree = _empty_tree()
    files, others, folders = tree.files, tree.others, tree.folders
    devices_may_differ = _has_mounts_inside(root)
    pending = [("", root, os.lstat(root).st_dev)]
    while pending:
        prefix, folder, device = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_file(follow_symlinks=False):
                    files[prefix + entry.name] = (entry.inode(), device)  # a folder's files are on its device
                elif entry.is_dir(follow_symlinks=False):
                    name = prefix + entry.name
                    folders.append(name)
                    pending.append((name + "/", entry.path, entry.stat(follow_symlinks=False).st_dev
                                    if devices_may_differ else device))
                else:
                    others.append(prefix + entry.name)
    return tree


def _has_mounts_inside(root: str) -> bool:
    """Whether a file system is mounted somewhere under root: only then are its files on several devices."""
    try:
        with open("/proc/self/mountinfo", "rb") as file:
            mounts = [line.split(b" ")[4] for line in file.read().splitlines()]
    except (OSError, IndexError):
        return True  # cannot tell: ask each folder for its device
    inside = os.fsencode(os.path.join(os.path.realpath(root), ""))
    return any(_unescaped(mount).startswith(inside) for mount in mounts)


def _unescaped(mount_point: bytes) -> bytes:
    """A mount point as /proc/self/mountinfo writes it, with spaces and such as octal escapes."""
    return re.sub(rb"\\([0-7]{3})", lambda match: bytes([int(match[1], 8)]), mount_point)


def _clear(tree: _Tree, root: str, site: _NewSite) -> None:
    """Remove from the tree what the site does not hold: stray files, non-files, folders in the way or empty."""
    for name in tree.others:
        os.unlink(os.path.join(root, name))
    for name in [name for name in tree.files if name not in site.dests]:
        os.unlink(os.path.join(root, name))
        del tree.files[name]
    for name in tree.folders:
        if name in site.dests:  # a folder where a file must go
            shutil.rmtree(os.path.join(root, name))
    # folders the site does not need hold only folders now; a child sorts after its parent, so goes first
    for name in sorted((name for name in tree.folders if name not in site.folders), reverse=True):
        with contextlib.suppress(FileNotFoundError):  # inside a folder removed above
            os.rmdir(os.path.join(root, name))
    tree.others = []
    tree.folders = [name for name in tree.folders if name in site.folders]


def _fill(tree: _Tree, root: str, site: _NewSite) -> None:
    """Make the cleared tree hold exactly the site, never writing into a file it holds already."""
    present = set(tree.folders)
    files, live_files, same = tree.files, site.live.files, site.same
    root_prefix, live_prefix = os.path.join(root, ""), os.path.join(site.live_root, "")
    for output in site.outputs:
        dest = output.dest
        existing = files.get(dest)
        if existing is not None:
            if dest in same and existing == live_files[dest]:
                continue  # output/'s own file already
            os.unlink(root_prefix + dest)  # it may be output/'s file too: never open it for writing
        else:
            folder = dest.rpartition("/")[0]
            if folder not in present:
                os.makedirs(root_prefix + folder, exist_ok=True)
                while folder not in present:
                    present.add(folder)
                    folder = folder.rpartition("/")[0]
        if dest in same:
            try:
                os.link(live_prefix + dest, root_prefix + dest)
                continue
            except OSError:
                pass  # no hard links here: write a copy
        with open(root_prefix + dest, "xb") as file:
            file.write(output.data)


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


def _swap_in(ready: str, output_dir: Path) -> None:
    """Put the `ready` folder in output_dir's place; `ready` then holds the old site, if there was one."""
    target = os.fspath(output_dir)
    if not os.path.lexists(target):
        os.rename(ready, target)
        return
    if not _is_real_folder(target):
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


def _is_real_folder(path: str) -> bool:
    """A folder, not a symlink to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _discard(path: str) -> None:
    """Remove whatever stands at path, as far as possible (a symlink itself, never what it leads to)."""
    if _is_real_folder(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        with contextlib.suppress(OSError):
            os.unlink(path)


def _delete(folder: str, background: bool) -> None:
    if background:
        threading.Thread(target=shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True},
                         daemon=True).start()
    else:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _one_writer_at_a_time(parent: str):
    """Builds that publish into the same folder take turns: they share its spare."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no locking
        yield
        return
    handle = os.open(parent, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # and with it the lock


def _remove_leftovers(parent: Path, name: str) -> None:
    """Staging folders of builds that were killed are deleted at the next build; the spare is kept."""
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
