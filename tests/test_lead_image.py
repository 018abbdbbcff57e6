"""Lead images: the front-matter keys themes use, files of the content folder, feeds' pictures, and refusals."""

from __future__ import annotations

import io
import json
import re
import struct
import zlib
from pathlib import Path

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.build import BuildOptions, build_site
from broadsheet.config import load_config
from broadsheet.errors import Diagnostics
from broadsheet.ingest.entries import entry_image
from broadsheet.loaders import load_file
from broadsheet.loaders.image_size import image_size, read_image
from broadsheet.model import Image
from conftest import site_with


def png(width: int = 4, height: int = 2) -> bytes:
    """A real (grey) PNG file."""
    raw = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def article_text(front: str, body: str = "The harbour reopened on Monday.") -> str:
    return f"---\ntitle: Harbour reopens\ndate: 2025-05-02\n{front}---\n\n{body}\n"


def load(site: Path, name: str) -> tuple[Image | None, list[str]]:
    diagnostics = Diagnostics()
    article = load_file(site / name, load_config(site), diagnostics)
    return article.image, diagnostics.warnings


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("image: https://cdn.example.net/a.jpg\n", Image("https://cdn.example.net/a.jpg")),
        ("image: //cdn.example.net/a.jpg\n", Image("https://cdn.example.net/a.jpg")),
        (
            "images: [https://cdn.example.net/1.jpg, https://cdn.example.net/2.jpg]\n",
            Image("https://cdn.example.net/1.jpg"),
        ),
        (  # jekyll-seo-tag
            "image:\n  path: https://cdn.example.net/a.jpg\n  alt: Boats at dawn\n",
            Image("https://cdn.example.net/a.jpg", alt="Boats at dawn"),
        ),
        (  # Hugo PaperMod
            "cover:\n  image: https://cdn.example.net/c.jpg\n  alt: A pier\n  caption: The pier on Monday.\n",
            Image("https://cdn.example.net/c.jpg", alt="A pier", caption="The pier on Monday."),
        ),
        ("feature_image: https://cdn.example.net/g.jpg\n", Image("https://cdn.example.net/g.jpg")),  # Ghost
        (  # the first of the known keys wins, whatever the order in the file
            "thumbnail: https://cdn.example.net/t.jpg\nfeatured_image: https://cdn.example.net/f.jpg\n",
            Image("https://cdn.example.net/f.jpg"),
        ),
    ],
)
def test_the_keys_themes_use_give_the_lead_image(tmp_path: Path, front: str, expected: Image) -> None:
    site = site_with(tmp_path, {"content/a.md": article_text(front)})
    assert load(site, "content/a.md") == (expected, [])


def test_a_file_beside_the_article_is_published_and_shown_everywhere(tmp_path: Path) -> None:
    front = 'cover:\n  image: harbour.png\n  alt: Boats <at> "dawn"\n  caption: The harbour.\n  credit: Jane Doe\n'
    site = site_with(
        tmp_path,
        {"content/2025/harbour/index.md": article_text(front), "content/2025/harbour/harbour.png": png()},
    )
    result = build_site(BuildOptions(site=site, jobs=1))
    out = result.output
    assert (out / "media/2025/harbour/harbour.png").read_bytes() == png()
    page = (out / "articles/harbour-reopens/index.html").read_text(encoding="utf-8")
    assert (
        '<img src="../../media/2025/harbour/harbour.png" alt="Boats &lt;at&gt; &#34;dawn&#34;" width="4" height="2"'
        ' decoding="async">' in page
    )
    assert '<figcaption>The harbour. <span class="credit">Jane Doe</span></figcaption>' in page
    url = "https://example.org/media/2025/harbour/harbour.png"
    assert f'<meta property="og:image" content="{url}">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert ld["image"] == [url]
    rss = (out / "feed.xml").read_text(encoding="utf-8")
    assert f'<media:content url="{url}" medium="image" type="image/png">' in rss
    assert 'xmlns:media="http://search.yahoo.com/mrss/"' in rss
    assert f'<link rel="enclosure" href="{url}" type="image/png"/>' in (out / "atom.xml").read_text(encoding="utf-8")
    assert json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"][0]["image"] == url
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert parsed.entries[0].media_content[0]["url"] == url


