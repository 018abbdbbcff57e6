"""Fetching one feed: HTTP(S) with a deadline, a size cap and conditional GET, or a file inside the site.

Everything a feed server says is untrusted, so the opener is built by hand
with only the HTTP(S) handlers: no ``file:``, ``ftp:`` or ``data:`` handler
exists to be redirected to, and every redirect is checked again. A local
path is allowed only when ``site.yaml`` itself names one, and only inside
the site folder.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import socket
import threading
import urllib.request
import zlib
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.error import HTTPError, URLError

from ..config import FETCH_TIMEOUT
from ..errors import BroadsheetError
from ..loaders.metadata import http_url

DEFAULT_TIMEOUT = FETCH_TIMEOUT
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
CHUNK = 64 * 1024
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
ACCEPT_ENCODING = "gzip, deflate"
# zlib's window bits for each Content-Encoding we decode: gzip header, zlib header (or, +wbits, a raw stream).
_DECODERS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class FetchError(BroadsheetError):
    """A feed could not be fetched (HTTP error, timeout, refused URL, too large)."""


@dataclass(frozen=True)
class Validators:
    """What the last response said about its version, sent back for a conditional GET."""

    etag: str = ""
    last_modified: str = ""


@dataclass(frozen=True)
class Fetched:
    """A feed document, or ``body is None`` when the server answered 304 Not Modified."""

    body: bytes | None
    url: str = ""  # the final http(s) URL after redirects; "" for a local file
    content_type: str = ""
    validators: Validators = Validators()

    @property
    def not_modified(self) -> bool:
        return self.body is None


@dataclass(frozen=True)
class FetchLimits:
    """How long and how much one feed may take, and how broadsheet introduces itself."""

    user_agent: str
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES


class _CheckedRedirect(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s) URLs."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: object,
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not http_url(newurl):
            raise FetchError(f"redirect to a non-http(s) URL refused: {newurl[:120]!r}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]


class _Deadline:
    """Shuts down every socket of one fetch when its time is up.

    A socket timeout bounds each wait, not the whole fetch: a server that
    sends a byte every few seconds (in its headers or its body) would
    otherwise hold ingest for hours. Shutting a socket down wakes the
    thread blocked on it, which then fails (or sees the body end early:
    ``expired`` tells the two apart).
    """

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> socket.socket:
        """Shut ``sock`` down when time is up (at once if it already is)."""
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)
        return sock

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def connection(self, base: type[http.client.HTTPConnection]) -> type[http.client.HTTPConnection]:
        """``base`` (HTTP or HTTPS) with its socket watched from the moment it is connected."""
        deadline = self

        class Watched(base):  # type: ignore[valid-type,misc]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self._create_connection = lambda *a, **k: deadline.watch(socket.create_connection(*a, **k))

        return Watched


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _HTTPHandler(urllib.request.HTTPHandler):
    """``http:`` with the fetch's deadline on every connection (redirects open new ones)."""

    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self.deadline.connection(http.client.HTTPConnection), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    """``https:`` with the fetch's deadline on every connection, TLS handshake included."""

    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self.deadline.connection(http.client.HTTPSConnection), req)


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        _HTTPHandler(deadline),
        _HTTPSHandler(deadline),
        _CheckedRedirect(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def is_local(url: str) -> bool:
    """True when a ``feeds:`` url names a file (no scheme at all) rather than a URL."""
    return not _SCHEME.match(url.strip())


def fetch(url: str, root: Path, validators: Validators, limits: FetchLimits) -> Fetched:
    """Fetch the feed at ``url`` (http(s), or a path relative to the site ``root``)."""
    if http_url(url):
        return _fetch_http(url.strip(), validators, limits)
    if is_local(url):
        return _read_local(url.strip(), root, limits)
    scheme = url.split(":", 1)[0]
    raise FetchError(f"'{scheme}:' URLs are not fetched; use http(s) or a path inside the site folder")


def _read_local(url: str, root: Path, limits: FetchLimits) -> Fetched:
    relative = Path(url)
    path = (root / relative).resolve()
    if relative.is_absolute() or not path.is_relative_to(root):
        raise FetchError("a local feed must be a path inside the site folder")
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise FetchError(f"feed file is larger than {_size(limits.max_bytes)}")
        return Fetched(body=path.read_bytes())
    except OSError as exc:
        raise FetchError(f"cannot read: {exc.strerror or exc}") from None


def _fetch_http(url: str, validators: Validators, limits: FetchLimits) -> Fetched:
    headers = {"User-Agent": limits.user_agent, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING}
    if validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http(s) only, checked above
    timed_out = FetchError(f"timed out after {limits.timeout:g} s")
    deadline = _Deadline(limits.timeout)
    try:
        with deadline, _opener(deadline).open(request, timeout=limits.timeout) as response:
            body = _read_capped(response, limits)
            if deadline.expired:
                raise timed_out  # the body may have been cut short
            return Fetched(
                body=_decode(body, response.headers.get("Content-Encoding", ""), limits),
                url=http_url(response.geturl()) or url,
                content_type=response.headers.get("Content-Type", ""),
                validators=Validators(
                    etag=response.headers.get("ETag", ""), last_modified=response.headers.get("Last-Modified", "")
                ),
            )
    except HTTPError as exc:
        exc.close()
        if deadline.expired:
            raise timed_out from None
        if exc.code == 304:
            return Fetched(body=None, url=url, validators=validators)
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        reason = exc.reason if isinstance(exc, URLError) else exc
        if deadline.expired or isinstance(reason, TimeoutError):
            raise timed_out from None
        raise FetchError(f"cannot fetch: {reason or type(reason).__name__}") from None


def _read_capped(response: http.client.HTTPResponse, limits: FetchLimits) -> bytes:
    """The body, refusing more than ``max_bytes``."""
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > limits.max_bytes:
        raise FetchError(f"feed is larger than {_size(limits.max_bytes)} (Content-Length {length})")
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(CHUNK):
        size += len(chunk)
        if size > limits.max_bytes:
            raise FetchError(f"feed is larger than {_size(limits.max_bytes)}")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(body: bytes, encoding: str, limits: FetchLimits) -> bytes:
    """The body without its ``Content-Encoding`` (gzip, deflate), never inflated past ``max_bytes``.

    Servers compress feeds whether asked or not (and a static ``.xml.gz`` is
    often sent as ``Content-Encoding: gzip``); a few hundred compressed bytes
    may inflate to gigabytes, so the cap applies to what comes out.
    """
    codings = [c for c in (part.strip().lower() for part in encoding.split(",")) if c not in ("", "identity")]
    for coding in reversed(codings):  # listed in the order they were applied
        if coding not in _DECODERS:
            raise FetchError(f"cannot decode Content-Encoding {coding[:40]!r}")
        body = _inflate(body, coding, limits.max_bytes)
    return body


def _inflate(data: bytes, coding: str, max_bytes: int) -> bytes:
    """``data`` decompressed, stopping one byte past ``max_bytes`` (so a bomb costs no more memory than that)."""
    wbits = _DECODERS[coding]
    try:
        try:
            inflater = zlib.decompressobj(wbits)
            body = inflater.decompress(data, max_bytes + 1)
        except zlib.error:
            if coding != "deflate":
                raise
            inflater = zlib.decompressobj(-zlib.MAX_WBITS)  # "deflate" sent raw, without its zlib header
            body = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise FetchError(f"cannot decode the {coding} response: {exc}") from None
    if len(body) > max_bytes or inflater.unconsumed_tail:
        raise FetchError(f"feed is larger than {_size(max_bytes)} (uncompressed)")
    return body


def _size(count: int) -> str:
    return f"{count / 1_048_576:g} MB" if count >= 1_048_576 else f"{count} bytes"
