"""`atlas serve`: build, serve on localhost, rebuild on every change, reload the open pages.

The atlas's only long-running part. It watches content/, templates/ and
static/, rebuilds through the same pipeline as `atlas build` (with the build
cache, so only pages whose inputs changed are rendered) and tells open pages,
over Server-Sent Events, to reload, or to show the build's errors in an
overlay with file and line. A broken file never replaces the last good site:
the server keeps serving it until the file is fixed.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from atlas.errors import AtlasError, ContentError, Problem, describe_failure
from atlas.serve.cms import start_local_backend
from atlas.serve.live import quick_rebuild
from atlas.pipeline import build
from atlas.site import BuildCancelled, BuildReport, Config, PublishGate, SiteState
from atlas.render.templates import STATIC_DIR, TEMPLATES_DIR

EVENTS_PATH = "/__atlas/events"
CLIENT_PATH = "/__atlas/reload.js"

CLIENT_SCRIPT = r"""/* atlas serve: reload on rebuild, show build errors. Not part of the published site. */
(function () {
  "use strict";
  var version = null;
  var overlay = null;
  function showErrors(problems) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "atlas-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:100000;" +
        "background:#2b0d0d;color:#fff;font:15px/1.5 ui-monospace,monospace;padding:16px 20px;" +
        "border-top:4px solid #ff6b5b;box-shadow:0 -4px 24px rgba(0,0,0,.4)";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "The atlas did not build. The last good version is shown. Fix these and save:";
    overlay.appendChild(title);
    var list = document.createElement("pre");
    list.style.cssText = "white-space:pre-wrap;margin:8px 0 0";
    list.textContent = problems.join("\n");
    overlay.appendChild(list);
  }
  function clearErrors() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  var source = new EventSource("/__atlas/events");
  source.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    if (state.errors.length) { showErrors(state.errors); } else { clearErrors(); }
    if (version === null) { version = state.version; return; }
    if (state.version !== version && !state.errors.length) { window.location.reload(); }
  });
}());
"""


@dataclass
class BuildState:
    """What open pages need to know: the site's version and the current errors."""

    version: int = 0
    errors: list[str] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, *, rebuilt: bool, errors: list[str]) -> None:
        with self.changed:
            if rebuilt:
                self.version += 1
            self.errors = errors
            self.changed.notify_all()

    def snapshot(self) -> dict:
        return {"version": self.version, "errors": list(self.errors)}


