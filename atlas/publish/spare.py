"""The spare tree: the site a build replaced, kept beside output/ and brought up to date by the next build.

write_site (writer.py) decides what changed; publish_through_spare updates the
spare in place and swaps it in, and publish_through_staging builds a fresh
folder when there is no usable spare, then keeps the replaced site as the
spare. The spare shares most files with output/ by hard links, so no file it
holds is ever opened for writing: a file is kept only if it is output/'s own,
equal file, and any other is unlinked and created anew.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from atlas.model import Output
from atlas.publish.folders import STAGING_PREFIX, delete_folder, discard, is_real_folder, swap_in

# Up to this many files to write (and folders changed), each is synced to disk on its own before the
# swap; more, and one sync of the whole file system is cheaper (it also flushes whatever else is
# waiting to be written, such as the last build's cache files, which is what makes it slow for a few).
FSYNC_LIMIT = 200


@dataclass
class Tree:
    """What a folder holds, as "a/b.html" paths relative to it."""

    files: dict[str, tuple[int, int]]  # regular files -> (inode, device)
    others: list[str]  # symlinks, fifos, sockets, devices
    folders: list[str]  # real folders, "" (the root) first


def empty_tree() -> Tree:
    return Tree({}, [], [""])


@dataclass
class NewSite:
    """What write_site publishes, and how it compares with output/ as it stands."""

    outputs: list[Output]
    dests: set[str]
    folders: set[str]  # every folder the site needs, "" (the root) included
    live_root: str
    live: Tree
    same: set[str]  # dests whose bytes output/ holds already


def publish_through_spare(site: NewSite, spare: str, output_dir: Path, known: Tree | None = None) -> Updated | None:
    """Update the spare in place and swap it in; None (and no spare left) if it is unusable.

    `known` is what the spare holds, if the writer knows it (known.py); else the spare is listed.
    Without a published site the spare cannot spare any work (every file is new), and a
    fresh folder leaves a spare of links behind."""
    if not is_real_folder(spare) or not site.live.files:
        discard(spare)
        return None
    few = len(site.outputs) - len(site.same) <= FSYNC_LIMIT
    try:
        tree = known if known is not None else scan(spare)
        touched = _clear(tree, spare, site)
        touched |= _fill(tree, spare, site, fsync=few)
    except OSError:  # a spare it cannot read or change: build a fresh folder instead
        discard(spare)
        return None
    if few and len(touched) <= FSYNC_LIMIT:  # the changed files are on disk: now the folders that name them
        for folder in touched.intersection(tree.folders):  # some it changed, it then removed
            _fsync(os.path.join(spare, folder) if folder else spare)
    else:
        os.sync()  # one sync of the file system is far cheaper than an fsync per file
    swap_in(spare, output_dir)  # the replaced site is now the spare
    return Updated(tree, touched)


@dataclass
class Updated:
    """The spare after publish_through_spare made it the site: what it holds now (every file with its inode
    and device), and the folders whose entries it changed."""

    tree: Tree
    touched: set[str]


def publish_through_staging(site: NewSite, spare: str, output_dir: Path, background_cleanup: bool) -> None:
    """Build a fresh folder, swap it in, and keep the replaced site as the spare."""
    staging = os.path.join(os.path.dirname(spare), f"{STAGING_PREFIX}{output_dir.name}-{os.getpid()}")
    discard(staging)
    os.mkdir(staging)
    try:
        _fill(empty_tree(), staging, site)
        os.sync()
        swap_in(staging, output_dir)
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
        delete_folder(staging, background_cleanup)


def _link_spare(site: NewSite, spare: str) -> None:
    """After a first build, a spare of hard links to its files: the next build updates that instead of
    linking every file itself (a few seconds at 10,000 pages). Any spare is checked before use, so one
    left half made is harmless."""
    try:
        for folder in sorted(site.folders):  # a folder sorts before what it holds
            os.mkdir(os.path.join(spare, folder) if folder else spare)
        for dest in site.dests:
            os.link(os.path.join(site.live_root, dest), os.path.join(spare, dest))
    except OSError:
        discard(spare)


def _fsync(path: str) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def scan(root: str) -> Tree:
    """Everything under root, never following a symlink."""
    tree = empty_tree()
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


def _clear(tree: Tree, root: str, site: NewSite) -> set[str]:
    """Remove from the tree what the site does not hold: stray files, non-files, folders in the way or empty.
    Returns the folders whose entries changed."""
    touched = set()
    for name in tree.others:
        os.unlink(os.path.join(root, name))
        touched.add(name.rpartition("/")[0])
    for name in [name for name in tree.files if name not in site.dests]:
        os.unlink(os.path.join(root, name))
        del tree.files[name]
        touched.add(name.rpartition("/")[0])
    for name in tree.folders:
        if name in site.dests:  # a folder where a file must go
            shutil.rmtree(os.path.join(root, name))
            touched.add(name.rpartition("/")[0])
    # folders the site does not need hold only folders now; a child sorts after its parent, so goes first
    for name in sorted((name for name in tree.folders if name not in site.folders), reverse=True):
        with contextlib.suppress(FileNotFoundError):  # inside a folder removed above
            os.rmdir(os.path.join(root, name))
        touched.add(name.rpartition("/")[0])
    tree.others = []
    tree.folders = [name for name in tree.folders if name in site.folders]
    return touched


def _fill(tree: Tree, root: str, site: NewSite, fsync: bool = False) -> set[str]:
    """Make the cleared tree hold exactly the site, never writing into a file it holds already; the tree
    then lists what it holds (with `fsync`, each file written is on disk). Returns the folders whose
    entries changed."""
    present = set(tree.folders)
    touched = set()
    files, live_files, same = tree.files, site.live.files, site.same
    root_prefix, live_prefix = os.path.join(root, ""), os.path.join(site.live_root, "")
    for output in site.outputs:
        dest = output.dest
        existing = files.get(dest)
        folder = dest.rpartition("/")[0]
        if existing is not None:
            if dest in same and existing == live_files[dest]:
                continue  # output/'s own file already
            os.unlink(root_prefix + dest)  # it may be output/'s file too: never open it for writing
        elif folder not in present:
            os.makedirs(root_prefix + folder, exist_ok=True)
            while folder not in present:
                present.add(folder)
                touched.add(folder)
                folder = folder.rpartition("/")[0]
            touched.add(folder)
        touched.add(dest.rpartition("/")[0])
        if dest in same:
            try:
                os.link(live_prefix + dest, root_prefix + dest)
                files[dest] = live_files[dest]
                continue
            except OSError:
                pass  # no hard links here: write a copy
        with open(root_prefix + dest, "xb") as file:
            file.write(output.data)
            if fsync:
                file.flush()
                os.fsync(file.fileno())
            info = os.fstat(file.fileno())
        files[dest] = (info.st_ino, info.st_dev)
    tree.folders = [""] + sorted(present - {""})
    return touched
