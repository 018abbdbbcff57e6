"""``broadsheet serve``: build, serve the output on loopback, rebuild on change, reload open pages.

The dev server adds a small live-reload script to every HTML page *as it is
sent*; the files on disk never contain it, so what ``serve`` writes is what
``build`` writes. Open pages keep a server-sent-events connection: after a
good rebuild they reload, after a failed one they show the error over the
page, while the last good site (left in place by the staged output) keeps
being served.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import watchfiles

from .build import BuildOptions, BuildResult, build_site
from .config import CONFIG_NAME, SiteConfig, load_config
from .errors import BroadsheetError

EVENTS_PATH = "/__broadsheet/events"
KEEPALIVE_SECONDS = 15.0
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".part")

Log = Callable[[str], None]

# Added before </body> of every HTML response: reload after a rebuild, show a failed build.
LIVE_RELOAD = """<script>(() => {
  const seen = %(generation)d;
  const id = "broadsheet-build-error";
  const show = (text) => {
    let box = document.getElementById(id);
    if (!text) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = id;
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:99999;margin:0;" +
        "padding:1rem;background:#3b0d0c;color:#fff;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap;" +
        "border-top:4px solid #ff6b5e";
      document.body.append(box);
    }
    box.textContent = text;
  };
  const events = window.broadsheetLiveReload = new EventSource("%(events)s");
  events.addEventListener("state", (event) => {
    const state = JSON.parse(event.data);
    if (state.generation !== seen) { events.close(); location.reload(); return; }
    show(state.problem);
  });
})();</script>
"""


@dataclass(frozen=True)
class BuildState:
    """The outcome of the latest build, as open pages see it."""

    generation: int = 0  # bumped by every build that wrote a site
    problem: str = ""  # the failed build's error, or the input files the last build skipped

    def as_event(self) -> bytes:
        data = json.dumps({"generation": self.generation, "problem": self.problem})
        return f"event: state\ndata: {data}\n\n".encode()


class LiveState:
    """The latest ``BuildState`` and output folder, shared by the builder and every open page."""

    def __init__(self, output: Path) -> None:
        self._condition = threading.Condition()
        self._state = BuildState()
        self._closed = False
        self.output = output

    @property
    def current(self) -> BuildState:
        with self._condition:
            return self._state

    def publish(self, state: BuildState) -> None:
        with self._condition:
            self._state = state
            self._condition.notify_all()

    def close(self) -> None:
        """Wake every open event stream so it ends."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()

    def wait_for_change(self, seen: BuildState, timeout: float) -> BuildState | None:
        """The state once it differs from ``seen`` (or after ``timeout``); None once closed."""
        with self._condition:
            self._condition.wait_for(lambda: self._closed or self._state != seen, timeout)
            return None if self._closed else self._state


def with_live_reload(html: bytes, state: BuildState) -> bytes:
    """``html`` with the live-reload script before its last ``</body>`` (or at the end)."""
    script = (LIVE_RELOAD % {"generation": state.generation, "events": EVENTS_PATH}).encode()
    at = html.lower().rfind(b"</body>")
    return html + script if at < 0 else html[:at] + script + html[at:]


FALLBACK_404 = b"<!DOCTYPE html><html lang='en'><title>Not found</title><body><h1>Not found</h1></body></html>"


class DevRequestHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the current output folder; HTML gets the live-reload script; nothing is cached."""

    def __init__(self, *args: Any, live: LiveState, **kwargs: Any) -> None:
        self.live = live
        super().__init__(*args, directory=str(live.output), **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal is for build results

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == EVENTS_PATH:
            self._stream_events()
            return
        file = Path(self.translate_path(self.path))
        if file.is_dir() and path.endswith("/"):
            file = file / "index.html"
        if file.is_file() and file.suffix == ".html":
            self._send_html(file.read_bytes(), 200)
        elif not file.exists():
            missing = Path(self.translate_path("/404.html"))
            self._send_html(missing.read_bytes() if missing.is_file() else FALLBACK_404, 404)
        else:
            super().do_GET()

    def _send_html(self, html: bytes, status: int) -> None:
        body = with_live_reload(html, self.live.current)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _stream_events(self) -> None:
        """Send the build state now and after every change, until the page goes away."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        state: BuildState | None = self.live.current
        try:
            while state is not None:
                self.wfile.write(state.as_event())
                self.wfile.flush()
                changed = self.live.wait_for_change(state, KEEPALIVE_SECONDS)
                while changed == state:  # nothing new: keep the connection alive
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                    changed = self.live.wait_for_change(state, KEEPALIVE_SECONDS)
                state = changed
        except (BrokenPipeError, ConnectionResetError):
            return


