"""Small helpers for writing XML by hand: fast, deterministic and escaped."""

from __future__ import annotations

from ..codepoints import clean

# What xml.sax.saxutils' escape and quoteattr do, without the urllib.request that module imports at start-up.
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def escape(value: str) -> str:
    return value.translate(_TEXT)


def quoteattr(value: str) -> str:
    """``value`` escaped and quoted: in double quotes, or single quotes when it holds only double ones."""
    value = value.translate(_ATTRIBUTE)
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace('"', "&quot;") + '"'


def text(value: str) -> str:
    """Escaped character data."""
    return escape(clean(value))


def attr(value: str) -> str:
    """An escaped, quoted attribute value."""
    return quoteattr(clean(value))


def element(name: str, value: str, **attributes: str) -> str:
    attrs = "".join(f" {key}={attr(v)}" for key, v in attributes.items())
    return f"<{name}{attrs}>{text(value)}</{name}>"


def html_element(name: str, plain: str) -> str:
    """Plain text in an element that feed readers render as HTML (RSS ``description``): escaped twice."""
    return element(name, escape(plain))


def cdata(value: str) -> str:
    """A CDATA section that survives any ``]]>`` inside the value."""
    return "<![CDATA[" + clean(value).replace("]]>", "]]]]><![CDATA[>") + "]]>"
