"""What a build remembers of each output folder in ``.cache/``, and when it is forgotten.

A build keeps state per output folder (its files and fingerprints, the text
state, site-wide memos), as ``KIND-DIGEST.pickle`` with the digest of the
folder's path: building into a temporary folder (a check, a preview) left a
set of these behind every time, never removed. Each set now has a
``where-DIGEST.txt`` naming its folder, and a build removes the sets whose
folder no longer exists. Sets saved before there were such files are left
alone: nothing says whose they are.
"""

from __future__ import annotations

from pathlib import Path

from .fingerprint import digest, named_by_us

# Every kind of per-output state a build saves (build.py); each may have a delta beside it (memo.delta_file).
STATE_KINDS = ("inputs", "names", "clusters", "entities", "entity-tokens", "output", "texts")
WHERE = "where"


def state_file(cache: Path, output: Path, kind: str) -> Path:
    """The file of state ``kind`` kept for the output folder ``output``."""
    return cache / f"{kind}-{digest(str(output))}.pickle"


def note_folder(cache: Path, output: Path) -> None:
    """Name ``output`` beside its state, so a later build can tell when the folder is gone."""
    where = cache / f"{WHERE}-{digest(str(output))}.txt"
    text = str(output)
    try:
        if where.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    cache.mkdir(parents=True, exist_ok=True)
    temporary = where.with_name(f".{where.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(where)


def sweep(cache: Path, keep: Path) -> list[Path]:
    """Remove the state of every output folder that no longer exists (never ``keep``'s); returns what was removed.

    Only files named exactly as a build names them are removed (``named_by_us``):
    a user's own file in ``.cache/`` is never touched.
    """
    removed: list[Path] = []
    kept = digest(str(keep))
    for where in named_by_us(cache, WHERE):
        name = where.name.split(".", 1)[0]
        folder_digest = name[len(WHERE) + 1 :]
        try:
            folder = Path(where.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        if folder_digest == kept or folder_digest != digest(str(folder)) or folder.is_dir():
            continue  # this build's, one that names another folder than its digest says, or one still there
        for kind in STATE_KINDS:
            for suffix in (".pickle", ".delta"):
                state = cache / f"{kind}-{folder_digest}{suffix}"
                if state.is_file() and not state.is_symlink():
                    state.unlink()
                    removed.append(state)
        where.unlink()
        removed.append(where)
    return removed