def test_an_article_without_an_image_says_summary_and_shows_no_figure(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"content/a.md": article_text("")})
    page = (build_site(BuildOptions(site=site, jobs=1)).output / "articles/harbour-reopens/index.html").read_text()
    assert '<meta name="twitter:card" content="summary">' in page
    assert "lead-image" not in page and "og:image" not in page


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("'javascript:alert(1)'", "is a javascript: URL, not http(s) or a file of the content folder"),
        ("'data:image/png;base64,AAAA'", "is a data: URL, not http(s) or a file of the content folder"),
        ("file:///etc/passwd.jpg", "is a file: URL, not http(s) or a file of the content folder"),
        ("../outside.png", "names no image file of the content folder"),
        ("report.pdf", "names no image file of the content folder"),
        ("missing.png", "names content/missing.png, which is not there (or cannot be read)"),
        ("'https:///no-host.jpg'", "has no host"),
    ],
)
def test_an_image_the_site_cannot_show_is_refused_with_its_line(tmp_path: Path, value: str, why: str) -> None:
    site = site_with(
        tmp_path, {"content/a.md": article_text(f"image: {value}\n"), "outside.png": png(), "content/report.pdf": b"%"}
    )
    image, warnings = load(site, "content/a.md")
    assert image is None
    assert len(warnings) == 1 and warnings[0].startswith("content/a.md:4: 'image' ")
    assert warnings[0].endswith(f"{why}: no lead image")


@pytest.mark.parametrize("value", ["5", "[]", "{alt: no address}"])
def test_an_image_key_that_names_nothing_is_warned(tmp_path: Path, value: str) -> None:
    site = site_with(tmp_path, {"content/a.md": article_text(f"image: {value}\n")})
    image, warnings = load(site, "content/a.md")
    assert image is None and len(warnings) == 1
    assert warnings[0].startswith("content/a.md:4: 'image' ") and warnings[0].endswith(": no lead image")


def test_an_image_file_added_after_a_build_shows_at_the_next(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"content/a.md": article_text("image: photo.png\n")})
    first = build_site(BuildOptions(site=site, jobs=1))
    assert "lead-image" not in (first.output / "articles/harbour-reopens/index.html").read_text()
    (site / "content/photo.png").write_bytes(png())
    second = build_site(BuildOptions(site=site, jobs=1))
    assert not second.unchanged
    assert 'src="../../media/photo.png"' in (second.output / "articles/harbour-reopens/index.html").read_text()
    assert (second.output / "media/photo.png").is_file()


RSS = """<?xml version="1.0"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>T</title><link>https://ex.org/</link>
<item><title>A</title><enclosure url="/img/a.jpg" length="10" type="image/jpeg"/></item>
<item><title>B</title><media:content url="https://ex.org/b.jpg" medium="image"/><media:credit>Jo Li</media:credit>
<media:thumbnail url="https://ex.org/b-small.jpg"/></item>
<item><title>C</title><media:thumbnail url="https://ex.org/c.jpg"/></item>
<item><title>D</title><enclosure url="https://ex.org/d.mp3" length="10" type="audio/mpeg"/>
<media:content url="https://ex.org/d.mp4" medium="video"/></item>
<item><title>E</title><media:content url="javascript:alert(1)" medium="image"/></item>
</channel></rss>"""


def test_a_feed_entrys_picture_is_found_made_absolute_and_never_another_scheme() -> None:
    entries = feedparser.parse(RSS).entries
    found = [entry_image(entry, "https://ex.org/news/") for entry in entries]
    assert found == [
        ("https://ex.org/img/a.jpg", ""),
        ("https://ex.org/b.jpg", "Jo Li"),
        ("https://ex.org/c.jpg", ""),
        ("", ""),
        ("", ""),
    ]


def test_a_lead_image_and_body_images_are_all_recorded_and_published(tmp_path: Path) -> None:
    text = article_text("image: lead.png\n", body="The harbour reopened. ![The route](route.png)")
    site = site_with(tmp_path, {"content/a.md": text, "content/route.png": png(2, 2)})
    first = build_site(BuildOptions(site=site, jobs=1))
    assert (first.output / "media/route.png").is_file() and not (first.output / "media/lead.png").exists()
    (site / "content/lead.png").write_bytes(png())  # the lead image comes after: the article is read again
    second = build_site(BuildOptions(site=site, jobs=1)).output
    page = (second / "articles/harbour-reopens/index.html").read_text(encoding="utf-8")
    assert 'src="../../media/lead.png"' in page and 'src="../../media/route.png"' in page
    assert (second / "media/lead.png").read_bytes() == png()


