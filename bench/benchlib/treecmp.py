"""Compare two output trees byte for byte: is an incremental build the same as a clean one?"""

from __future__ import annotations

import hashlib
from pathlib import Path


def tree_digest(root: Path) -> dict[str, str]:
    """Relative path → sha256 of every file under ``root`` (symlinks recorded by their target)."""
    digests: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_symlink():
            digests[relative] = "symlink:" + str(path.readlink())
        elif path.is_file():
            digests[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def tree_differences(left: Path, right: Path) -> list[str]:
    """Human-readable differences between two trees; empty when they are byte-identical."""
    a, b = tree_digest(left), tree_digest(right)
    differences = [f"only in {left.name}: {name}" for name in sorted(a.keys() - b.keys())]
    differences += [f"only in {right.name}: {name}" for name in sorted(b.keys() - a.keys())]
    differences += [f"differs: {name}" for name in sorted(a.keys() & b.keys()) if a[name] != b[name]]
    return differences
