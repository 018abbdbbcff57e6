"""Fetching one feed: HTTP(S) with a deadline, a size cap and conditional GET, or a file inside the site.

Everything a feed server says is untrusted, so the opener is built by hand
with only the HTTP(S) handlers: no ``file:``, ``ftp:`` or ``data:`` handler
exists to be redirected to, and every redirect is checked again. A local
path is allowed only when ``site.yaml`` itself names one, and only inside
the site folder. A feed at a public address never leads to a private one
(see ``_Reach``).
"""

from __future__ import annotations

import contextlib
import http.client
import re
import socket
import threading
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from ipaddress import ip_address
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit

from ..config import FETCH_TIMEOUT
from ..errors import BroadsheetError
from ..loaders.metadata import http_url
from . import addresses

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
Connect = Callable[..., socket.socket]  # as socket.create_connection: (host, port), timeout, source address


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

    def connection(self, base: type[http.client.HTTPConnection], connect: Connect) -> type[http.client.HTTPConnection]:
        """``base`` (HTTP or HTTPS) connecting with ``connect``, its socket watched from the moment it is connected."""
        deadline = self

        class Watched(base):  # type: ignore[valid-type,misc]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self._create_connection = lambda *a, **k: deadline.watch(connect(*a, **k))

        return Watched


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _Reach:
    """Where one fetch may connect: a feed at a public address may lead only to public addresses.

    The rule: when the feed's own address (the host of its ``url:`` in
    ``site.yaml``, as it resolves when the fetch starts) is not public, every
    one of its addresses (loopback, private, link-local, ...: an intranet
    server, a test server on 127.0.0.1), the fetch may go anywhere, as
    before, and the feed's own host is reached at the addresses found then.
    Otherwise every connection of the fetch, the first and each redirect's,
    must go to a public address: a host name with any address that is not
    public, or such an address itself, is refused with a ``FetchError``
    naming it (see ``addresses`` for what counts as public).

    Covered: the address a direct connection goes to. The name is resolved
    here, every address checked, and the socket connects to the checked
    address, never resolving the name again: a DNS answer that turns
    private between the check and the connection (DNS rebinding) is caught,
    whether at the first hop or later. A feed's host answering with private
    addresses first, to be let go anywhere, is then reached at those
    private addresses, not at the public server a second answer names; and
    one public address among its answers makes it a public feed (a private
    record added beside the public one exempts nothing). TLS still verifies
    the certificate against the host name.

    Not covered: through a proxy (``http_proxy``, ``https_proxy``), the
    proxy resolves the name and connects; the target is checked as it
    resolves here (an address is always checked, a name only when it
    resolves here), and the proxy itself, the user's own setting, is not.
    No check of addresses can see a public server that forwards inward.
    """

    def __init__(self, url: str) -> None:
        self.home = _host_port(url)
        try:
            found = addresses.resolve(*self.home)
        except OSError:
            found = []  # no answer here: the connection (or the proxy) will tell
        self.anywhere = bool(found) and all(addresses.non_public(address) for address in found)
        self.pinned = found  # where the feed's own host is reached when it may go anywhere: no second look-up

    def connector(self, req: urllib.request.Request) -> Connect:
        """How to connect for ``req``: directly to a checked address, or to the proxy once the target is checked."""
        direct = req.host == _url_host(req.full_url)  # not rewritten by ProxyHandler
        if self.anywhere:
            return self._connect_home if direct and _host_port(req.full_url) == self.home else socket.create_connection
        if direct:
            return self._connect
        host, port = _host_port(req.full_url)
        with contextlib.suppress(OSError):  # the proxy may resolve names this machine cannot
            self._check(host, addresses.resolve(host, port))
        return socket.create_connection

    def _connect(self, address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        host, port = address
        return _first_of(self._check(host, addresses.resolve(host, port)), host, port, *args, **kwargs)

    def _connect_home(self, address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        host, port = address
        return _first_of(self.pinned, host, port, *args, **kwargs)

    def _check(self, host: str, found: list[addresses.IPAddress]) -> list[addresses.IPAddress]:
        for address in found:
            kind = addresses.non_public(address)
            if kind:
                shown = host if _same_address(host, address) else f"{host} at {address}"
                raise FetchError(
                    f"refused to connect to {shown} ({kind}): a feed at a public address may lead only to public addresses"
                )
        return found


def _first_of(found: list[addresses.IPAddress], host: str, port: int, *args: Any, **kwargs: Any) -> socket.socket:
    """A connection to the first of ``found`` that answers, as ``socket.create_connection`` tries each address."""
    error: OSError | None = None
    for address in found:
        try:
            return socket.create_connection((str(address), port), *args, **kwargs)
        except OSError as exc:
            error = exc
    raise error or OSError(f"no address for {host}")


def _same_address(host: str, address: addresses.IPAddress) -> bool:
    try:
        return ip_address(host) == address
    except ValueError:
        return False


def _url_host(url: str) -> str:
    """``host[:port]`` of ``url`` as urllib reads it (``%``-escapes decoded): what it connects to, proxies aside."""
    return urllib.request.Request(url).host  # noqa: S310 - parsed, never opened


def _host_port(url: str) -> tuple[str, int]:
    """The host name (or address) and the port of ``url``, as a connection to it would use them."""
    parts = urlsplit("//" + _url_host(url))
    return parts.hostname or "", parts.port or (443 if url[:6].lower() == "https:" else 80)


class _Handler:
    """What the HTTP and HTTPS handlers share: the fetch's deadline and reach on every connection."""

    def __init__(self, deadline: _Deadline, reach: _Reach) -> None:
        super().__init__()
        self.deadline = deadline
        self.reach = reach

    def _connection(
        self, base: type[http.client.HTTPConnection], req: urllib.request.Request
    ) -> type[http.client.HTTPConnection]:
        return self.deadline.connection(base, self.reach.connector(req))


class _HTTPHandler(_Handler, urllib.request.HTTPHandler):
    """``http:`` with the fetch's deadline and reach on every connection (redirects open new ones)."""

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._connection(http.client.HTTPConnection, req), req)


class _HTTPSHandler(_Handler, urllib.request.HTTPSHandler):
    """``https:`` with the fetch's deadline (TLS handshake included) and reach on every connection."""

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._connection(http.client.HTTPSConnection, req), req)


def _opener(deadline: _Deadline, reach: _Reach) -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        _HTTPHandler(deadline, reach),
        _HTTPSHandler(deadline, reach),
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
        with deadline, _opener(deadline, _Reach(url)).open(request, timeout=limits.timeout) as response:
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