REAL_IMAGES = Path(__file__).parent / "fixtures" / "images"


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("glacier.png", (960, 480)),
        ("photo.jpg", (72, 48)),  # Chromium's JPEG encoder
        ("photo.webp", (60, 20)),  # Chromium's WebP encoder, lossy (VP8) and lossless (VP8L)
        ("drawing.webp", (60, 20)),
        ("python.gif", (16, 16)),  # CPython's test data
    ],
)
def test_the_size_of_real_image_files_is_read_from_their_headers(name: str, size: tuple[int, int]) -> None:
    with (REAL_IMAGES / name).open("rb") as stream:
        assert image_size(stream) == size


@pytest.mark.parametrize(
    "data",
    [b"", b"GIF89a", b"\x89PNG\r\n\x1a\n" + b"\0" * 8, b"\xff\xd8\xff\xe0\x00\x01", b"RIFF\0\0\0\0WEBPVP8 ", b"<svg/>"],
)
def test_a_file_whose_header_says_no_size_gives_none(data: bytes) -> None:
    assert image_size(io.BytesIO(data)) is None


def test_a_lead_image_replaced_by_one_of_another_size_is_read_again(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"content/a.md": article_text("image: photo.png\n"), "content/photo.png": png(4, 2)})
    build_site(BuildOptions(site=site, jobs=1))
    (site / "content/photo.png").write_bytes(png(30, 10))
    incremental = build_site(BuildOptions(site=site, jobs=1)).output
    page = (incremental / "articles/harbour-reopens/index.html").read_text(encoding="utf-8")
    assert 'width="30" height="10"' in page
    assert (incremental / "media/photo.png").read_bytes() == png(30, 10)


def riff(chunk: bytes, payload: bytes) -> bytes:
    """A WebP file's first bytes: RIFF header, one chunk of the kind given, its payload (the header the spec lays out)."""
    body = b"WEBP" + chunk + struct.pack("<I", len(payload)) + payload
    return b"RIFF" + struct.pack("<I", len(body)) + body


def test_simple_webp_headers_give_their_size() -> None:
    """Chromium writes the extended form (VP8X, above); other encoders write the simple lossy and lossless ones."""
    lossy = riff(b"VP8 ", b"\x50\x02\x00" + b"\x9d\x01\x2a" + struct.pack("<HH", 60, 20) + b"\0" * 16)
    lossless = riff(b"VP8L", b"\x2f" + ((60 - 1) | (20 - 1) << 14).to_bytes(4, "little") + b"\0" * 16)
    assert image_size(io.BytesIO(lossy)) == (60, 20)
    assert image_size(io.BytesIO(lossless)) == (60, 20)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("'https://cdn.example.net/a b.jpg'", "https://cdn.example.net/a%20b.jpg"),
        ("'https://cdn.example.net/a\"b<c>.jpg'", "https://cdn.example.net/a%22b%3Cc%3E.jpg"),
        ("'https://cdn.example.net/a%zz.jpg?q=<1>'", "https://cdn.example.net/a%25zz.jpg?q=%3C1%3E"),
        ("'https://cdn.example.net/a\\b.jpg'", "https://cdn.example.net/a/b.jpg"),  # as browsers read it
        ("'https://cdn.example.net\\@evil.example/a.jpg'", "https://cdn.example.net/@evil.example/a.jpg"),
        ('"https://cdn.example.net/a\\n.jpg"', "https://cdn.example.net/a.jpg"),
        ("'HTTPS://cdn.example.net/a.jpg#x y'", "https://cdn.example.net/a.jpg#x%20y"),
    ],
)
def test_a_remote_image_url_is_written_as_a_page_may_carry_it(tmp_path: Path, value: str, shown: str) -> None:
    """The Nu checker refused the page (a space, a quote, a stray %, a backslash): URLs are made like page_url's."""
    site = site_with(tmp_path, {"content/a.md": article_text(f"image: {value}\n")})
    assert load(site, "content/a.md") == (Image(shown), [])


