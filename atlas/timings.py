"""How long each stage of a build took, and the memory it had used by then, for `atlas build --timings`.

pipeline.py (and incremental/resume.py) call `Stopwatch.lap` after each stage; the
BuildReport carries what it measured. Imports nothing of the atlas.
"""

from __future__ import annotations

import time


class Stopwatch:
    """Seconds spent in each stage, for `atlas build --timings`."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}
        self.peak_memory: dict[str, int] = {}  # the process's peak resident set (KiB) at the end of each stage
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] = self.stages.get(stage, 0.0) + now - self._last
        self.peak_memory[stage] = peak_memory_kib()
        self._last = now


def peak_memory_kib() -> int:
    """The process's peak resident set so far, in KiB; 0 where the platform does not say (Windows)."""
    try:
        import resource
    except ImportError:  # not on Windows
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
