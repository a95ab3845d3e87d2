"""Write the site: update a spare copy of it next to output/, then swap the two whole.

The last stage, and with spare.py and folders.py the only code that writes
output/. A build that fails or is killed (SIGKILL included) at any moment
leaves the previous output/ exactly as it was: the new site is complete on
disk before one atomic exchange of the two folders (folders.py: renameat2
RENAME_EXCHANGE on Linux; elsewhere two renames).

write_site checks the outputs' paths, compares them with output/ and leaves it
untouched when nothing changed; otherwise spare.py brings the site a build
replaced (`.atlas-spare-output`) up to date in place and swaps it back in, so
a build after a small edit touches only the files that changed, not tens of
thousands. replace_file replaces one published file for atlas serve.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

from atlas.errors import AtlasError
from atlas.model import Output
from atlas.publish.folders import OLD_PREFIX, SPARE_PREFIX, STAGING_PREFIX, is_real_folder
from atlas.publish.known import KnownTrees, record_tree, still_as_known
from atlas.publish.spare import NewSite, Tree, empty_tree, publish_through_spare, publish_through_staging, scan
from atlas.render.parallel import process_alive


@dataclass(frozen=True)
class WriteReport:
    written: int  # files whose bytes are new or changed, compared with output/
    unchanged: int
    removed: int
    known: KnownTrees | None = field(default=None, compare=False, repr=False)  # what output/ and the spare hold now, for the next build (known.py)


def safe_dest(output_dir: Path, dest: str) -> Path:
    """The path of `dest` inside output_dir; anything that would leave it is refused."""
    return Path(output_dir) / checked_dest(dest)


def checked_dest(dest: str) -> str:
    """`dest` as a relative path that stays inside the folder it is joined to (else AtlasError)."""
    parts = dest.split("/")
    if not dest or "\\" in dest or "\x00" in dest or "" in parts or "." in parts or ".." in parts:
        raise AtlasError(f"refusing to write outside the output folder: {dest!r}")
    return dest


def write_site(outputs: list[Output], output_dir: Path, background_cleanup: bool = False,
               known: KnownTrees | None = None) -> WriteReport:
    """Publish `outputs` as the whole content of output_dir, atomically.

    With `background_cleanup` (for `atlas serve`) a replaced site that cannot
    be kept as the spare is deleted in a background thread after the swap.
    `known` is the last report's record of output/ and the spare, trusted only
    where their folders are as recorded (known.py); else they are listed.
    Paths are plain strings here: a large site has tens of thousands of files.
    """
    dests = _checked_dests(outputs)
    folders = _folders_of(dests)
    if dests & folders:
        raise AtlasError(f"a page's path is also a folder of other pages: {min(dests & folders)}")
    output_dir = Path(output_dir)
    live_root = os.fspath(output_dir)
    live_exists = is_real_folder(live_root)
    if not live_exists and os.path.lexists(live_root):
        raise AtlasError(f"{output_dir} exists and is not a folder; refusing to replace it")
    parent = output_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    known = known or KnownTrees(None, None)
    with _one_writer_at_a_time(os.fspath(parent)):
        _remove_leftovers(parent, output_dir.name)
        live = still_as_known(live_root, known.live) if live_exists else empty_tree()
        live_times = known.live.folder_times if live is not None and live_exists else None
        live = live or scan(live_root)
        same = _same_as_live(outputs, live_root, live)
        removed = sum(1 for name in itertools.chain(live.files, live.others) if name not in dests)
        if live_exists and len(same) == len(outputs) and removed == 0:  # nothing changed: leave output/ untouched
            return WriteReport(0, len(same), 0, KnownTrees(record_tree(live_root, live, live_times), known.spare))
        site = NewSite(outputs, dests, folders, live_root, live, same)
        spare = os.path.join(parent, f"{SPARE_PREFIX}{output_dir.name}")
        spare_tree = still_as_known(spare, known.spare)
        updated = publish_through_spare(site, spare, output_dir, spare_tree)
        if updated is None:
            publish_through_staging(site, spare, output_dir, background_cleanup)
            return WriteReport(len(outputs) - len(same), len(same), removed)
        untouched = ({folder: time for folder, time in known.spare.folder_times.items() if folder not in updated.touched}
                     if spare_tree is not None else None)
        now_known = KnownTrees(record_tree(live_root, updated.tree, untouched),
                               record_tree(spare, live, live_times) if live_exists else None)
    return WriteReport(len(outputs) - len(same), len(same), removed, now_known)


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


def _same_as_live(outputs: list[Output], live_root: str, live: Tree) -> set[str]:
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
            if pid.isdigit() and process_alive(int(pid)) and int(pid) != os.getpid():
                continue
            shutil.rmtree(path, ignore_errors=True)


