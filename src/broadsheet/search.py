"""Full-text search: index the written site with Pagefind, as the last build step.

Pagefind reads the finished HTML (only elements marked ``data-pagefind-body``,
i.e. article bodies) and writes a static index plus its search library under
``pagefind/``, so search runs in the reader's browser with no server. The
binary comes from the pinned PyPI package ``pagefind[extended]``; where it is
missing, the site is built without an index and the build warns.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import signal
import subprocess
import sys
from pathlib import Path

from .errors import BroadsheetError, Diagnostics

BUNDLE_FOLDER = "pagefind"
TIMEOUT_SECONDS = 600
PR_SET_PDEATHSIG = 1


def pagefind_binary() -> Path | None:
    """The Pagefind executable the ``pagefind`` package would run (``$PAGEFIND_BINARY_PATH`` wins)."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    found: Path | None = get_executable()
    return found if found is not None and found.exists() else None


def _die_with_parent() -> None:
    """In the child before exec: on Linux, end Pagefind if broadsheet dies (a killed build must not
    leave it writing into the next build's folder). Elsewhere a no-op."""
    libc_name = ctypes.util.find_library("c")
    if sys.platform.startswith("linux") and libc_name:
        ctypes.CDLL(libc_name).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def index_search(site: Path, diagnostics: Diagnostics) -> bool:
    """Index the built site in ``site`` (the staging folder); False when Pagefind is not installed.

    The index is a pure function of the HTML: two builds of the same input give
    byte-identical ``pagefind/`` files (tests/test_search.py checks it).
    """
    binary = pagefind_binary()
    if binary is None:
        diagnostics.warn(
            "search is on but Pagefind is not installed: built without a search index "
            "(pip install 'pagefind[extended]==1.5.2', or set 'search: false')",
            "site.yaml",
        )
        return False
    command = [str(binary), "--site", str(site), "--output-subdir", BUNDLE_FOLDER, "--silent"]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
            preexec_fn=_die_with_parent,  # only prctl: safe between fork and exec
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BroadsheetError(f"search indexing failed: could not run Pagefind: {exc}") from None
    if done.returncode != 0:
        detail = " ".join((done.stderr or done.stdout).split())[-500:]
        raise BroadsheetError(f"search indexing failed: Pagefind exited with status {done.returncode}: {detail}")
    return True