def watched_folders(config: SiteConfig) -> list[Path]:
    """The folders whose changes rebuild the site (``site.yaml`` is watched on its own)."""
    return [folder for folder in (config.paths.content, config.paths.seeds, config.paths.templates) if folder.is_dir()]


class SourceFilter(watchfiles.DefaultFilter):
    """Changes that matter: inside the watched folders or ``site.yaml``; not the output, not editor files."""

    def __init__(self, config: SiteConfig) -> None:
        super().__init__()
        self.folders = [config.paths.content, config.paths.seeds, config.paths.templates]
        self.config_file = config.paths.root / CONFIG_NAME
        self.output = config.paths.output

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        file = Path(path)
        if file == self.config_file:
            return True
        if file.name.endswith(IGNORED_SUFFIXES) or file.is_relative_to(self.output):
            return False
        return any(file.is_relative_to(folder) for folder in self.folders) and super().__call__(change, path)


class DevServer:
    """One ``broadsheet serve`` session: the builder, the HTTP server and the watchers."""

    def __init__(self, options: BuildOptions, host: str = "127.0.0.1", port: int = 8000, log: Log = print) -> None:
        self.options = options
        self.log = log
        self.config = load_config(options.site)
        output = options.output.resolve() if options.output else self.config.paths.output
        self.live = LiveState(output)
        handler = functools.partial(DevRequestHandler, live=self.live)
        try:
            self.httpd = http.server.ThreadingHTTPServer((host, port), handler)
        except OSError as exc:
            raise BroadsheetError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None
        self._building = threading.Lock()  # the two watchers never build at once

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}/"

    def rebuild(self) -> bool:
        """Build once; on failure keep the last good site and tell open pages why."""
        with self._building:
            try:
                result = build_site(self.options)
            except BroadsheetError as exc:
                return self._failed(f"error: {exc}")
            except Exception:  # a bug, not the user's input: show all of it, keep serving
                return self._failed(f"internal error (please report it):\n{traceback.format_exc()}")
            self.live.output = result.output
            self.live.publish(BuildState(self.live.current.generation + 1, describe_problems(result)))
        for warning in result.diagnostics.warnings:
            self.log(f"warning: {warning}")
        for line in problem_lines(result):
            self.log(line)
        self.log(result.summary())
        return True

    def _failed(self, message: str) -> bool:
        self.log(message)
        self.log("the last good site is still being served")
        self.live.publish(replace(self.live.current, problem=f"Build failed; showing the last good site.\n{message}"))
        return False

    def start(self) -> None:
        """Build, then serve in a background thread."""
        self.rebuild()
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="broadsheet-serve", daemon=True)
        self._thread.start()

    def watch(self, stop: threading.Event | None = None) -> None:
        """Rebuild after every batch of source changes, until ``stop`` is set (Ctrl+C raises KeyboardInterrupt).

        The folders are watched recursively; the site root only flatly, for
        ``site.yaml`` (editors often replace that file, which a watch on the
        file itself would not survive), so a virtualenv beside it costs nothing.
        """
        stop = stop or threading.Event()
        source_filter = SourceFilter(self.config)
        settings = threading.Thread(
            target=self._watch, args=([self.config.paths.root], False, source_filter, stop), daemon=True
        )
        settings.start()
        try:
            self._watch(watched_folders(self.config), True, source_filter, stop)
        finally:
            stop.set()
            settings.join()

    def _watch(self, paths: list[Path], recursive: bool, source_filter: SourceFilter, stop: threading.Event) -> None:
        if not paths:
            stop.wait()
            return
        in_main_thread = threading.current_thread() is threading.main_thread()  # where Ctrl+C arrives
        for changes in watchfiles.watch(
            *paths, watch_filter=source_filter, recursive=recursive, stop_event=stop, raise_interrupt=in_main_thread
        ):
            self.log(f"changed: {describe_changes(changes, self.config.paths.root)}")
            self.rebuild()

    def close(self) -> None:
        self.live.close()
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join()
        self.httpd.server_close()

    def __enter__(self) -> DevServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def problem_lines(result: BuildResult) -> list[str]:
    return [f"error: {error}" for error in result.diagnostics.errors]


def describe_problems(result: BuildResult) -> str:
    """What the page overlay says about input files the build had to skip (empty: none)."""
    lines = problem_lines(result)
    return "" if not lines else f"{len(lines)} input file(s) skipped:\n" + "\n".join(lines)


def describe_changes(changes: Iterable[tuple[watchfiles.Change, str]], root: Path) -> str:
    names = sorted({Path(path).relative_to(root).as_posix() for _, path in changes if Path(path).is_relative_to(root)})
    shown = ", ".join(names[:5])
    return shown + (f" and {len(names) - 5} more" if len(names) > 5 else "")
