"""The inputs: generated corpora (reused while intact) and the one-article edit.

A corpus is regenerated only when its stamp is missing or stale (another
generator, size or format). The stamp is removed while an article is edited
and written back once the original bytes are restored, so an interrupted
benchmark never leaves a modified corpus that a later run would trust.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STAMP = ".bench-corpus.json"


def stamp_for(generator: Path, fmt: str, n: int) -> dict[str, str | int]:
    """What a finished corpus records about how it was made."""
    digest = hashlib.sha256(generator.read_bytes()).hexdigest()
    return {"generator_sha256": digest, "format": fmt, "n": n}


def is_intact(folder: Path, expected: dict[str, str | int]) -> bool:
    try:
        return bool(json.loads((folder / STAMP).read_text()) == expected)
    except (OSError, ValueError):
        return False


def ensure_corpus(generator: Path, fmt: str, n: int, folder: Path, log: Path) -> bool:
    """Make ``folder`` hold the ``fmt`` corpus of ``n`` articles; True when it had to be generated."""
    expected = stamp_for(generator, fmt, n)
    if is_intact(folder, expected):
        return False
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    with log.open("ab") as sink:
        subprocess.run(
            [sys.executable, generator, "--format", fmt, "--n", str(n), "--out", folder],
            check=True,
            stdout=sink,
            stderr=sink,
        )
    (folder / STAMP).write_text(json.dumps(expected))
    return True


def first_article(folder: Path) -> Path:
    """The article every tool edits: the first by name (file names are the same in every layout)."""
    articles = sorted((folder / "content").glob("*.md"))
    if not articles:
        raise FileNotFoundError(f"no articles under {folder / 'content'}")
    return articles[0]


def edited_text(original: bytes, edit_number: int) -> bytes:
    """The original article with one line appended; each edit differs from the one before."""
    line = f"\nThis article was edited for benchmark rebuild {edit_number}.\n"
    return original.rstrip(b"\n") + b"\n" + line.encode()


@contextmanager
def editable(folder: Path) -> Iterator[Path]:
    """Yield the article to edit; its original bytes and the corpus stamp are restored afterwards."""
    article = first_article(folder)
    original = article.read_bytes()
    stamp = folder / STAMP
    saved_stamp = stamp.read_bytes() if stamp.exists() else None
    stamp.unlink(missing_ok=True)
    try:
        yield article
    finally:
        article.write_bytes(original)
        if saved_stamp is not None:
            stamp.write_bytes(saved_stamp)
