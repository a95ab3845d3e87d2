"""The spare tree: the site a build replaces is kept beside output/ and brought up to date by the next build.

Whatever the spare holds, and wherever a build stops, output/ holds exactly the
last published site, and files that did not change keep their inode.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from atlas.publish import folders, writer
from atlas.publish import spare as spare_tree
from atlas.errors import AtlasError
from atlas.model import Output
from atlas.pipeline import Config, build
from atlas.publish.known import KnownTrees
from atlas.publish.writer import WriteReport, write_site

ROOT = Path(__file__).resolve().parent.parent
STARTER = ROOT / "content"

SITE = {
    "index.html": b"<h1>Home</h1>\n",
    "404.html": b"<h1>Not found</h1>\n",
    "assets/site.css": b"body { margin: 0 }\n",
    "cities/lyon/index.html": b"<h1>Lyon</h1>\n",
    "cities/turin/index.html": b"<h1>Turin</h1>\n",
    "cities/galway/index.html": b"<h1>Galway</h1>\n",
    "networks/eurocities/index.html": b"<h1>Eurocities</h1>\n",
    "pagefind/fragment/en_1.pf_fragment": b"\x00\x01fragment",
}


def changed(site: dict[str, bytes], **edits: bytes | None) -> dict[str, bytes]:
    """The site with some files changed, added or (None) removed; keys use __ for / and _ for ."""
    site = dict(site)
    for key, data in edits.items():
        dest = key.replace("__", "/").replace("_", ".")
        if data is None:
            del site[dest]
        else:
            site[dest] = data
    return site


RECORDS: dict[Path, object] = {}  # output folder -> the last report's record of the trees, while `record` keeps them
KEEPING: list[bool] = [False]


def publish(output: Path, site: dict[str, bytes], vouched: dict[str, bytes] | None = None) -> WriteReport:
    """write_site as a build calls it: files the cache vouches for (same as in `vouched`) point at output/;
    under the `record` fixture's "as recorded", with the last publish's record of the trees, as a build has."""
    vouched = vouched or {}
    outputs = [Output(dest, published=output / dest) if vouched.get(dest) == data else Output(dest, data)
               for dest, data in site.items()]
    report = write_site(outputs, output, known=RECORDS.get(output) if KEEPING[0] else None)
    RECORDS[output] = report.known
    return report


@pytest.fixture(params=["listed", "as recorded"])
def record(request):
    """Each tree listed by every publish, or taken from the last publish's record where its folders allow."""
    KEEPING[0] = request.param == "as recorded"
    RECORDS.clear()
    yield request.param
    KEEPING[0] = False
    RECORDS.clear()


def everything_in(folder: Path) -> dict[str, object]:
    """Each file's bytes by relative path; symlinks, other non-files and empty folders show up too."""
    found: dict[str, object] = {}
    for current, folders, files in os.walk(folder):  # symlinked folders are listed, never entered
        for name in folders + files:
            path = os.path.join(current, name)
            relative = os.path.relpath(path, folder).replace(os.sep, "/")
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                found[relative] = f"symlink to {os.readlink(path)}"
            elif stat.S_ISREG(mode):
                found[relative] = Path(path).read_bytes()
            elif stat.S_ISDIR(mode):
                if not os.listdir(path):
                    found[relative + "/"] = "empty folder"
            else:
                found[relative] = "not a regular file"
    return found


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.lstat().st_ino for p in folder.rglob("*") if not p.is_dir()}


def siblings(folder: Path) -> list[str]:
    """The writer's folders beside output/."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".atlas-"))


@contextlib.contextmanager
def holding(folder: Path):
    """Tells whether a path is now this very folder; held open, its inode cannot go to a new folder."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        yield lambda path: os.path.samestat(os.fstat(handle), os.lstat(path))
    finally:
        os.close(handle)


@pytest.fixture
def output(tmp_path) -> Path:
    return tmp_path / "output"


@pytest.fixture
def spare(tmp_path) -> Path:
    return tmp_path / ".atlas-spare-output"


