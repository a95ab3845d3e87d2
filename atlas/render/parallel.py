"""Render entry pages on every core: the stage where a large build spends most of its time.

Used by pages.py. Worker processes are forked after the atlas is resolved, so
they inherit it and read nothing; each renders a slice of the entries and
sends back the bytes and the cache records it made. The parent puts them back
in entry order, so the output is byte for byte the output of one process.
Small sites, and systems without fork, render in the calling process.

Beside runs one piece of work (the assets) in a forked process while the
caller goes on (resolving the atlas).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import select
import shutil
import signal
import threading
import time
from typing import Callable, Sequence

from atlas.errors import AtlasError
from atlas.incremental.cache import BuildCache
from atlas.model import Output

MIN_PAGES_PER_WORKER = 250  # below this, starting a process costs more than it saves
CHUNK = 64  # entries per task: small enough to balance the load, large enough to keep messages few
BESIDE_TIMEOUT = 120.0  # seconds: work beside that takes longer is given up and done in the calling process

_job: tuple[Callable, Sequence, BuildCache, list[Output]] | None = None  # set in the parent, inherited by workers


def _background_niceness() -> str | None:
    """In atlas serve (ATLAS_BACKGROUND_NICENESS), background work yields to quick rebuilds."""
    niceness = os.environ.get("ATLAS_BACKGROUND_NICENESS", "")
    return niceness if niceness.isdigit() else None


def lower_priority() -> None:
    """Lower this process's priority when background work should yield (render workers)."""
    niceness = _background_niceness()
    if niceness and hasattr(os, "nice"):
        os.nice(int(niceness))


