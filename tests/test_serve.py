"""``broadsheet serve``: the dev server, its live-reload events, rebuilds and the watcher (no browser)."""

from __future__ import annotations

import http.client
import json
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from broadsheet.build import BuildOptions
from broadsheet.cli import main, make_parser
from broadsheet.serve import EVENTS_PATH, BuildState, DevServer, with_live_reload

WAIT_SECONDS = 30.0  # upper bound for a file-system event and a rebuild; never a performance check


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def server(sample_site: Path) -> Iterator[DevServer]:
    log: list[str] = []
    dev = DevServer(BuildOptions(site=sample_site), port=0, log=log.append)
    dev.log_lines = log  # type: ignore[attr-defined]
    dev.start()
    try:
        yield dev
    finally:
        dev.close()


def get(server: DevServer, path: str) -> tuple[int, dict[str, str], bytes]:
    host, port = server.httpd.server_address[:2]
    connection = http.client.HTTPConnection(str(host), port, timeout=WAIT_SECONDS)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


class EventStream:
    """A client of the dev server's server-sent events, reading one ``state`` event at a time."""

    def __init__(self, server: DevServer) -> None:
        host, port = server.httpd.server_address[:2]
        self.connection = http.client.HTTPConnection(str(host), port, timeout=WAIT_SECONDS)
        self.connection.request("GET", EVENTS_PATH)
        self.response = self.connection.getresponse()
        assert self.response.getheader("Content-Type") == "text/event-stream"

    def next_state(self) -> dict[str, Any]:
        lines: list[bytes] = []
        while True:
            line = self.response.fp.readline()
            if not line:
                raise AssertionError("event stream closed")
            if line == b"\n":
                if lines and lines[0] == b"event: state\n":
                    data: dict[str, Any] = json.loads(lines[1].removeprefix(b"data: "))
                    return data
                lines = []
            else:
                lines.append(line)

    def close(self) -> None:
        self.connection.close()


def test_live_reload_script_goes_before_the_closing_body_tag() -> None:
    page = b"<html><body><p>x</p></body></html>"
    injected = with_live_reload(page, BuildState(generation=7))
    assert injected.startswith(b"<html><body><p>x</p><script>")
    assert injected.endswith(b"</script>\n</body></html>")
    assert b"const seen = 7;" in injected and EVENTS_PATH.encode() in injected
    assert with_live_reload(b"<p>no body</p>", BuildState()).startswith(b"<p>no body</p><script>")


def test_pages_get_the_script_but_the_files_on_disk_do_not(server: DevServer) -> None:
    status, headers, body = get(server, "/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    assert b"new EventSource" in body and b"const seen = 1;" in body
    on_disk = (server.live.output / "index.html").read_bytes()
    assert b"EventSource" not in on_disk
    assert body.replace(with_live_reload(b"", server.live.current), b"") == on_disk
    for html in server.live.output.rglob("*.html"):
        assert b"__broadsheet" not in html.read_bytes(), html


def test_other_files_are_served_as_they_are(server: DevServer) -> None:
    status, headers, body = get(server, "/static/style.css")
    assert status == 200 and headers["Cache-Control"] == "no-store"
    assert body == (server.live.output / "static" / "style.css").read_bytes()
    status, headers, _ = get(server, "/topics")
    assert status == 301 and headers["Location"] == "/topics/"


def test_a_missing_page_gets_the_sites_404_page(server: DevServer) -> None:
    status, _, body = get(server, "/no/such/page/")
    assert status == 404
    assert b"Page not found" in body and b"EventSource" in body


def test_events_announce_each_build_and_failed_builds(server: DevServer, sample_site: Path) -> None:
    stream = EventStream(server)
    try:
        assert stream.next_state() == {"generation": 1, "problem": ""}
        assert server.rebuild()
        assert stream.next_state() == {"generation": 2, "problem": ""}
        config = sample_site / "site.yaml"
        config.write_text(config.read_text(encoding="utf-8") + "colour: blue\n", encoding="utf-8")
        assert not server.rebuild()
        failed = stream.next_state()
        assert failed["generation"] == 2  # no reload: the page stays, the overlay explains
        assert failed["problem"].startswith("Build failed; showing the last good site.\nerror: ")
        assert "unknown key 'colour'" in failed["problem"]
    finally:
        stream.close()
    log = server.log_lines  # type: ignore[attr-defined]
    assert any("unknown key 'colour'" in line for line in log)
    assert "the last good site is still being served" in log
    status, _, body = get(server, "/")
    assert status == 200 and b"Broadsheet Sample Digest" in body


def test_skipped_input_files_show_on_the_page_too(server: DevServer, sample_site: Path) -> None:
    (sample_site / "content" / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    assert server.rebuild()
    state = server.live.current
    assert state.generation == 2
    assert state.problem.startswith("1 input file(s) skipped:\nerror: content/broken.md:")


def test_watcher_rebuilds_on_content_templates_and_site_yaml(server: DevServer, sample_site: Path) -> None:
    stop = threading.Event()
    watcher = threading.Thread(target=server.watch, args=(stop,), daemon=True)
    watcher.start()
    try:
        time.sleep(0.5)  # let the watchers start
        article = sample_site / "content" / "2025-05-14-floating-library.md"
        article.write_text(article.read_text(encoding="utf-8").replace("floating library", "floating museum", 1))
        wait_until(lambda: server.live.current.generation >= 2, "a rebuild after a content edit")
        override = sample_site / "templates" / "404.html"
        override.write_text('{% extends "base.html" %}{% block content %}<h1>Lost at sea</h1>{% endblock %}')
        wait_until(lambda: b"Lost at sea" in get(server, "/missing")[2], "a rebuild after a template change")
        config = sample_site / "site.yaml"
        replacement = sample_site / "site.yaml.new"  # the way many editors save: write aside, rename over
        replacement.write_text(config.read_text(encoding="utf-8").replace("Broadsheet Sample", "Renamed"))
        replacement.replace(config)
        wait_until(lambda: b"<title>Renamed Digest</title>" in get(server, "/")[2], "a rebuild after site.yaml")
    finally:
        stop.set()
        watcher.join(WAIT_SECONDS)
    assert not watcher.is_alive()
    assert any(line.startswith("changed: site.yaml") for line in server.log_lines)  # type: ignore[attr-defined]


def test_serve_listens_on_loopback_by_default() -> None:
    args = make_parser().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)


def test_a_busy_port_is_a_one_line_error(sample_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--site", str(sample_site), "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot serve on 127.0.0.1:{port}: ") and err.count("\n") == 1


def test_the_serve_command_serves_until_ctrl_c(sample_site: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "broadsheet", "serve", "--site", str(sample_site), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as in a terminal
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline(), process.stdout.readline()]
        assert lines[0].startswith("built 5 articles")
        served = re.match(r"serving (.+) at (http://127\.0\.0\.1:\d+/) — watching for changes", lines[1])
        assert served is not None, lines
        with urllib.request.urlopen(served[2], timeout=WAIT_SECONDS) as response:
            assert response.status == 200 and b"EventSource" in response.read()
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=WAIT_SECONDS)
    finally:
        process.kill()
    assert process.returncode == 0
    assert rest == "stopped\n"