@pytest.fixture(params=["one device", "devices looked up per folder"])
def devices(request, monkeypatch):
    """Run with the usual scan, and with the one used when something is mounted inside the trees."""
    if request.param != "one device":
        monkeypatch.setattr(spare_tree, "_has_mounts_inside", lambda root: True)


# --- the spare is kept and reused ---------------------------------------------------

def test_a_first_build_leaves_a_spare_of_links_to_its_own_files(output, spare, tmp_path):
    assert publish(output, SITE) == WriteReport(len(SITE), 0, 0)
    assert everything_in(output) == SITE
    assert siblings(tmp_path) == [".atlas-spare-output"]
    assert inodes(spare) == inodes(output)  # links, not copies


def test_the_second_build_updates_the_first_builds_spare(output, spare, tmp_path, record):
    publish(output, SITE)
    second = changed(SITE, index_html=b"<h1>Second</h1>\n")
    with holding(spare) as now_at:
        assert publish(output, second, vouched=SITE) == WriteReport(1, len(SITE) - 1, 0)
        assert now_at(output)  # no fresh staging folder
    assert everything_in(output) == second and everything_in(spare) == SITE


def test_the_replaced_site_becomes_the_spare(output, spare, tmp_path, record):
    publish(output, SITE)
    new = changed(SITE, index_html=b"<h1>Home, again</h1>\n")
    assert publish(output, new, vouched=SITE) == WriteReport(1, len(SITE) - 1, 0)
    assert everything_in(output) == new
    assert everything_in(spare) == SITE
    assert siblings(tmp_path) == [".atlas-spare-output"]


def test_the_next_build_updates_the_spare_and_swaps_it_in(output, spare, tmp_path, devices, record):
    publish(output, SITE)
    second = changed(SITE, index_html=b"<h1>Second</h1>\n")
    publish(output, second, vouched=SITE)
    first_inodes = inodes(spare)
    third = changed(second, cities__lyon__index_html=b"<h1>Lyon, third</h1>\n")
    with holding(spare) as now_at:
        report = publish(output, third, vouched=second)
        assert now_at(output)  # the spare became output/, no fresh staging
    assert report == WriteReport(1, len(SITE) - 1, 0)
    assert everything_in(output) == third
    assert everything_in(spare) == second
    live = inodes(output)
    # files unchanged since the first build were never rewritten, and both trees share them
    for dest in set(SITE) - {"index.html", "cities/lyon/index.html"}:
        assert live[dest] == first_inodes[dest] == inodes(spare)[dest]
    # index.html changed in the second build only: the spare now links output/'s file
    assert live["index.html"] == inodes(spare)["index.html"] != first_inodes["index.html"]
    assert siblings(tmp_path) == [".atlas-spare-output"]


def test_builds_that_add_remove_and_move_files_end_with_exactly_the_new_site(output, spare, record):
    sites = [
        SITE,
        changed(SITE, cities__galway__index_html=None, cities__cork__index_html=b"<h1>Cork</h1>\n"),
        {**{d: b for d, b in SITE.items() if not d.startswith("cities/")}, "cities": b"a folder became a file"},
        changed(SITE, themes__climate__index_html=b"<h1>Climate</h1>\n", assets__site_css=None),
        SITE,
    ]
    previous: dict[str, bytes] = {}
    for site in sites:
        report = publish(output, site, vouched=previous)
        assert everything_in(output) == site
        assert report.removed == len(set(previous) - set(site))
        assert report.written == sum(1 for dest, data in site.items() if previous.get(dest) != data)
        previous = site


def test_an_output_folder_deleted_by_hand_is_published_whole_again(output, spare, record):
    publish(output, SITE)
    publish(output, changed(SITE, index_html=b"<h1>Second</h1>\n"), vouched=SITE)
    shutil.rmtree(output)
    assert publish(output, SITE) == WriteReport(len(SITE), 0, 0)
    assert everything_in(output) == SITE
    assert inodes(spare) == inodes(output)  # the old spare could spare nothing: a new one of links replaced it