def process_alive(pid: int) -> bool:
    """Whether a process of that id runs (one of another user's counts): its leftovers are not ours to remove."""
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def start_worker() -> None:
    """In a forked worker: stop at the SIGTERM with which a pool ends its workers (`atlas serve` turns
    SIGTERM into KeyboardInterrupt, which a worker inherits and could swallow, leaving the pool's
    terminate() waiting for it for ever), and yield to quick rebuilds when asked."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    lower_priority()


def background_priority(command: list[str]) -> list[str]:
    """The command run through `nice` when background work should yield (Pagefind)."""
    niceness = _background_niceness()
    nice = shutil.which("nice") if niceness else None
    return [nice, "-n", niceness, *command] if nice else command


def available_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def worker_count(pages: int) -> int:
    """How many processes to render `pages` entry pages with (ATLAS_WORKERS overrides)."""
    wanted = os.environ.get("ATLAS_WORKERS", "")
    cores = int(wanted) if wanted.isdigit() and int(wanted) > 0 else available_cores()
    if not hasattr(os, "fork") or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(cores, pages // MIN_PAGES_PER_WORKER))


def render_each(render_one: Callable, items: Sequence, cache: BuildCache, outputs: list[Output],
                progress: Callable[[int, int], None] | None = None) -> None:
    """Call `render_one(item)` for every item, appending to `outputs` in item order, on every core."""
    workers = worker_count(len(items))
    if workers == 1:
        for done, item in enumerate(items, 1):
            render_one(item)
            if progress is not None and (done % 50 == 0 or done == len(items)):
                progress(done, len(items))
        return
    global _job
    _job = (render_one, items, cache, outputs)
    slices = [(start, min(start + CHUNK, len(items))) for start in range(0, len(items), CHUNK)]
    # The workers inherit the resolved atlas: keep the garbage collector off it, so that it is not
    # traversed again and again in every worker, nor copied page by page into each of them.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=start_worker) as pool:
            for (start, stop), result in zip(slices, pool.imap(_render_slice, slices)):
                _merge(cache, outputs, result)
                if progress is not None:
                    progress(stop, len(items))
    finally:
        _job = None
        gc.unfreeze()


def _render_slice(bounds: tuple[int, int]) -> dict:
    """In a worker: render items[start:stop]; return the pages and what the cache learned."""
    render_one, items, cache, outputs = _job
    start, stop = bounds
    del outputs[:]
    cache.used_bodies, cache.fresh_bodies, cache.fresh_units = set(), set(), set()
    rendered, reused = cache.rendered, cache.reused
    for item in items[start:stop]:
        render_one(item)
    return {
        "outputs": list(outputs),  # a page the cache vouches for travels as its path, not its bytes
        "pages": {o.dest: cache.pages[o.dest] for o in outputs if o.dest in cache.pages},
        "units": {name: cache.units[name] for name in cache.fresh_units},
        "used_bodies": list(cache.used_bodies),
        "fresh_bodies": {key: cache.bodies[key] for key in cache.fresh_bodies},
        "rendered": cache.rendered - rendered,
        "reused": cache.reused - reused,
    }


def _merge(cache: BuildCache, outputs: list[Output], result: dict) -> None:
    outputs.extend(result["outputs"])
    cache.pages.update(result["pages"])
    for name, record in result["units"].items():
        cache.record_unit(name, *record)
    cache.bodies.update(result["fresh_bodies"])
    cache.used_bodies.update(result["used_bodies"])
    cache.rendered += result["rendered"]
    cache.reused += result["reused"]


class Beside:
    """`make(*args)` in a forked process while the caller goes on with other work; `result()` waits for
    what it returns (or raises what it raised). Without `fork` (a small atlas, a system without fork),
    `result()` calls it there and then. Only the result travels back, pickled, through a pipe.

    A plain fork and a pipe, not a multiprocessing pool: stopping it (`close`) is one SIGKILL and one
    wait for a process that cannot refuse to die, where terminating a pool could hang. A process that
    has not answered within BESIDE_TIMEOUT is stopped so, and the work is done in the calling process.

    >>> Beside(False, sum, [1, 2]).result()
    3
    """

    def __init__(self, fork: bool, make: Callable, *args) -> None:
        self._job = (make, args)
        self._pid: int | None = None
        # forked from the main thread only: atlas serve builds on a thread of its own beside the server's,
        # and a lock one of them held at the fork (an import's, a stream's) would stay locked in the copy
        if not (fork and threading.current_thread() is threading.main_thread() and hasattr(os, "fork")
                and "fork" in multiprocessing.get_all_start_methods()):
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the second process: make the result, send it, and end without running the caller's code
            os.close(read)
            try:
                gc.freeze()  # what it inherited is not traversed by the collector, nor copied page by page
                start_worker()
                try:
                    message = pickle.dumps((True, make(*args)), protocol=pickle.HIGHEST_PROTOCOL)
                except BaseException as error:  # noqa: BLE001 - travels back to be raised there
                    message = _pickled_error(error)
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(message)
            finally:
                os._exit(0)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self):
        if self._pid is None:
            make, args = self._job
            return make(*args)
        read, self._read = self._read, None
        try:
            message = _read_all(read, time.monotonic() + BESIDE_TIMEOUT)
        finally:
            os.close(read)
            self.close()
        if message is None:  # stuck (a lock another thread held when it was forked?): do it here instead
            make, args = self._job
            return make(*args)
        if not message:
            raise AtlasError("the process making the assets ended without a result")
        made, value = pickle.loads(message)
        if not made:
            raise value
        return value

    def close(self) -> None:
        """Stop the process (a build that failed before it needed the result must not wait for it)."""
        if self._pid is None:
            return
        pid, self._pid = self._pid, None
        if self._read is not None:
            os.close(self._read)
            self._read = None
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:  # it has ended, and waits to be reaped
            pass
        os.waitpid(pid, 0)


def _read_all(fd: int, deadline: float) -> bytes | None:
    """Everything written into the pipe until its other end closes; None if that takes past `deadline`."""
    chunks = []
    while True:
        if not select.select([fd], [], [], max(0.0, deadline - time.monotonic()))[0]:
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _pickled_error(error: BaseException) -> bytes:
    try:
        return pickle.dumps((False, error))
    except Exception:  # noqa: BLE001 - an error that cannot be pickled still says what it was
        return pickle.dumps((False, AtlasError(f"{type(error).__name__}: {error}")))
