"""Time one whole process from outside: wall clock, CPU and peak memory.

Start-up is included on purpose (users pay it). ``os.wait4`` gives the exact
CPU time and the peak RSS of the largest single process; a sampler adds up the
memory of the whole process tree a few times a second, so a build that fans out
into a process pool cannot hide its workers' memory. The tree is summed as PSS
(``/proc/PID/smaps_rollup``): a page that forked workers still share with their
parent is counted once, split between them, where a sum of RSS would count it
once per process (three times over for a parent and two workers).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.1
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass(frozen=True)
class Run:
    """One measured process."""

    wall: float
    user: float
    system: float
    max_rss_kib: int  # largest single process (exact, from the kernel)
    tree_rss_kib: int  # largest sampled sum of PSS over the process tree (0 when never sampled)
    exit_code: int
    timed_out: bool = False
    over_memory: bool = False  # killed because the tree's memory passed the harness's memory cap

    @property
    def cpu(self) -> float:
        return self.user + self.system

    @property
    def peak_kib(self) -> int:
        """The larger of the two memory views."""
        return max(self.max_rss_kib, self.tree_rss_kib)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out and not self.over_memory

    def problem(self, timeout: float, memory_cap_kib: int) -> str | None:
        """Why this run does not count, in the words the table shows."""
        if self.timed_out:
            return f"timed out after {timeout:.0f} s"
        if self.over_memory:
            return f"killed at {memory_cap_kib / 1024 / 1024:.0f} GB (memory cap)"
        if self.exit_code != 0:
            return f"failed, exit {self.exit_code}"
        return None


def session_memory_kib(session: int, proc: Path = Path("/proc")) -> int:
    """Sum of the PSS of every process in ``session`` (the child started its own); RSS where PSS is unreadable."""
    total = 0
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        fields = parse_stat(stat)
        if fields is not None and fields[0] == session:
            total += pss_kib(entry) or fields[1] * PAGE_KIB
    return total


def pss_kib(process: Path) -> int:
    """The proportional set size of one process, 0 when the kernel does not say (or it ended)."""
    try:
        rollup = (process / "smaps_rollup").read_text()
    except OSError:
        return 0
    return parse_pss(rollup)


def parse_pss(rollup: str) -> int:
    """The ``Pss:`` line of a ``smaps_rollup`` file, in KiB (0 when absent)."""
    for line in rollup.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def parse_stat(stat: str) -> tuple[int, int] | None:
    """(session id, RSS in pages) from a ``/proc/PID/stat`` line.

    The command name in parentheses may itself hold spaces and parentheses, so
    fields are counted from the last ``)``: field 6 is the session, 24 the RSS.
    """
    _, sep, rest = stat.rpartition(")")
    if not sep:
        return None
    fields = rest.split()
    if len(fields) < 22:
        return None
    return int(fields[3]), int(fields[21])


class _TreeSampler(threading.Thread):
    """Polls the child's session until told to stop, keeping the largest sum seen.

    Past ``cap_kib`` it kills the session: on a machine shared with other work a
    runaway build must fail alone rather than wake the kernel's OOM killer.
    """

    def __init__(self, session: int, cap_kib: int) -> None:
        super().__init__(daemon=True)
        self.session = session
        self.cap_kib = cap_kib
        self.peak = 0
        self.over = threading.Event()
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(SAMPLE_SECONDS):
            self.peak = max(self.peak, session_memory_kib(self.session))
            if self.peak > self.cap_kib and not self.over.is_set():
                self.over.set()
                _kill_session(self.session)


def _kill_session(session: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(session, signal.SIGKILL)


def run_timed(
    command: Sequence[str | Path],
    cwd: Path,
    log: Path,
    timeout: float,
    memory_cap_kib: int,
    env: Mapping[str, str] | None = None,
) -> Run:
    """Run ``command`` in ``cwd`` (output appended to ``log``), killed after ``timeout`` s or past the memory cap."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as sink:
        sink.write(f"\n$ (cd {cwd} && {' '.join(map(str, command))})\n".encode())
        sink.flush()
        started = time.perf_counter()
        child = subprocess.Popen(
            command, cwd=cwd, stdout=sink, stderr=sink, start_new_session=True, env=None if env is None else dict(env)
        )
        sampler = _TreeSampler(child.pid, memory_cap_kib)
        sampler.start()
        expired = threading.Event()

        def kill() -> None:
            expired.set()
            _kill_session(child.pid)

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        timer.cancel()
        sampler.done.set()
        sampler.join()
        child.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        wall=wall,
        user=usage.ru_utime,
        system=usage.ru_stime,
        max_rss_kib=usage.ru_maxrss,
        tree_rss_kib=sampler.peak,
        exit_code=child.returncode,
        timed_out=expired.is_set(),
        over_memory=sampler.over.is_set(),
    )