def test_when_nothing_changed_output_and_the_spare_are_left_alone(output, spare, record):
    publish(output, SITE)
    publish(output, changed(SITE, index_html=b"<h1>New</h1>\n"))
    new = changed(SITE, index_html=b"<h1>New</h1>\n")
    before = (output.stat().st_ino, inodes(output), spare.stat().st_ino, inodes(spare))
    assert publish(output, new) == WriteReport(0, len(SITE), 0)  # compared byte for byte
    assert publish(output, new, vouched=new) == WriteReport(0, len(SITE), 0)  # vouched for by the cache
    assert (output.stat().st_ino, inodes(output), spare.stat().st_ino, inodes(spare)) == before


# --- output/'s files are never written through ----------------------------------------

def test_a_changed_page_never_writes_into_the_file_output_holds(output, spare, record):
    publish(output, SITE)
    publish(output, changed(SITE, index_html=b"<h1>Second</h1>\n"), vouched=SITE)
    lyon = output / "cities/lyon/index.html"
    assert lyon.stat().st_ino == (spare / "cities/lyon/index.html").stat().st_ino  # shared by a hard link
    with open(lyon, "rb") as served:  # a reader holding the live file, as a web server might
        publish(output, changed(SITE, index_html=b"<h1>Second</h1>\n",
                                cities__lyon__index_html=b"<h1>Lyon, rewritten</h1>\n"))
        assert served.read() == b"<h1>Lyon</h1>\n"
        assert os.fstat(served.fileno()).st_ino == (spare / "cities/lyon/index.html").stat().st_ino
    assert lyon.read_bytes() == b"<h1>Lyon, rewritten</h1>\n"
    assert (spare / "cities/lyon/index.html").read_bytes() == b"<h1>Lyon</h1>\n"


def test_a_hand_edited_file_in_output_is_repaired(output, spare, record):
    publish(output, SITE)
    publish(output, changed(SITE, index_html=b"<h1>Second</h1>\n"), vouched=SITE)
    site = changed(SITE, index_html=b"<h1>Second</h1>\n")
    with open(output / "cities/turin/index.html", "r+b") as file:  # edited in place: the spare's link sees it too
        file.write(b"<h1>Tur")
        file.write(b"IN, by hand</h1>\n")
    assert (spare / "cities/turin/index.html").read_bytes() == b"<h1>TurIN, by hand</h1>\n"
    report = publish(output, site)  # the cache does not vouch for a file whose size or time changed
    assert report == WriteReport(1, len(SITE) - 1, 0)
    assert everything_in(output) == site


def built_starter(tmp_path: Path) -> tuple[Path, Config]:
    """The starter atlas copied to tmp_path/content and built once, with a cache: (content, config)."""
    content = tmp_path / "content"
    shutil.copytree(STARTER, content)
    config = Config(content_dir=content, output_dir=tmp_path / "output", cache_dir=tmp_path / "cache")
    build(config)
    return content, config


def test_a_hand_edited_page_is_repaired_by_a_cached_build(tmp_path):
    content, config = built_starter(tmp_path)
    expected = everything_in(tmp_path / "output")
    barcelona = content / "cities" / "barcelona.md"
    text = barcelona.read_text(encoding="utf-8")
    barcelona.write_text(text + "\nOne more line.\n", encoding="utf-8")
    build(config)  # the starter site becomes the spare
    barcelona.write_text(text, encoding="utf-8")
    with open(tmp_path / "output" / "cities" / "tokyo" / "index.html", "ab") as page:  # shared with the spare
        page.write(b"<!-- edited by hand -->")
    report = build(config)
    assert report.written >= 2  # Barcelona's page and the repaired Tokyo page, at least
    assert everything_in(tmp_path / "output") == expected


def test_pages_deleted_or_added_by_hand_in_output_are_set_right_by_a_cached_build(tmp_path):
    content, config = built_starter(tmp_path)
    barcelona = content / "cities" / "barcelona.md"
    text = barcelona.read_text(encoding="utf-8")
    barcelona.write_text(text + "\nOne more line.\n", encoding="utf-8")
    build(config)  # the starter site becomes the spare, and the writer's record of both trees is kept
    expected = everything_in(tmp_path / "output")
    (tmp_path / "output" / "cities" / "tokyo" / "index.html").unlink()
    (tmp_path / "output" / "cities" / "lyon" / "notes.html").write_bytes(b"added by hand")
    report = build(config)
    assert (report.written, report.removed) == (1, 1)
    assert everything_in(tmp_path / "output") == expected


