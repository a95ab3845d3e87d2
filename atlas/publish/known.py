"""What output/ and its spare held after the last publish, so that the next build need not list them again.

write_site (writer.py) compares the site with output/ and updates the spare
(spare.py); both need every file of the two trees. Listing them opens and
reads every folder (each page is a folder of its own: 11,700 of them in each
tree at 10,000 cities). Instead the writer returns, with its report, each
tree's files and the modification time of each of its folders; the next build
stats those folders and trusts the record only if every one is as recorded.
A file added, removed or renamed in a folder changes that folder's time; a
file changed in place does not, but the cache vouches for a published file
only after a stat of the file itself (size and time), and compares any other
byte for byte. A folder whose recorded time is within RACY_NS of the moment it
was recorded (a file system may keep times as coarsely as that, so a change
just after would not show) is listed on its own and compared with the record.
Anything unexpected makes the writer list the tree as before. Writes nothing.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass

from atlas.publish.spare import Tree

RACY_NS = 2_000_000_000  # the coarsest time stamps of the file systems in use (FAT's two seconds)


@dataclass(frozen=True)
class KnownTree:
    """A tree as the writer left it: its files (with inode and device) and each folder's mtime_ns."""

    files: dict[str, tuple[int, int]]
    folder_times: dict[str, int]  # "" (the root) and every folder under it
    recorded_at: int  # time.time_ns() once every folder time was taken


@dataclass(frozen=True)
class KnownTrees:
    live: KnownTree | None  # output/
    spare: KnownTree | None


def still_as_known(root: str, known: KnownTree | None) -> Tree | None:
    """The tree under root as recorded, if every folder still has its recorded time (and those recorded
    too close to the recording still hold exactly the recorded files); else None: list it."""
    if known is None:
        return None
    prefix = os.path.join(root, "")
    racy = []
    for folder, mtime in known.folder_times.items():
        try:
            info = os.lstat(prefix + folder if folder else root)
        except OSError:
            return None
        if info.st_mtime_ns != mtime or not stat.S_ISDIR(info.st_mode):
            return None
        if mtime >= known.recorded_at - RACY_NS:
            racy.append(folder)
    if racy and not _holds_as_recorded(root, known, racy):
        return None
    return Tree(dict(known.files), [], list(known.folder_times))  # a copy: the writer changes its trees


def _holds_as_recorded(root: str, known: KnownTree, folders: list[str]) -> bool:
    """Whether each of these folders holds exactly the recorded files (the same inodes) and folders."""
    expected: dict[str, dict[str, object]] = {folder: {} for folder in folders}
    for name, inode in known.files.items():
        folder, _, leaf = name.rpartition("/")
        if folder in expected:
            expected[folder][leaf] = inode[0]
    for name in known.folder_times:
        folder, _, leaf = name.rpartition("/")
        if name and folder in expected:
            expected[folder][leaf] = "folder"
    prefix = os.path.join(root, "")
    try:
        for folder, children in expected.items():
            with os.scandir(prefix + folder if folder else root) as entries:
                found = {entry.name: entry.inode() if entry.is_file(follow_symlinks=False)
                         else "folder" if entry.is_dir(follow_symlinks=False) else None for entry in entries}
            if found != children:
                return False
    except OSError:
        return False
    return True


def record_tree(root: str, tree: Tree, times: dict[str, int] | None = None) -> KnownTree | None:
    """A tree to trust next time: its folders' times are `times` where given, else stat now. A tree
    holding anything but files and folders is not recorded (the writer removes such things)."""
    if tree.others:
        return None
    prefix = os.path.join(root, "")
    folder_times = {}
    try:
        for folder in tree.folders:
            known = times.get(folder) if times is not None else None
            folder_times[folder] = known if known is not None else os.lstat(prefix + folder if folder else root).st_mtime_ns
    except OSError:
        return None
    return KnownTree(dict(tree.files), folder_times, time.time_ns())
