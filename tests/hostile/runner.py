"""Run `atlas build` in a forked child: bounded in time, and a crash cannot take pytest down.

The child is a fork of the test process, so the atlas is already imported and
warm; it runs `atlas.cli.main` with stdout and stderr going to files, and
records the exit code and how long main() took. A child that is still running
after `timeout` seconds is killed with its process group (the search
indexer it may be waiting for included); one that dies of a signal (a segfault in a C
parser, say) is reported as such. An exception that escapes main() is written
to stderr with its traceback, and the exit code is ESCAPED.
"""

from __future__ import annotations

import faulthandler
import json
import os
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

ESCAPED = 70  # main() raised instead of returning


@dataclass
class Run:
    exit_code: int | None  # None when killed or crashed
    stdout: str
    stderr: str
    seconds: float  # time spent in main(), or until it was killed
    failure: str | None = None  # "timed out after 60 s", "killed by SIGSEGV"

    def describe(self) -> str:
        tail = "\n".join(self.stderr.splitlines()[-30:])
        return (f"exit code {self.exit_code}, {self.seconds:.1f} s"
                + (f", {self.failure}" if self.failure else "") + f"\n--- stderr (end) ---\n{tail}")


def run_atlas(argv: list[str], cwd: Path, timeout: float = 60.0) -> Run:
    """`atlas <argv>` in a forked child with cwd `cwd`."""
    with tempfile.TemporaryDirectory(prefix="atlas-run-") as scratch:
        out_path, err_path, result_path = (Path(scratch) / name for name in ("out", "err", "result"))
        sys.stdout.flush()
        sys.stderr.flush()
        started = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            _child(argv, cwd, out_path, err_path, result_path)
        try:
            os.setpgid(pid, pid)  # also here, so the group exists whichever process runs first
        except OSError:
            pass
        status = _wait(pid, timeout)
        elapsed = time.perf_counter() - started
        stdout = out_path.read_text(encoding="utf-8", errors="replace") if out_path.exists() else ""
        stderr = err_path.read_text(encoding="utf-8", errors="replace") if err_path.exists() else ""
        if status is None:
            return Run(None, stdout, stderr, elapsed, f"timed out after {timeout:.0f} s (a hang)")
        if os.WIFSIGNALED(status):
            name = signal.Signals(os.WTERMSIG(status)).name
            return Run(None, stdout, stderr, elapsed, f"the build process was killed by {name}")
        try:
            result = json.loads(result_path.read_text())
        except (OSError, ValueError):
            return Run(None, stdout, stderr, elapsed, f"the build process exited with status {os.WEXITSTATUS(status)}"
                                                       " without finishing")
        return Run(result["code"], stdout, stderr, result["seconds"])


def _child(argv, cwd, out_path, err_path, result_path) -> None:
    code = 99
    try:
        os.setpgid(0, 0)  # its own process group, so a hang can be ended with whatever it started
        os.chdir(cwd)
        out = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        err = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(out, 1)
        os.dup2(err, 2)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
        faulthandler.enable(file=sys.stderr)  # a crash's Python stack goes into the captured stderr
        import atlas.cli

        started = time.perf_counter()
        try:
            code = atlas.cli.main(argv)
        except SystemExit as exc:  # argparse; main() itself should return
            code = exc.code if isinstance(exc.code, int) else 2
        except BaseException:  # noqa: BLE001 - report whatever escaped main()
            traceback.print_exc()
            code = ESCAPED
        seconds = time.perf_counter() - started
        sys.stdout.flush()
        sys.stderr.flush()
        Path(result_path).write_text(json.dumps({"code": code, "seconds": seconds}))
        code = 0
    finally:
        os._exit(code if isinstance(code, int) else 99)


def _wait(pid: int, timeout: float) -> int | None:
    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        if time.monotonic() > deadline:
            for kill in (os.killpg, os.kill):  # the build and any indexer it is waiting for
                try:
                    kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            os.waitpid(pid, 0)
            return None
        time.sleep(delay)
        delay = min(delay * 2, 0.05)
