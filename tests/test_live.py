"""Quick rebuilds (atlas serve): an edit that leaves the graph as it was re-renders the pages that read what it
changed, with a full build's bytes; an edit to an entry's text, that one page."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from atlas.serve.live import quick_rebuild
from atlas.errors import AtlasError
from atlas.render.parallel import Beside, render_each, worker_count
from atlas.pipeline import Config, build
from atlas.site import BuildCancelled, PublishGate

STARTER = Path(__file__).resolve().parent.parent / "content"
BASE = "http://127.0.0.1:8000/"


@pytest.fixture
def served(kept_builds):
    """The starter atlas built once, as atlas serve holds it: (config, state, content folder)."""
    state = kept_builds.restore(base_url=BASE).state
    return state.config, state, state.config.content_dir


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_text_edit_rerenders_only_that_page_with_the_bytes_of_a_full_build(served, tmp_path):
    config, state, content = served
    barcelona = content / "cities" / "barcelona.md"
    append(barcelona, "\nA sentence added while the server runs.\n")
    untouched = (config.output_dir / "cities" / "tokyo" / "index.html").stat().st_mtime_ns

    result = quick_rebuild(state, [barcelona])

    assert result is not None
    assert result.pages == ["cities/barcelona/index.html"]
    page = (config.output_dir / "cities" / "barcelona" / "index.html").read_bytes()
    assert b"A sentence added while the server runs." in page
    assert (config.output_dir / "cities" / "tokyo" / "index.html").stat().st_mtime_ns == untouched
    full = build(Config(content_dir=content, output_dir=tmp_path / "full", base_url=BASE))
    assert full.pages > 100
    assert (tmp_path / "full" / "cities" / "barcelona" / "index.html").read_bytes() == page


def test_the_next_quick_rebuild_starts_from_the_last_one(served):
    config, state, content = served
    barcelona = content / "cities" / "barcelona.md"
    append(barcelona, "\nFirst addition.\n")
    assert quick_rebuild(state, [barcelona]).pages
    append(barcelona, "\nSecond addition.\n")
    assert quick_rebuild(state, [barcelona]).pages
    page = (config.output_dir / "cities" / "barcelona" / "index.html").read_text(encoding="utf-8")
    assert "First addition." in page and "Second addition." in page
    assert "Second addition." in state.atlas.get("cities", "barcelona").body


def html_pages(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*.html")}


OPEN_DATA = "data/index.html"  # gives each data file's size: the background build's, with the files


@pytest.mark.parametrize("change", [
    ("cities/barcelona.md", "office: Department", "office: The Department"),
    ("cities/barcelona.md", "summary: Spanish city", "summary: A Spanish city"),
    ("cities/toledo-ohio.md", "region: Ohio", "region: Lucas County, Ohio"),  # on Toledo (ES) and the timeline
    ("networks/c40.md", "founded: ", "# a comment\nfounded: "),  # the lines move; nothing else changes
])
def test_a_fact_the_graph_does_not_read_rerenders_every_page_that_shows_it(served, tmp_path, change):
    config, state, content = served
    name, old, new = change
    replace(content / name, old, new)
    result = quick_rebuild(state, [content / name])
    assert result is not None
    assert 0 <= len(result.pages) < 100
    build(Config(content_dir=content, output_dir=tmp_path / "full", base_url=BASE))
    quick, full = html_pages(config.output_dir), html_pages(tmp_path / "full")
    assert {dest for dest in full if quick.get(dest) != full[dest]} <= {OPEN_DATA}
    build(config)  # atlas serve's background build
    assert html_pages(config.output_dir) == full


def test_the_data_files_and_their_sizes_are_left_to_the_background_build(served, tmp_path):
    config, state, content = served
    barcelona = content / "cities" / "barcelona.md"
    replace(barcelona, "office: ", "population: 1620343\noffice: ")
    published = (config.output_dir / "data" / "atlas.json").read_bytes()

    result = quick_rebuild(state, [barcelona])

    assert result.pages == ["cities/barcelona/index.html"]
    assert (config.output_dir / "data" / "atlas.json").read_bytes() == published
    build(config)
    build(Config(content_dir=content, output_dir=tmp_path / "full", base_url=BASE))
    for dest in ("data/atlas.json", "data/cities.csv", OPEN_DATA):
        assert (config.output_dir / dest).read_bytes() == (tmp_path / "full" / dest).read_bytes(), dest
    assert b"1620343" in (config.output_dir / "data" / "atlas.json").read_bytes()


@pytest.mark.parametrize("change", [
    ("cities/barcelona.md", "name: Barcelona", "name: Barcelona City"),  # the graph places a city by its name
    ("cities/barcelona.md", "partners:\n", "partners:\n  - galway\n"),
    ("cities/barcelona.md", "themes: [citizen-diplomacy, ", "themes: ["),
])
def test_front_matter_edits_the_graph_reads_need_a_full_build(served, change):
    config, state, content = served
    name, old, new = change
    replace(content / name, old, new)
    assert quick_rebuild(state, [content / name]) is None


def test_a_new_link_or_citation_needs_a_full_build(served):
    config, state, content = served
    barcelona = content / "cities" / "barcelona.md"
    append(barcelona, "\nBarcelona also knows [[tokyo]].\n")
    assert quick_rebuild(state, [barcelona]) is None


def test_new_deleted_and_non_entry_files_need_a_full_build(served):
    config, state, content = served
    new_city = content / "cities" / "nowhere.md"
    new_city.write_text("---\nname: Nowhere\ncountry: FR\ncoordinates: [45, 4]\n---\nText.\n", encoding="utf-8")
    assert quick_rebuild(state, [new_city]) is None
    (content / "cities" / "tokyo.md").unlink()
    assert quick_rebuild(state, [content / "cities" / "tokyo.md"]) is None
    assert quick_rebuild(state, [content / "sources.yaml"]) is None
    assert quick_rebuild(state, [Path(__file__)]) is None


def test_a_broken_edit_needs_a_full_build_and_writes_nothing(served):
    """The full build reports its errors as `atlas build` does, with everything else it checks."""
    config, state, content = served
    barcelona = content / "cities" / "barcelona.md"
    before = (config.output_dir / "cities" / "barcelona" / "index.html").read_bytes()
    replace(barcelona, "country: ES", "country: XX")
    assert quick_rebuild(state, [barcelona]) is None
    assert (config.output_dir / "cities" / "barcelona" / "index.html").read_bytes() == before


def test_a_cancelled_build_publishes_nothing(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(STARTER, content)
    gate = PublishGate()
    gate.cancelled.set()
    with pytest.raises(BuildCancelled):
        build(Config(content_dir=content, output_dir=tmp_path / "out"), gate=gate)
    assert not (tmp_path / "out").exists()


def test_a_build_tells_the_gate_what_it_published_while_holding_the_lock(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(STARTER, content)
    seen = []
    gate = PublishGate(threading.Lock(), published=lambda state, pages: seen.append((gate.lock.locked(), pages)))
    report = build(Config(content_dir=content, output_dir=tmp_path / "out"), gate=gate)
    assert seen == [(True, report.pages)]
    assert report.state.atlas.get("cities", "barcelona") is not None


def test_pages_render_on_every_core_in_entry_order(monkeypatch):
    monkeypatch.setenv("ATLAS_WORKERS", "2")
    monkeypatch.setattr("atlas.render.parallel.MIN_PAGES_PER_WORKER", 10)
    assert worker_count(100) == 2
    from atlas.incremental.cache import BuildCache

    cache, outputs = BuildCache(namespace=""), []

    def render_one(number: int) -> None:
        outputs.append(cache.page(f"{number}.html", "key", lambda: str(os.getpid()).encode()))

    render_each(render_one, list(range(300)), cache, outputs)
    assert [o.dest for o in outputs] == [f"{n}.html" for n in range(300)]
    assert {o.data for o in outputs} - {str(os.getpid()).encode()}, "rendered by worker processes"
    assert cache.rendered == 300 and set(cache.pages) == {f"{n}.html" for n in range(300)}




def test_render_workers_end_at_the_pools_sigterm_even_under_atlas_serves_handler(monkeypatch):
    """atlas serve turns SIGTERM into KeyboardInterrupt; a worker that inherited that could swallow the
    signal with which the pool ends it, and the build would wait for it for ever."""
    monkeypatch.setenv("ATLAS_WORKERS", "2")
    monkeypatch.setattr("atlas.render.parallel.MIN_PAGES_PER_WORKER", 10)
    from atlas.incremental.cache import BuildCache

    cache, outputs = BuildCache(namespace=""), []

    def render_one(number: int) -> None:
        handler = signal.getsignal(signal.SIGTERM)
        outputs.append(cache.page(f"{number}.html", "key", lambda: f"{os.getpid()} {handler is signal.SIG_DFL}".encode()))

    serving = signal.signal(signal.SIGTERM, signal.default_int_handler)  # as atlas serve sets it
    try:
        started = time.monotonic()
        render_each(render_one, list(range(100)), cache, outputs)
    finally:
        signal.signal(signal.SIGTERM, serving)
    in_workers = {o.data for o in outputs if not o.data.startswith(f"{os.getpid()} ".encode())}
    assert in_workers and all(data.endswith(b" True") for data in in_workers)
    assert time.monotonic() - started < 30


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value


def _refuse(name: str) -> None:
    raise AtlasError(f"the front-end package '{name}' is not installed")


def _die() -> None:
    os._exit(3)


def test_work_beside_runs_in_a_second_process_and_gives_back_what_the_call_gives():
    """A large build makes its assets in a second process while it resolves the atlas."""
    pid, value = Beside(True, _pid_and, 7).result()
    assert (value, pid != os.getpid()) == (7, True)
    assert Beside(False, _pid_and, 7).result() == (os.getpid(), 7)  # a small atlas: here, when asked


def test_work_beside_asked_for_on_another_thread_is_done_there_not_forked():
    """atlas serve builds on a thread beside its server's: a fork there could copy a lock another
    thread holds, so the work runs in the calling process."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(lambda: Beside(True, _pid_and, 7).result()).result() == (os.getpid(), 7)