class _Handler(http.server.SimpleHTTPRequestHandler):
    state: BuildState
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".yml": "text/yaml"}  # admin/config.yml

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's API
        path = self.path.split("?", 1)[0]
        if path == EVENTS_PATH:
            return self._events()
        if path == CLIENT_PATH:
            return self._send(200, "text/javascript; charset=utf-8", CLIENT_SCRIPT.encode("utf-8"))
        target = Path(self.translate_path(path))
        if target.is_dir():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.end_headers()
                return None
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            return self._send(200, "text/html; charset=utf-8", self._with_client(target.read_bytes()))
        if not target.exists():
            not_found = Path(self.directory) / "404.html"
            if not_found.is_file():
                return self._send(404, "text/html; charset=utf-8", self._with_client(not_found.read_bytes()))
        return super().do_GET()

    def _with_client(self, html: bytes) -> bytes:
        tag = f'<script src="{CLIENT_PATH}" defer></script></body>'.encode()
        return html.replace(b"</body>", tag, 1) if b"</body>" in html else html + tag

    def _send(self, code: int, content_type: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = None
        try:
            while True:
                with self.state.changed:
                    if seen == self.state.snapshot():
                        self.state.changed.wait(timeout=15)
                    snapshot = self.state.snapshot()
                if snapshot != seen:
                    self.wfile.write(f"event: state\ndata: {json.dumps(snapshot)}\n\n".encode("utf-8"))
                    seen = snapshot
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


class Server:
    """Builds once, then serves, and rebuilds on every change until stopped.

    Three threads: the watcher collects changed paths (and cancels a full
    build they overtake), the main loop re-renders edited pages at once when
    it can (live.py), and the builder runs full builds in the background, for
    everything else and to bring the search index and data files up to date.
    """

    def __init__(self, config: Config, port: int = 8000, host: str = "127.0.0.1",
                 log=print, watch: list[Path] | None = None, cms: bool = False) -> None:
        self.state = BuildState()
        self.log = log
        handler = type("Handler", (_Handler,), {"state": self.state})
        config.output_dir.mkdir(parents=True, exist_ok=True)
        self.httpd = http.server.ThreadingHTTPServer(
            (host, port), functools.partial(handler, directory=str(config.output_dir.resolve())))
        self.httpd.daemon_threads = True
        self.url = f"http://{host}:{self.httpd.server_address[1]}/"
        # the browser editor at /admin/ saves into the folder that holds content/, through decap-server
        self.backend = start_local_backend(Path(config.content_dir).resolve().parent) if cms else None
        self.config = Config(content_dir=config.content_dir, output_dir=config.output_dir, base_url=self.url,
                             drafts=config.drafts, templates_dir=config.templates_dir,
                             cache_dir=config.cache_dir, background_cleanup=True,
                             cms_backend=self.backend.url if self.backend else None)
        self.watch = watch or [config.content_dir, TEMPLATES_DIR, STATIC_DIR]
        self.stopping = threading.Event()
        self.serving = threading.Event()  # set once the first build is done
        self.write_lock = threading.Lock()  # one writer to output/ at a time: a quick rebuild or a full build
        self.gate = PublishGate(self.write_lock)
        self.site: SiteState | None = None  # the last good build's atlas, for quick rebuilds
        self.pages = 0
        self.changes: set[Path] = set()
        self.wake = threading.Condition()
        self.full_build: str | None = None  # why a full build is wanted ("edit", "quick"), or None

    # --- full builds ---------------------------------------------------------

    def rebuild(self, reason: str = "edit") -> BuildReport | None:
        """One full build in this thread; the outcome is logged and told to open pages."""
        started = time.perf_counter()
        gate = self.gate = PublishGate(self.write_lock, published=self._remember)
        try:
            report = build(self.config, gate=gate)
        except BuildCancelled:
            return None
        except ContentError as exc:
            self._failed(exc.problems)
            return None
        except (AtlasError, OSError) as exc:
            self.log(f"error: {exc}; still serving the last good site")
            self.state.publish(rebuilt=False, errors=[str(exc)])
            return None
        for warning in report.warnings:
            self.log(str(warning))
        seconds = time.perf_counter() - started
        if reason == "quick":
            self.log(f"search index, data files and lists brought up to date in {seconds:.1f} s"
                     f" ({report.rendered} pages rendered, {report.written} files written)")
        else:
            self.log(f"rebuilt in {seconds:.2f} s: {report.rendered} of {report.pages} pages"
                     f" rendered, {report.written} files written")
        self.state.publish(rebuilt=report.written > 0 or report.removed > 0 or bool(self.state.errors),
                           errors=[])
        return report

    def _failed(self, problems: list[Problem]) -> None:
        """Tell the terminal and the open pages what broke, in the words of `atlas build`; the last
        good site stays served."""
        lines = describe_failure(problems, "still serving the last good site")
        self.log("\n".join(lines))
        self.state.publish(rebuilt=False, errors=lines)

    def _remember(self, state: SiteState, pages: int) -> None:
        """Called by the build while it holds the write lock, right after it published."""
        self.site, self.pages = state, pages

    def _builder(self) -> None:
        while not self.stopping.is_set():
            with self.wake:
                while self.full_build is None and not self.stopping.is_set():
                    self.wake.wait(timeout=1)
                reason, self.full_build = self.full_build, None
            if reason is not None:
                self.rebuild(reason)

    def _want_full_build(self, reason: str) -> None:
        with self.wake:
            if self.full_build != "edit":  # an edit's full build also brings the rest up to date
                self.full_build = reason
            self.wake.notify_all()

    # --- edits ---------------------------------------------------------------

    def _watcher(self) -> None:
        import watchfiles

        folders = [str(folder) for folder in self.watch if Path(folder).exists()]
        for batch in watchfiles.watch(*folders, stop_event=self.stopping, debounce=40, step=10,
                                      raise_interrupt=False):
            with self.wake:
                self.changes.update(Path(path) for _, path in batch)
                if self.serving.is_set():  # the first build always finishes; later ones are now out of date
                    self.gate.cancelled.set()
                self.wake.notify_all()

    def _next_changes(self) -> set[Path] | None:
        with self.wake:
            while not self.changes and not self.stopping.is_set():
                self.wake.wait(timeout=1)
            changed, self.changes = self.changes, set()
        return changed or None

    def on_change(self, changed: set[Path]) -> None:
        """Re-render the edited pages at once when the edit allows it; otherwise ask for a full build."""
        with self.write_lock:
            quick = None
            if self.site is not None and not self.state.errors:
                quick = quick_rebuild(self.site, sorted(changed))
        if quick is None:
            self._want_full_build("edit")
            return
        self.log(f"rebuilt in {quick.seconds:.3f} s: {len(quick.pages)} of {self.pages} pages rendered"
                 " (search index and data files follow in the background)")
        self.state.publish(rebuilt=True, errors=[])
        self._want_full_build("quick")

    def serve_forever(self) -> None:
        os.environ.setdefault("ATLAS_BACKGROUND_NICENESS", "10")  # render workers and Pagefind yield to quick rebuilds
        threading.Thread(target=self._watcher, daemon=True).start()  # edits made during the first build count
        self.rebuild()
        self.serving.set()
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        threading.Thread(target=self._builder, daemon=True).start()
        self.log(f"serving {self.config.output_dir} at {self.url} (Ctrl+C to stop)")
        if self.backend:
            self.log(f"editing in the browser at {self.url}admin/ (saves into {Path(self.config.content_dir)})")
        try:
            while not self.stopping.is_set():
                changed = self._next_changes()
                if changed:
                    self.on_change(changed)
        finally:
            self.stopping.set()
            self.httpd.shutdown()
            self.httpd.server_close()
            if self.backend:
                self.backend.stop()