@pytest.fixture
def as_recorded():
    """Every publish gets the last one's record of the trees, as a build does."""
    KEEPING[0] = True
    RECORDS.clear()
    yield
    KEEPING[0] = False
    RECORDS.clear()


def made_long_ago(output: Path, spare: Path) -> None:
    """The last record as if made an hour ago, its folders as old: only their times can tell of a change."""
    hour_ago = time.time_ns() - 3600 * 10**9

    def age(root: Path, known):
        for folder in known.folder_times:
            os.utime(root / folder if folder else root, ns=(hour_ago, hour_ago))
        return dataclasses.replace(known, folder_times=dict.fromkeys(known.folder_times, hour_ago))

    RECORDS[output] = KnownTrees(age(output, RECORDS[output].live), age(spare, RECORDS[output].spare))


def test_with_the_last_publishs_record_neither_tree_is_listed(output, spare, as_recorded, monkeypatch):
    publish(output, SITE)
    second = changed(SITE, index_html=b"<h1>Second</h1>\n")
    publish(output, second, vouched=SITE)
    made_long_ago(output, spare)

    def listed(root):
        raise AssertionError(f"{root} was listed")

    monkeypatch.setattr(writer, "scan", listed)
    monkeypatch.setattr(spare_tree, "scan", listed)
    third = changed(second, cities__lyon__index_html=b"<h1>Lyon, third</h1>\n")
    assert publish(output, third, vouched=second) == WriteReport(1, len(SITE) - 1, 0)
    assert everything_in(output) == third and everything_in(spare) == second
    # right after a publish, the folders it changed are listed one by one (their times could hide a change)
    fourth = changed(third, cities__cork__index_html=b"<h1>Cork</h1>\n", cities__galway__index_html=None)
    assert publish(output, fourth, vouched=third) == WriteReport(1, len(SITE) - 1, 1)
    assert everything_in(output) == fourth and everything_in(spare) == third


@pytest.mark.parametrize("when", ["long after the record", "right after it"])
def test_files_changed_by_hand_that_the_record_does_not_know_are_found(output, spare, as_recorded, when):
    publish(output, SITE)
    second = changed(SITE, index_html=b"<h1>Second</h1>\n")
    publish(output, second, vouched=SITE)
    if when == "long after the record":
        made_long_ago(output, spare)
    (output / "cities" / "lyon" / "stray.html").write_bytes(b"added by hand")
    (output / "cities" / "turin" / "index.html").unlink()
    (spare / "networks" / "eurocities" / "junk.html").write_bytes(b"junk in the spare")
    (spare / "cities" / "galway" / "index.html").unlink()
    third = changed(second, index_html=b"<h1>Third</h1>\n")
    report = publish(output, third, vouched=changed(second, cities__turin__index_html=None))
    assert (report.written, report.removed) == (2, 1)  # index.html and the deleted Turin page; the stray
    assert everything_in(output) == third
    fourth = changed(third, cities__cork__index_html=b"<h1>Cork</h1>\n")
    publish(output, fourth, vouched=third)
    assert everything_in(output) == fourth and everything_in(spare) == third


# --- whatever the spare holds -------------------------------------------------------------