def test_a_remote_image_url_loses_its_credentials_with_a_warning(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"content/a.md": article_text("image: https://jo:secret@cdn.example.net/a.jpg\n")})
    image, warnings = load(site, "content/a.md")
    assert image == Image("https://cdn.example.net/a.jpg")
    assert warnings == [
        "content/a.md:4: 'image' 'https://jo:secret@cdn.example.net/a.jpg' has credentials (user:password@): "
        "left out of its URL"
    ]


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("'https://cdn.example.net:abc/a.jpg'", "is not a valid http(s) URL (its host or port)"),
        ("'https://cdn.example.net:99999/a.jpg'", "is not a valid http(s) URL (its host or port)"),
        ("'https://cdn example.net/a.jpg'", "has a host no browser accepts ('cdn example.net')"),
    ],
)
def test_a_remote_image_no_browser_could_load_is_refused(tmp_path: Path, value: str, why: str) -> None:
    site = site_with(tmp_path, {"content/a.md": article_text(f"image: {value}\n")})
    image, warnings = load(site, "content/a.md")
    assert image is None and len(warnings) == 1
    assert warnings[0].endswith(f"{why}: no lead image")


def test_the_address_of_an_image_mapping_is_not_read_as_html(tmp_path: Path) -> None:
    """``&region=`` was read as ``&reg;`` (``®ion=``) where the address is in a mapping, as ingest writes one."""
    url = "https://cdn.example.net/a.jpg?w=600&region=eu&copy=1"
    front = f"image:\n  src: '{url}'\n  alt: Boats &amp; nets\n  credit: Jo Li\n"
    site = site_with(tmp_path, {"content/a.md": article_text(front)})
    assert load(site, "content/a.md") == (Image(url, alt="Boats & nets", credit="Jo Li"), [])


@pytest.mark.parametrize("data", [b"<html><script>alert(1)</script></html>", b"", b"\x89PN"])
def test_a_file_named_as_an_image_that_is_none_is_refused_and_read_again_when_it_changes(
    tmp_path: Path, data: bytes
) -> None:
    site = site_with(tmp_path, {"content/a.md": article_text("image: photo.png\n"), "content/photo.png": data})
    image, warnings = load(site, "content/a.md")
    assert image is None
    assert warnings == [
        "content/a.md:4: 'image' 'photo.png' names content/photo.png, which is not a PNG, JPEG, GIF, WebP or AVIF "
        "image: no lead image"
    ]
    first = build_site(BuildOptions(site=site, jobs=1)).output
    assert "lead-image" not in (first / "articles/harbour-reopens/index.html").read_text(encoding="utf-8")
    (site / "content/photo.png").write_bytes(png())
    second = build_site(BuildOptions(site=site, jobs=1)).output
    assert 'width="4" height="2"' in (second / "articles/harbour-reopens/index.html").read_text(encoding="utf-8")


def jpeg(width: int, height: int, orientation: int | None = None, order: str = ">") -> bytes:
    """A JPEG file's segments up to its frame header, with an EXIF block giving its orientation if one is given."""
    segments = b""
    if orientation is not None:
        tiff = (b"MM" if order == ">" else b"II") + struct.pack(order + "HIH", 42, 8, 1)
        tiff += struct.pack(order + "HHIH", 0x0112, 3, 1, orientation) + b"\0\0" + struct.pack(order + "I", 0)
        segments += b"\xff\xe1" + struct.pack(">H", len(tiff) + 8) + b"Exif\0\0" + tiff
    frame = b"\x08" + struct.pack(">HH", height, width) + b"\x03" + b"\x01\x11\x00" * 3
    return b"\xff\xd8" + segments + b"\xff\xc0" + struct.pack(">H", len(frame) + 2) + frame + b"\xff\xd9"


@pytest.mark.parametrize(
    ("orientation", "order", "size"),
    [(None, ">", (72, 48)), (1, ">", (72, 48)), (3, "<", (72, 48)), (6, ">", (48, 72)), (8, "<", (48, 72))],
)
def test_a_photo_its_exif_turns_a_quarter_gives_its_sides_as_shown(
    orientation: int | None, order: str, size: tuple[int, int]
) -> None:
    """A phone stores a portrait photo landscape and says so in EXIF; browsers show it turned, so its width and
    height must be turned too, or the page's layout shifts when it loads."""
    assert image_size(io.BytesIO(jpeg(72, 48, orientation, order))) == size


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        ((REAL_IMAGES / "glacier.png").read_bytes(), ("png", 960, 480)),
        ((REAL_IMAGES / "photo.jpg").read_bytes(), ("jpeg", 72, 48)),
        (b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf", ("avif", 0, 0)),  # a kind shown, no size in it
        (b"\0\0\0\x18ftypmif1\0\0\0\0mif1avif", ("avif", 0, 0)),
        (b"\0\0\0\x18ftypheic\0\0\0\0mif1heic", None),  # HEIC: no browser but Safari shows it
        (b"%PDF-1.7", None),
        (b"\xff\xd8\xff\xe0\x00\x01", ("jpeg", 0, 0)),
    ],
)
def test_the_kind_of_an_image_file_is_read_from_its_first_bytes(data: bytes, kind: tuple[str, int, int] | None) -> None:
    assert read_image(io.BytesIO(data)) == kind


