"""A newsletter or e-mail saved as text: its header block read, its body decoded.

A mail client's "Save as text" (or a copy of the raw message) starts with
``Subject:``, ``From:`` and ``Date:`` lines and may hold the body
quoted-printable (``=E2=80=9C``) or in MIME parts. Read as prose, the
sender's address was published and the encoded bytes shown. Here the
header block says the subject, the sender's name (never the address) and
the date, and Python's ``email`` package decodes the body (its plain-text
part, if it has several; else its HTML part, read as a saved page is).
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from email.message import EmailMessage, Message
from email.utils import parsedate_to_datetime

# The names a header block is made of; one of the first two must be there, and only names of a message's header.
_KEY_HEADERS = frozenset(("subject", "from"))
_HEADERS = _KEY_HEADERS | frozenset(
    (
        *("to", "cc", "bcc", "date", "sent", "reply-to", "sender", "message-id", "mime-version", "content-type"),
        *("content-transfer-encoding", "return-path", "received", "list-id", "list-unsubscribe", "in-reply-to"),
        *("references", "delivered-to", "thread-topic", "importance", "organization", "user-agent"),
    )
)
# Bounds past which no real message goes and the email package's time grows faster than the text.
MAX_HEADER_LINES = 200
MAX_HEADER_CHARS = 32_768
MAX_PARTS = 64
_HEADER_LINE = re.compile(r"([A-Za-z][A-Za-z0-9-]*):[ \t]*\S?")
# "Fwd: Fw: Re: [Harbour list] " before the subject itself.
_SUBJECT_PREFIX = re.compile(r"^(?:\s*(?:(?:fwd?|fw|re|aw|wg|tr)\s*:|\[[^\]]{1,60}\]))+\s*", re.I)


@dataclass(frozen=True)
class EmailText:
    """What a message's header block says, and its body as text."""

    subject: str
    sender: str  # the sender's display name ("Harbour Gazette"); "" when only an address is given
    sent: datetime | None  # naive when the Date header names no zone: the reader's zone is meant (``sent_in``)
    body: str
    body_line: int  # the line of the file the body starts on


def read_email(text: str) -> EmailText | None:
    """The message ``text`` is, if it starts with an e-mail's header block; None for any other text."""
    head, blank, rest = text.partition("\n\n")
    if not blank or len(head) > MAX_HEADER_CHARS or head.count("\n") >= MAX_HEADER_LINES:
        return None
    lines = head.split("\n")
    if len(lines) < 2 or not _header_block(lines):
        return None
    headers = email.message_from_string(head + "\n\n", policy=email.policy.default)
    # As written: the header's parsed value says "-0000" for a date that names no zone at all.
    date = next((value for name, value in headers.raw_items() if name.lower() == "date"), None)
    sent = _sent(" ".join(str(date).split())) if date else None
    return EmailText(
        subject=_SUBJECT_PREFIX.sub("", " ".join(str(headers["subject"] or "").split())),
        sender=_display_name(headers),
        sent=sent,
        body=_body(text, rest, headers.get_content_maintype() == "multipart").replace("\r\n", "\n"),
        body_line=head.count("\n") + 3,
    )


def _sent(date: str) -> datetime | None:
    """The ``Date`` header's time: aware when it names a zone; ``-0000`` is UTC (RFC 5322: the time is UTC, the
    sender's own zone unknown); naive when it names none, as a mail client that drops the zone writes it."""
    try:
        sent = parsedate_to_datetime(date)
    except (TypeError, ValueError):
        return None
    if sent.tzinfo is None and date.rstrip().endswith("-0000"):
        return sent.replace(tzinfo=UTC)
    return sent


def sent_in(mail: EmailText, zone: tzinfo) -> datetime | None:
    """When ``mail`` was sent, a time without a zone read in ``zone`` (the site's, as every zoneless date is)."""
    if mail.sent is None or mail.sent.tzinfo is not None:
        return mail.sent
    return mail.sent.replace(tzinfo=zone)


def _body(text: str, rest: str, multipart: bool) -> str:
    """The message's text: its plain-text part decoded, else its HTML part's paragraphs; as written when it
    cannot be decoded, or has too many parts (the email package's time grows faster than the text with them)."""
    if multipart and rest.count("\n--") > MAX_PARTS:
        return rest
    message = email.message_from_string(text, policy=email.policy.default)
    assert isinstance(message, EmailMessage)  # the default policy's message class
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = str(part.get_content())
    except (LookupError, ValueError):  # an unknown charset or a broken encoding
        return rest
    return content if part.get_content_subtype() != "html" else _html_as_text(content)


def _html_as_text(page: str) -> str:
    """An HTML newsletter's story as paragraphs of text, its furniture left out as a saved page's is."""
    from .html_page import read_page  # the HTML page loader's reading, needed only for HTML-only mail
    from .markdown import paragraphs_of
    from .sanitize import sanitize_html

    return "\n\n".join(paragraphs_of(sanitize_html(read_page(page).body())))


def _header_block(lines: list[str]) -> bool:
    """Whether ``lines`` are a message's headers: each a known header (or ``X-…``, or a folded line going on)."""
    names: set[str] = set()
    for line in lines:
        if line[:1] in (" ", "\t") and names:
            continue
        found = _HEADER_LINE.match(line)
        if found is None:
            return False
        name = found.group(1).lower()
        if name not in _HEADERS and not name.startswith("x-"):
            return False
        names.add(name)
    return not names.isdisjoint(_KEY_HEADERS)


def _display_name(message: Message) -> str:
    """The first sender's name as written beside the address; the address itself is never published."""
    header = message["from"]
    addresses = getattr(header, "addresses", ()) if header is not None else ()
    return " ".join(addresses[0].display_name.split()) if addresses else ""