def fill_with_junk(spare: Path, outside: Path) -> None:
    """What a killed build, a hand edit or a stray tool could leave in the spare."""
    (spare / "stale.html").write_bytes(b"a page that no longer exists")
    (spare / "gone" / "deep" / "er").mkdir(parents=True)
    (spare / "gone" / "deep" / "page.html").write_bytes(b"stale")
    (spare / "empty" / "folders").mkdir(parents=True)
    (spare / "404.html").unlink()
    (spare / "404.html").symlink_to(outside / "secret.html")  # a symlink where a file goes
    (spare / "assets").rename(spare / "assets-moved")
    (spare / "assets").symlink_to(outside, target_is_directory=True)  # a symlinked folder where a folder goes
    shutil.rmtree(spare / "cities" / "turin")
    (spare / "cities" / "turin").write_bytes(b"a file where a folder goes")
    (spare / "index.html").unlink()
    (spare / "index.html" / "nested").mkdir(parents=True)  # a folder where a file goes
    (spare / "index.html" / "nested" / "file.html").write_bytes(b"inside")
    (spare / "cities" / "lyon" / "index.html").unlink()
    (spare / "cities" / "lyon" / "index.html").write_bytes(b"<h1>Ly")  # half-written by a killed build
    os.mkfifo(spare / "networks" / "pipe")
    (spare / "cities" / "link-to-lyon.html").symlink_to(spare / "cities" / "galway" / "index.html")


def test_junk_in_the_spare_never_reaches_output(output, spare, tmp_path, devices, record):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.html").write_bytes(b"not part of the site")
    (outside / "site.css").write_bytes(b"not the site's css")
    publish(output, SITE)
    publish(output, changed(SITE, index_html=b"<h1>Second</h1>\n"), vouched=SITE)
    fill_with_junk(spare, outside)
    third = changed(SITE, index_html=b"<h1>Third</h1>\n", cities__lyon__index_html=b"<h1>Lyon</h1>\n")
    with holding(spare) as now_at:
        report = publish(output, third, vouched=changed(SITE, index_html=b"<h1>Second</h1>\n"))
        assert now_at(output)  # cleaned up and used, not thrown away
    assert report == WriteReport(1, len(SITE) - 1, 0)
    assert everything_in(output) == third
    assert everything_in(outside) == {"secret.html": b"not part of the site", "site.css": b"not the site's css"}
    # and the spare (the second site) is clean for the build after
    assert everything_in(spare) == changed(SITE, index_html=b"<h1>Second</h1>\n")


@pytest.mark.parametrize("what", ["a symlink to a folder", "a file", "a dangling symlink"])
def test_a_spare_that_is_not_a_folder_is_replaced_not_followed(output, spare, tmp_path, what):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "index.html").write_bytes(b"someone else's")
    publish(output, SITE)
    shutil.rmtree(spare)  # the first build's spare, replaced by something else
    if what == "a symlink to a folder":
        spare.symlink_to(elsewhere, target_is_directory=True)
    elif what == "a file":
        spare.write_bytes(b"not a folder")
    else:
        spare.symlink_to(tmp_path / "nowhere")
    new = changed(SITE, index_html=b"<h1>New</h1>\n")
    publish(output, new, vouched=SITE)
    assert everything_in(output) == new
    assert everything_in(elsewhere) == {"index.html": b"someone else's"}
    assert not spare.is_symlink() and everything_in(spare) == SITE


# --- a build that stops half-way ------------------------------------------------------------

def fail(*args, **kwargs):
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("with_spare", [False, True], ids=["fresh staging", "spare"])
@pytest.mark.parametrize("where", ["writing a file", "syncing to disk", "the exchange"])
def test_a_build_that_fails_leaves_output_byte_identical_and_the_next_one_succeeds(
        output, tmp_path, monkeypatch, with_spare, where):
    publish(output, SITE)
    before = changed(SITE, index_html=b"<h1>Before</h1>\n") if with_spare else SITE
    if with_spare:
        publish(output, before, vouched=SITE)
    snapshot = (everything_in(output), inodes(output))
    new = changed(before, index_html=b"<h1>New</h1>\n", cities__rome__index_html=b"<h1>Rome</h1>\n",
                  cities__galway__index_html=None)
    outputs = [Output(dest, data) for dest, data in new.items()]
    if where == "writing a file":
        outputs.append(Output("cities/vanished/index.html", published=tmp_path / "vanished.html"))
    elif where == "syncing to disk":  # the file system at once, or (a few changes) each file and folder
        monkeypatch.setattr(os, "sync", fail)
        monkeypatch.setattr(os, "fsync", fail)
    else:
        monkeypatch.setattr(folders, "_exchange", fail)
    with pytest.raises(OSError):
        write_site(outputs, output)
    monkeypatch.undo()
    assert (everything_in(output), inodes(output)) == snapshot
    assert not [name for name in siblings(tmp_path) if not name.startswith(".atlas-spare-")]
    assert publish(output, new, vouched=before) == WriteReport(2, len(new) - 2, 1)
    assert everything_in(output) == new