def box(kind: bytes, content: bytes, full: bool = False) -> bytes:
    """An ISO media box (a full box has 4 bytes of version and flags before its content)."""
    body = (b"\0\0\0\0" if full else b"") + content
    return struct.pack(">I", len(body) + 8) + kind + body


AVIF_START = box(b"ftyp", b"avif\0\0\0\0avifmif1miaf")


def avif(*properties: bytes) -> bytes:
    """An AVIF file's boxes up to its image properties (meta › iprp › ipco), as encoders write them first."""
    handler = box(b"hdlr", b"\0\0\0\0pict" + b"\0" * 13, full=True)
    return AVIF_START + box(b"meta", handler + box(b"iprp", box(b"ipco", b"".join(properties))), full=True)


def ispe(width: int, height: int) -> bytes:
    return box(b"ispe", struct.pack(">II", width, height), full=True)


@pytest.mark.parametrize(
    ("data", "size"),
    [
        (avif(ispe(1200, 800)), (1200, 800)),
        (avif(ispe(240, 160), ispe(1200, 800), ispe(240, 160)), (1200, 800)),  # a thumbnail's and the image's
        (avif(ispe(1200, 800), box(b"irot", b"\x01")), (800, 1200)),  # turned a quarter
        (avif(ispe(1200, 800), box(b"irot", b"\x02")), (1200, 800)),  # turned a half
        (avif(box(b"pixi", b"\0\0\0\0\x03\x08\x08\x08")), None),  # no extent
    ],
)
def test_an_avif_gives_the_size_of_its_primary_image(data: bytes, size: tuple[int, int] | None) -> None:
    assert image_size(io.BytesIO(data)) == size


def test_a_jpeg_whose_metadata_runs_past_the_first_bytes_read_gives_its_size() -> None:
    """A camera's EXIF and XMP (a thumbnail and a preview in them) may fill hundreds of kilobytes before the frame."""
    metadata = b"".join(b"\xff\xe2" + struct.pack(">H", 60_002) + bytes(60_000) for _ in range(5))
    data = jpeg(4000, 3000)
    assert image_size(io.BytesIO(data[:2] + metadata + data[2:])) == (4000, 3000)