def test_an_error_beside_is_raised_where_the_result_is_asked_for():
    with pytest.raises(AtlasError, match="'leaflet' is not installed"):
        Beside(True, _refuse, "leaflet").result()


def test_work_beside_that_ends_without_a_result_is_an_error_not_a_wait():
    with pytest.raises(AtlasError, match="ended without a result"):
        Beside(True, _die).result()


def _stuck_in_a_child(parent: int) -> int:
    if os.getpid() != parent:
        time.sleep(60)
    return os.getpid()


def test_work_beside_that_does_not_answer_in_time_is_stopped_and_done_here(monkeypatch):
    """A forked process that never answers (a lock another thread held when it was forked) cannot hang a build."""
    monkeypatch.setattr("atlas.render.parallel.BESIDE_TIMEOUT", 0.5)
    started = time.monotonic()
    assert Beside(True, _stuck_in_a_child, os.getpid()).result() == os.getpid()
    assert time.monotonic() - started < 10


def test_a_build_that_fails_first_stops_the_work_beside_at_once_and_leaves_no_process_behind():
    """A cancelled build stops it with SIGKILL, which no process can refuse, where terminating a
    multiprocessing pool could hang."""
    beside = Beside(True, time.sleep, 60)
    pid = beside._pid
    started = time.monotonic()
    beside.close()
    assert time.monotonic() - started < 5
    with pytest.raises(ChildProcessError):  # reaped: no zombie left
        os.waitpid(pid, os.WNOHANG)
    beside.close()  # twice is harmless


def test_a_cancelled_build_of_a_large_atlas_stops_its_assets_process(tmp_path, monkeypatch):
    """The starter atlas is large enough to make its assets beside resolving; cancelled, the build
    raises at once and leaves no child process."""
    monkeypatch.setenv("ATLAS_WORKERS", "2")
    content = tmp_path / "content"
    shutil.copytree(STARTER, content)
    forked, pids = [], []

    def beside(*args):
        forked.append(Beside(*args))
        pids.append(forked[-1]._pid)
        return forked[-1]

    monkeypatch.setattr("atlas.pipeline.Beside", beside)
    gate = PublishGate()
    gate.cancelled.set()
    with pytest.raises(BuildCancelled):
        build(Config(content_dir=content, output_dir=tmp_path / "out"), gate=gate)
    assert len(pids) == 1 and pids[0] is not None and forked[0]._pid is None  # it was forked, and is gone
    with pytest.raises(ChildProcessError):  # reaped: this process has no such child any more
        os.waitpid(pids[0], os.WNOHANG)