class Killed(BaseException):
    """Stands for SIGKILL: nothing of the writer runs after it."""


class Interrupting:
    """The os module, with file operations that stop the build at the n-th one."""

    def __init__(self, after: int) -> None:
        self.left = after

    def tick(self) -> None:
        if self.left == 0:
            raise Killed
        self.left -= 1

    def __getattr__(self, name):
        real = getattr(os, name)
        if name not in ("unlink", "link", "makedirs", "mkdir", "rmdir", "rename", "sync", "fsync"):
            return real

        def operation(*args, **kwargs):
            self.tick()
            return real(*args, **kwargs)

        return operation


def test_a_build_stopped_after_any_file_operation_leaves_output_intact_and_the_next_build_is_right(
        output, spare, tmp_path, monkeypatch):
    second = changed(SITE, index_html=b"<h1>Second</h1>\n", themes__old__index_html=b"old")
    third = changed(SITE, index_html=b"<h1>Third</h1>\n", cities__lyon__index_html=b"<h1>Lyon 3</h1>\n",
                    cities__galway__index_html=None, cities__cork__index_html=b"<h1>Cork</h1>\n")
    stopped_at = 0
    while True:
        shutil.rmtree(tmp_path)
        tmp_path.mkdir()
        publish(output, SITE)
        publish(output, second, vouched=SITE)
        snapshot = (everything_in(output), inodes(output))
        interrupting = Interrupting(after=stopped_at)
        for module in (writer, spare_tree, folders):  # every module of the writer that touches files
            monkeypatch.setattr(module, "os", interrupting)
            monkeypatch.setattr(module, "open", lambda *args: (interrupting.tick(), open(*args))[1], raising=False)
        try:
            publish(output, third, vouched=second)
            finished = True
        except Killed:
            finished = False
        monkeypatch.undo()
        if finished:
            break
        assert (everything_in(output), inodes(output)) == snapshot, f"stopped after {stopped_at} operations"
        assert publish(output, third, vouched=second) == WriteReport(3, len(third) - 3, 2)
        assert everything_in(output) == third
        assert everything_in(spare) == second
        stopped_at += 1
    assert stopped_at > 8  # it was stopped while updating the spare, not only at the exchange


CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from atlas.publish import spare, writer
    from atlas.model import Output

    fill = spare._fill
    def announced_fill(*args, **kwargs):
        print("filling", flush=True)
        fill(*args, **kwargs)
    spare._fill = announced_fill
    version = sys.argv[3]
    writer.write_site([Output(f"pages/{i % 40}/{i}.html", f"page {i}, version {version}\\n".encode() * 40)
                       for i in range(int(sys.argv[4]))], Path(sys.argv[2]))