@settings(max_examples=3000, deadline=None)
@given(
    st.sampled_from(
        [b"", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", b"GIF89a", b"\xff\xd8\xff", b"RIFF\0\0\0\0WEBPVP8X", AVIF_START]
    ),
    st.binary(max_size=100),
)
def test_no_header_makes_image_size_raise(prefix: bytes, data: bytes) -> None:
    found = read_image(io.BytesIO(prefix + data))
    assert found is None or found[1:] == (0, 0) or all(0 < side <= 65535 for side in found[1:])


def test_exif_that_lies_about_its_directory_gives_no_orientation() -> None:
    for tiff in (b"MM\0*\0\0\0\x08\xff\xff" + b"\0" * 20, b"II*\0\xff\xff\xff\xff", b"MM\0*", b"XX\0*\0\0\0\x08"):
        assert image_size(
            io.BytesIO(
                jpeg(72, 48)[:2]
                + b"\xff\xe1"
                + struct.pack(">H", len(tiff) + 8)
                + b"Exif\0\0"
                + tiff
                + jpeg(72, 48)[2:]
            )
        ) == (72, 48)


FEED_PICTURES = """<?xml version="1.0"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>T</title><link>https://ex.org/</link>
<item><title>A</title><media:content url="https://ex.org/clip.mp4"/><media:thumbnail url="https://ex.org/clip.jpg"/></item>
<item><title>B</title><media:content url="https://ex.org/b.jpg"/><media:credit>&lt;b&gt;Jo&lt;/b&gt; &amp;amp; Li</media:credit>
</item>
<item><title>C</title><media:content url="https://ex ample.org/c.jpg" medium="image"/>
<media:thumbnail url="https://ex.org/c-small.jpg"/></item>
<item><title>D</title><media:content url="https://ex.org/a picture.jpg?w=1&amp;region=eu" medium="image"/></item>
</channel></rss>"""


def test_a_feed_entrys_picture_is_one_a_page_can_show_with_a_plain_text_credit() -> None:
    """Media RSS content of no stated type that names a video, a host no browser accepts: the next picture is taken;
    a credit holding HTML is its text."""
    found = [entry_image(entry, "https://ex.org/") for entry in feedparser.parse(FEED_PICTURES).entries]
    assert found == [
        ("https://ex.org/clip.jpg", ""),
        ("https://ex.org/b.jpg", "Jo & Li"),
        ("https://ex.org/c-small.jpg", ""),
        ("https://ex.org/a%20picture.jpg?w=1&region=eu", ""),
    ]


def test_remote_image_urls_are_valid_on_the_page_and_in_the_feeds(tmp_path: Path) -> None:
    front = "image:\n  src: 'https://cdn.example.net/a \"b\".jpg?w=1&region=eu'\n  credit: Jo Li\n"
    site = site_with(tmp_path, {"content/a.md": article_text(front)})
    out = build_site(BuildOptions(site=site, jobs=1)).output
    url = "https://cdn.example.net/a%20%22b%22.jpg?w=1&region=eu"
    page = (out / "articles/harbour-reopens/index.html").read_text(encoding="utf-8")
    assert f'<img src="{url.replace("&", "&amp;")}" alt=""' in page
    assert f'<meta property="og:image" content="{url.replace("&", "&amp;")}">' in page
    assert feedparser.parse((out / "feed.xml").read_bytes()).entries[0].media_content[0]["url"] == url
    assert json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"][0]["image"] == url


def test_lists_show_the_lead_image_beside_the_articles_first_story_only(tmp_path: Path) -> None:
    body = "The harbour reopened on Monday.\n\n## Reaction\n\nFishers welcomed the news on Tuesday.\n"
    site = site_with(
        tmp_path, {"content/a.md": article_text("image: photo.png\n", body), "content/photo.png": png(8, 4)}
    )
    out = build_site(BuildOptions(site=site, jobs=1)).output
    thumb = (
        '<img class="story-thumb" src="{}media/photo.png" alt="" width="8" height="4" loading="lazy" decoding="async">'
    )
    assert thumb.format("") in (out / "index.html").read_text(encoding="utf-8")
    topic = (out / "topics/general/index.html").read_text(encoding="utf-8")  # both stories are listed there
    cards = topic.split('<article class="story-card">')[1:]
    assert [('class="story-thumb"' in card, "#story-1" in card) for card in cards] == [(True, True), (False, False)]
    assert thumb.format("../../") in topic


def test_a_refused_lead_image_file_is_not_published_yet_its_replacement_is(tmp_path: Path) -> None:
    """A text file named as the lead image was copied to media/, linked from no page; now it is left out."""
    page = b"<html><script>alert(1)</script></html>"
    site = site_with(tmp_path, {"content/a.md": article_text("image: photo.png\n"), "content/photo.png": page})
    first = build_site(BuildOptions(site=site, jobs=1))
    assert not (first.output / "media").exists()
    assert not any(page in path.read_bytes() for path in first.output.rglob("*") if path.is_file())
    assert [w for w in first.diagnostics.warnings if "content/photo.png" in w] == [
        "content/a.md:4: 'image' 'photo.png' names content/photo.png, which is not a PNG, JPEG, GIF, WebP or AVIF "
        "image: no lead image"
    ]
    assert build_site(BuildOptions(site=site, jobs=1)).unchanged
    (site / "content/photo.png").write_bytes(png())  # the same name, now an image: no no-op, and it is shown
    second = build_site(BuildOptions(site=site, jobs=1))
    assert not second.unchanged
    assert (second.output / "media/photo.png").read_bytes() == png()
    assert 'width="4" height="2"' in (second.output / "articles/harbour-reopens/index.html").read_text(encoding="utf-8")


def test_a_refused_lead_image_file_the_body_links_to_is_still_published(tmp_path: Path) -> None:
    text = article_text("image: notes.png\n", body="The harbour reopened. [Raw notes](notes.png)")
    site = site_with(tmp_path, {"content/a.md": text, "content/notes.png": b"not an image"})
    result = build_site(BuildOptions(site=site, jobs=1))
    assert (result.output / "media/notes.png").read_bytes() == b"not an image"
    page = (result.output / "articles/harbour-reopens/index.html").read_text(encoding="utf-8")
    assert 'href="../../media/notes.png"' in page and "lead-image" not in page
    assert any("content/notes.png, which is not a PNG" in w for w in result.diagnostics.warnings)
