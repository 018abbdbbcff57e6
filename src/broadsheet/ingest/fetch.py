"""Fetching one feed: HTTP(S) with a deadline, a size cap and conditional GET, or a file inside the site.

Everything a feed server says is untrusted, so the opener is built by hand
with only the HTTP(S) handlers: no ``file:``, ``ftp:`` or ``data:`` handler
exists to be redirected to, and every redirect is checked again. A local
path is allowed only when ``site.yaml`` itself names one, and only inside
the site folder.
"""

from __future__ import annotations

import http.client
import re
import time
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
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


def _opener() -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
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
    headers = {"User-Agent": limits.user_agent, "Accept": ACCEPT}
    if validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http(s) only, checked above
    deadline = time.monotonic() + limits.timeout
    try:
        with _opener().open(request, timeout=limits.timeout) as response:
            body = _read_capped(response, limits, deadline)
            return Fetched(
                body=body,
                url=http_url(response.geturl()) or url,
                content_type=response.headers.get("Content-Type", ""),
                validators=Validators(
                    etag=response.headers.get("ETag", ""), last_modified=response.headers.get("Last-Modified", "")
                ),
            )
    except HTTPError as exc:
        exc.close()
        if exc.code == 304:
            return Fetched(body=None, url=url, validators=validators)
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from None
    except TimeoutError:
        raise FetchError(f"timed out after {limits.timeout:g} s") from None
    except URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise FetchError(f"timed out after {limits.timeout:g} s") from None
        raise FetchError(f"cannot fetch: {exc.reason}") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise FetchError(f"cannot fetch: {exc or type(exc).__name__}") from None


def _read_capped(response: http.client.HTTPResponse, limits: FetchLimits, deadline: float) -> bytes:
    """The body, refusing more than ``max_bytes`` and a server that trickles past the deadline."""
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > limits.max_bytes:
        raise FetchError(f"feed is larger than {_size(limits.max_bytes)} (Content-Length {length})")
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(CHUNK):
        size += len(chunk)
        if size > limits.max_bytes:
            raise FetchError(f"feed is larger than {_size(limits.max_bytes)}")
        if time.monotonic() > deadline:
            raise TimeoutError
        chunks.append(chunk)
    return b"".join(chunks)


def _size(count: int) -> str:
    return f"{count / 1_048_576:g} MB" if count >= 1_048_576 else f"{count} bytes"
