"""`atlas serve --cms`: Decap CMS's local backend (decap-server), so /admin/ edits the working copy.

Started by server.py beside the preview; decap-server writes the files the
editor saves into content/, which the preview watches like any other edit.
It is the npm package of that name (package.json), run from node_modules/.bin.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from atlas.errors import AtlasError
from atlas.render.assets import NODE_MODULES

DECAP_SERVER = NODE_MODULES / ".bin" / "decap-server"


@dataclass
class LocalBackend:
    """A running decap-server: its API address (for admin/config.yml) and process."""

    url: str  # "http://127.0.0.1:8081/api/v1"
    process: subprocess.Popen

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_local_backend(repository: Path, port: int = 0, timeout: float = 30.0) -> LocalBackend:
    """decap-server on 127.0.0.1 for the folder that holds content/ (`port` 0: a free one), once it answers."""
    if not DECAP_SERVER.exists():
        raise AtlasError(f"decap-server is not installed in {NODE_MODULES}; run `npm ci` in the project folder"
                         " (see README)")
    port = port or _free_port()
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "fs",
           "GIT_REPO_DIRECTORY": str(Path(repository).resolve()), "LOG_LEVEL": "warn"}
    process = subprocess.Popen([str(DECAP_SERVER)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               preexec_fn=_stop_with_parent)
    backend = LocalBackend(f"http://127.0.0.1:{port}/api/v1", process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AtlasError(f"decap-server stopped at once: {process.stderr.read().decode(errors='replace')[-500:]}")
        try:
            request = urllib.request.Request(backend.url, data=b'{"action":"info"}',
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=2):
                return backend
        except OSError:
            time.sleep(0.1)
    backend.stop()
    raise AtlasError(f"decap-server did not answer on port {port} within {timeout:.0f} s")


def _stop_with_parent() -> None:
    """In the child, before node starts: Linux ends it when atlas serve ends, however that ends."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # elsewhere, Server.serve_forever's `finally` stops it


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