""")


def versioned_site(version: int, pages: int) -> dict[str, bytes]:
    return {f"pages/{i % 40}/{i}.html": f"page {i}, version {version}\n".encode() * 40 for i in range(pages)}


def hashes(folder: Path) -> dict[str, str]:
    return {dest: hashlib.sha256(data).hexdigest() if isinstance(data, bytes) else str(data)
            for dest, data in everything_in(folder).items()}


def test_a_build_killed_while_updating_the_spare_leaves_output_intact(output, spare, tmp_path):
    pages = 3000
    publish(output, versioned_site(1, pages))
    publish(output, versioned_site(2, pages))
    published = 2
    killed_while_filling = 0
    for version, delay in enumerate([0, 0.02, 0.05, 0.1, 0.2, 0.3], start=3):
        before = hashes(output)
        process = subprocess.Popen([sys.executable, "-c", CHILD, str(ROOT), str(output), str(version), str(pages)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert process.stdout.readline() == b"filling\n"
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
        process.stderr.close()
        if process.returncode == 0:
            published = version
            assert everything_in(output) == versioned_site(version, pages)
            continue
        killed_while_filling += 1
        assert hashes(output) == before
        assert everything_in(output) == versioned_site(published, pages)
    assert killed_while_filling >= 2
    publish(output, versioned_site(99, pages))
    assert everything_in(output) == versioned_site(99, pages)


# --- the same site as a build from scratch ------------------------------------------------------

def test_successive_builds_give_the_tree_a_build_from_scratch_gives(tmp_path):
    content, config = built_starter(tmp_path)
    barcelona = content / "cities" / "barcelona.md"
    barcelona.write_text(barcelona.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    (content / "pages" / "press.md").write_text("---\ntitle: Press\n---\nFor journalists.\n", encoding="utf-8")
    build(config)
    (content / "pages" / "press.md").unlink()
    about = content / "pages" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nAnd one about the atlas.\n", encoding="utf-8")
    report = build(config)
    assert report.removed >= 1 and report.written >= 2
    assert (tmp_path / ".atlas-spare-output").is_dir()
    scratch = tmp_path / "scratch"
    build(Config(content_dir=content, output_dir=scratch))
    assert everything_in(tmp_path / "output") == everything_in(scratch)


# --- where renameat2 is missing ------------------------------------------------------------------

def test_without_an_atomic_exchange_the_replaced_site_still_becomes_the_spare(output, spare, tmp_path,
                                                                             monkeypatch):
    monkeypatch.setattr(folders, "_exchange", lambda a, b: False)
    publish(output, SITE)
    second = changed(SITE, index_html=b"<h1>Second</h1>\n")
    publish(output, second, vouched=SITE)
    assert (everything_in(output), everything_in(spare)) == (second, SITE)
    (spare / "junk.html").write_bytes(b"junk")
    third = changed(SITE, index_html=b"<h1>Third</h1>\n")
    publish(output, third, vouched=second)
    assert (everything_in(output), everything_in(spare)) == (third, second)
    assert siblings(tmp_path) == [".atlas-spare-output"]


# --- what the writer refuses ------------------------------------------------------------------------

def test_a_path_that_is_both_a_page_and_a_folder_is_refused_before_anything_is_written(output):
    publish(output, SITE)
    with pytest.raises(AtlasError, match="also a folder"):
        publish(output, {**SITE, "cities": b"a page", "cities/rome/index.html": b"Rome"})
    assert everything_in(output) == SITE


def test_an_output_that_is_a_symlink_is_refused(tmp_path):
    real = tmp_path / "real"
    publish(real, SITE)
    (tmp_path / "output").symlink_to(real, target_is_directory=True)
    with pytest.raises(AtlasError, match="not a folder"):
        publish(tmp_path / "output", SITE)
    assert everything_in(real) == SITE


# --- on disk before the swap ----------------------------------------------------------------

@pytest.mark.parametrize("changes, synced", [(1, "each file"), (spare_tree.FSYNC_LIMIT + 1, "the file system")])
def test_the_spares_changes_are_on_disk_before_it_is_swapped_in(output, spare, monkeypatch, changes, synced):
    site = {f"cities/c{i}/index.html": b"<h1>City</h1>\n" for i in range(spare_tree.FSYNC_LIMIT + 1)}
    publish(output, site)
    publish(output, changed(site, index_html=b"<h1>Home</h1>\n"), vouched=site)
    calls = []
    monkeypatch.setattr(os, "sync", lambda: calls.append("sync"))
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda handle: calls.append("fsync") or real_fsync(handle))
    new = {dest: b"<h1>Changed</h1>\n" if i < changes else data for i, (dest, data) in enumerate(site.items())}
    publish(output, new, vouched=site)
    assert everything_in(output) == new
    if synced == "each file":  # the one page written, then its folder
        assert calls == ["fsync", "fsync"]
    else:
        assert calls == ["sync"]
