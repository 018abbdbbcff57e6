"""All-or-nothing, incremental output: a live folder and its shadow, exchanged atomically.

A build brings the *shadow* (a hidden sibling of ``output/`` holding an
older generation of the site) up to date, writing only files whose bytes
differ, and then swaps it with ``output/`` in one atomic step (Linux
``renameat2(RENAME_EXCHANGE)``; elsewhere two renames). A failed or killed
build never touches the live folder. A folder that broadsheet did not write
is never replaced: it might be the user's own files.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import hashlib
import operator
import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from itertools import chain, filterfalse
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from . import urls
from .errors import BroadsheetError
from .output_state import Loose, OutputState, SetRecord, StateFile, Touched, TreeState

MARKER = ".broadsheet-output"
DIRTY = "dirty"
UNKNOWN = "unknown"  # the sha256 of a shadow file whose bytes nobody recorded: never equal to a real one
RENAME_EXCHANGE = 2
AT_FDCWD = -100


def check_output_folder(output: Path, root: Path, read_from: list[Path]) -> None:
    """Refuse an output folder that holds, or is, something the user owns, or lies where the build reads.

    Inside ``content/`` (say), the next build would read its own pages,
    feeds and ``robots.txt`` as articles.
    """
    if output.exists() and not output.is_dir():
        # The build swaps its new site in for the output folder: a file there would be swapped out, then deleted.
        raise BroadsheetError("not a folder: --output takes a folder for the site to be built into", output)
    for folder in (root, *read_from):
        if output == folder or folder.is_relative_to(output):
            raise BroadsheetError(f"refusing to build into {output}: it contains {folder.name}/, which is your content")
    for folder in read_from:
        if output.is_relative_to(folder):
            raise BroadsheetError(
                f"refusing to build into {output}: it is inside {folder.name}/, which the build reads; "
                "choose a folder outside it"
            )
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).exists():
        raise BroadsheetError(
            f"refusing to replace {output}: it was not written by broadsheet (no {MARKER} file); "
            "choose another --output"
        )


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_marker(tree: Path) -> str:
    """The generation a tree's marker file names ("" if none can be read): the live site's, for ``output``."""
    try:
        return (tree / MARKER).read_text(encoding="utf-8").strip().rsplit(" ", 1)[-1]
    except OSError:
        return ""


def _write_marker(tree: Path, generation: str) -> None:
    (tree / MARKER).write_text(f"Written by broadsheet; replaced on every build. generation {generation}\n")


def _make_folder(path: str) -> None:
    """``os.makedirs(path, exist_ok=True)`` in one system call when the parent is there (nearly always)."""
    try:
        os.mkdir(path)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(path, exist_ok=True)


NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
COPY_CHUNK = 1 << 20  # a file copied in (write_from) is read this much at a time


def _write_new(name: str, data: bytes | BinaryIO) -> None:
    """Write ``data`` to ``name`` as a new file (a new inode), making its folder if need be.

    A file already there is unlinked first: the shadow may share it with
    the live folder (a hard link), whose bytes must not change. A clean
    build writes tens of thousands of pages, each into a new folder: one
    ``mkdir`` and one ``open`` each, and no ``unlink`` of a file not there.
    """
    _make_folder(os.path.dirname(name))
    try:
        descriptor = os.open(name, NEW_FILE, 0o666)
    except FileExistsError:
        os.unlink(name)
        descriptor = os.open(name, NEW_FILE, 0o666)
    with open(descriptor, "wb") as stream:
        if isinstance(data, bytes):
            stream.write(data)
        else:
            shutil.copyfileobj(data, stream, COPY_CHUNK)


def _hash_of(source: BinaryIO) -> str:
    """``content_hash`` of what ``source`` holds, read in pieces; then back at its start."""
    digest = hashlib.sha256()
    for chunk in iter(partial(source.read, COPY_CHUNK), b""):
        digest.update(chunk)
    source.seek(0)
    return digest.hexdigest()


def _parents(file: str) -> list[str]:
    """The folders of site file ``file``: ``a/b/c.html`` → ``a/b``, ``a``."""
    parents = []
    folder = file.rpartition("/")[0]
    while folder:
        parents.append(folder)
        folder = folder.rpartition("/")[0]
    return parents


def _reusable(shadow: Path) -> tuple[dict[str, str], set[str] | None]:
    """A shadow nobody recorded (its state file was deleted, or a build was killed): its files, bytes unknown.

    Deleting a large site's shadow file by file costs seconds (7 s at 43,000
    files); listing it costs a tenth of that, and every file in it is
    rewritten or pruned anyway, as its bytes are taken to be unknown. Reused
    only when broadsheet made it (its marker) and it holds nothing but plain
    files and folders; otherwise it is deleted as before. Returns the files
    (each ``UNKNOWN``) and the folders, or nothing and None.
    """
    files: dict[str, str] = {}
    folders: set[str] = set()
    if not shadow.is_symlink() and (shadow / MARKER).is_file() and _list_plain(shadow, "", files, folders):
        del files[MARKER]
        return files, folders
    try:
        if shadow.is_symlink() or shadow.is_file():
            shadow.unlink()
        elif shadow.exists():
            shutil.rmtree(shadow)
    except OSError as exc:  # what stayed would reach the site unrecorded, and never be pruned
        raise BroadsheetError(
            f"cannot remove this old shadow folder ({exc.strerror or exc}): delete it", shadow
        ) from None
    return {}, None


def _list_plain(folder: Path, prefix: str, files: dict[str, str], folders: set[str]) -> bool:
    """Add what ``folder`` holds to ``files`` and ``folders`` (as site paths); False at anything but those."""
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_symlink():
                    return False
                if entry.is_dir(follow_symlinks=False):
                    folders.add(name)
                    if not _list_plain(Path(entry.path), name + "/", files, folders):
                        return False
                elif entry.is_file(follow_symlinks=False):
                    files[name] = UNKNOWN
                else:
                    return False
    except OSError:
        return False
    return True


GENERATIONS = 1 << 128


def _file_digest(file: str, sha: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{file}\0{sha}".encode("utf-8", "surrogatepass"), digest_size=16).digest())


def _generation(files: Mapping[str, str]) -> str:
    """The id of a tree's content, for its marker: the sum of each file's digest (path and sha256), 32 hex digits.

    From the content, so equal sites have equal markers; a sum, so a rebuild
    that changed a few files updates it by those (``_generation_after``).
    """
    return f"{sum(map(_file_digest, files.keys(), files.values())) % GENERATIONS:032x}"


def _generation_after(before: TreeState, after: Mapping[str, str], changed: Iterable[str]) -> str:
    """``_generation(after)`` when ``after`` holds what ``before`` holds but at ``changed``."""
    try:
        total = int(before.generation, 16)
    except ValueError:
        return _generation(after)
    for file in changed:
        old, new = before.files.get(file), after.get(file)
        if old == new:  # nearly all the pages of a changed list: unlinked from the copy, then kept
            continue
        if old is not None:
            total -= _file_digest(file, old)
        if new is not None:
            total += _file_digest(file, new)
    return f"{total % GENERATIONS:032x}"


def lock_output(output: Path) -> int:
    """An exclusive lock on ``.NAME.lock`` beside ``output``: two builds sharing one shadow would mix their files."""
    return exclusive_lock(
        output.with_name(f".{output.name}.lock"),
        f"another build is writing {output} right now; run this one when it has finished",
    )


def lock_site(cache: Path) -> int:
    """An exclusive lock on ``.lock`` in the site's cache folder, held for a whole build.

    Two builds of one site (``serve`` and ``build``, or two output folders)
    would share the content cache: one could forget a text the other is
    about to render. The second is refused at once, as for one output folder.
    """
    return exclusive_lock(
        cache / ".lock", f"another build of this site is running (see {cache}); run this one when it has finished"
    )


def exclusive_lock(lock: Path, busy: str) -> int:
    """The descriptor of ``lock``, locked exclusively (closing it unlocks); ``busy``: the error if it is taken."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    try:  # never through a symbolic link: it could make a file anywhere
        descriptor = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        raise BroadsheetError(f"cannot open this lock file: {exc.strerror}", lock) from None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        raise BroadsheetError(busy) from None
    return descriptor


def exchange(first: Path, second: Path) -> None:
    """Swap two folders atomically where the system can, else with three renames."""
    libc_name = ctypes.util.find_library("c")
    if libc_name:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = getattr(libc, "renameat2", None)
        if renameat2 is not None:
            result = renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
            if result == 0:
                return
    spare = first.with_name(f"{first.name}.swap-{os.getpid()}")
    os.replace(first, spare)
    os.replace(second, first)
    os.replace(spare, second)


class Publisher:
    """Write a site into the shadow of ``output`` and publish it by exchanging the two folders."""

    def __init__(self, output: Path, state_file: Path) -> None:
        self.output = output
        self.shadow = output.with_name(f".{output.name}.shadow")
        self.state_file = StateFile(state_file)
        self.state = OutputState()
        self.desired: dict[str, str] = {}
        self.fingerprints: dict[str, str] = {}
        self.sets: dict[str, SetRecord] = {}
        self.current: dict[str, str] = {}  # what the shadow holds right now
        # The folders of a shadow whose record was lost (``_reusable``); None when the record is trusted.
        self.untrusted_folders: set[str] | None = None
        # Whether ``current`` is the shadow as the state recorded it (``OutputState.shadow_differs`` holds).
        self.shadow_as_recorded = False
        # What this build wanted file by file (``_want``, ``adopt``), and the sets it recorded: the loose files
        # are the former less the latter's (``OutputState.loose``).
        self.one_by_one: list[tuple[str, str | None]] = []  # (file, its path if fingerprinted)
        self.recorded: list[tuple[str, SetRecord]] = []
        # After ``_keep_by_copy``: the keys at which this build's state may differ from the one loaded.
        self.touched: Touched | None = None
        self.pristine = True  # nothing wanted, written, linked or cleared yet (``_keep_by_copy``)
        self.written = 0
        self._lock = -1

    @property
    def stage(self) -> Path:
        """The folder being written (external steps such as search indexing write here too)."""
        return self.shadow

    def __enter__(self) -> Publisher:
        self._lock = lock_output(self.output)
        try:
            return self._open()
        except BaseException:
            os.close(self._lock)
            raise

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        try:
            self._close(kind)
        finally:
            os.close(self._lock)  # closing the descriptor releases the lock

    def _open(self) -> Publisher:
        self.state = self.state_file.load(str(self.output))
        self.output.parent.mkdir(parents=True, exist_ok=True)
        for leftover in self.output.parent.glob(f"{self.shadow.name}.swap-*"):
            if not self.output.exists() and read_marker(leftover) not in ("", DIRTY):
                os.replace(leftover, self.output)  # a two-rename swap was cut short: this is the finished site
            else:
                shutil.rmtree(leftover, ignore_errors=True)
        live_ok = self.output.is_dir() and read_marker(self.output) == self.state.live.generation != ""
        if not live_ok:
            self.state.live = TreeState()
            self.state.fingerprints = {}
            self.state.sets = {}
            self.state.loose = None
        shadow_ok = not self.shadow.is_symlink() and self.shadow.is_dir()
        if shadow_ok and read_marker(self.shadow) == self.state.shadow.generation != "":
            self.current = dict(self.state.shadow.files)
            self.shadow_as_recorded = live_ok
        else:
            self.current, self.untrusted_folders = _reusable(self.shadow)
        self.shadow.mkdir(parents=True, exist_ok=True)
        _write_marker(self.shadow, DIRTY)  # a build killed from here on leaves a shadow nobody trusts
        return self

    def keep_if_unchanged(self, path: str, fingerprint: str, file: str | None = None) -> bool:
        """Keep the live file at ``path`` if it was made from ``fingerprint``; False: it must be made again.

        ``file``: the page's file, when the caller has it (``files_of``).
        """
        if self.state.fingerprints.get(path) != fingerprint:
            return False
        file = urls.output_file(path) if file is None else file
        sha = self.state.live.files.get(file)
        if sha is None:
            return False
        self._keep(path, file, sha, fingerprint)
        return True

    def files_of(self, name: str, paths: tuple[str, ...]) -> tuple[str, ...]:
        """The files of these pages of set ``name``: as recorded when the set had the same pages, else confined anew.

        A changed list (a topic one article joined) usually has the same pages
        as before, and confining thousands of paths again is most of the cost
        of keeping the pages whose own fingerprint did not change.
        """
        record = self.state.sets.get(name)
        if record is not None and record.paths == paths:
            return record.files
        return tuple(urls.output_file(path) for path in paths)

    def keep_set(self, name: str, fingerprint: str) -> SetRecord | None:
        """Keep page set ``name`` whole if the live build made it from ``fingerprint`` and all its pages are there.

        Returns what the set produced, or None: its pages must be made again.
        Nearly every set of a rebuild is kept, so this is done in bulk rather
        than page by page.
        """
        record = self.state.sets.get(name)
        if record is None or record.fingerprint != fingerprint:
            return None
        try:
            shas = [self.state.live.files[file] for file in record.files]
            fingerprints = [self.state.fingerprints[path] for path in record.paths]
        except KeyError:
            return None
        if not self.desired.keys().isdisjoint(record.files):
            raise BroadsheetError(
                f"two outputs for the same file: {next(f for f in record.files if f in self.desired)}"
            )
        self.pristine = False
        if self.touched is not None:
            self.touched.add_set(name, record)
        self.desired.update(zip(record.files, shas, strict=True))
        self.fingerprints.update(zip(record.paths, fingerprints, strict=True))
        self._link_missing(record.files, shas)
        self.sets[name] = record
        return record

    def keep_sets(self, wanted: Sequence[tuple[str, str]]) -> list[SetRecord | None]:
        """``keep_set`` for each (name, fingerprint), in order: done in bulk, in C, when every kept page is there.

        A rebuild keeps nearly all of 12,000 sets (10,000 articles): one pass
        over all their files instead of a call per set. Anything unusual (a
        page missing from the record, a file claimed twice) is left to
        ``keep_set``, set by set, which says what is wrong.
        """
        records: list[SetRecord | None] = []
        for name, fingerprint in wanted:
            record = self.state.sets.get(name)
            records.append(record if record is not None and record.fingerprint == fingerprint else None)
        if self._keep_by_copy(wanted, records):
            return records
        kept = [record for record in records if record is not None]
        files = list(chain.from_iterable(record.files for record in kept))
        paths = list(chain.from_iterable(record.paths for record in kept))
        live, fingerprints = self.state.live.files, self.state.fingerprints
        try:
            shas = list(map(live.__getitem__, files))
            given = list(map(fingerprints.__getitem__, paths))
            unusual = len(set(files)) != len(files) or not self.desired.keys().isdisjoint(files)
        except KeyError:  # a page missing from the record
            unusual = True
        if unusual:
            return [self.keep_set(name, fingerprint) for name, fingerprint in wanted]
        self.pristine = False
        self.desired.update(zip(files, shas, strict=True))
        self.fingerprints.update(zip(paths, given, strict=True))
        self._link_missing(files, shas)
        for (name, _), record in zip(wanted, records, strict=True):
            if record is not None:
                self.sets[name] = record
        return records

    def _keep_by_copy(self, wanted: Sequence[tuple[str, str]], records: list[SetRecord | None]) -> bool:
        """Keep the sets of ``records`` as a copy of the live site less what they do not hold; False: not done.

        The live site is the files of its sets plus its loose files
        (``OutputState.loose``), so a rebuild that keeps nearly every set
        copies the live files and fingerprints (two dictionary copies in C)
        and drops the few others, instead of a look-up per kept page (43,000
        at 10,000 articles). Done only first thing in a build over a state
        that knows its loose files, and only when the counts come out as the
        kept sets' pages: otherwise (a state not written this way, or damaged)
        ``keep_sets`` goes page by page.
        """
        state, loose = self.state, self.state.loose
        if loose is None or not self.pristine or self.untrusted_folders is not None:
            return False
        kept = [record for record in records if record is not None]
        if len(kept) * 2 < len(state.sets):  # most sets made again: page by page is no dearer
            return False
        names = {name for (name, _), record in zip(wanted, records, strict=True) if record is not None}
        touched = Touched(set(loose.files), set(loose.paths))
        for name in state.sets.keys() - names:
            touched.add_set(name, state.sets[name])
        desired, fingerprints = dict(state.live.files), dict(state.fingerprints)
        for file in touched.files:
            desired.pop(file, None)
        for path in touched.paths:
            fingerprints.pop(path, None)
        if len(desired) != sum(len(record.files) for record in kept) or len(fingerprints) != sum(
            len(record.paths) for record in kept
        ):
            return False
        self.desired, self.fingerprints, self.touched = desired, fingerprints, touched
        self.sets = {name: record for (name, _), record in zip(wanted, records, strict=True) if record is not None}
        if self.shadow_as_recorded and state.shadow_differs is not None:  # the shadow differs only there
            current = self.current
            stale = [(f, desired[f]) for f in state.shadow_differs if f in desired and current.get(f) != desired[f]]
            if stale:
                self._link_all(stale)
        else:
            self._link_missing(list(desired), list(desired.values()))
        return True

    def _link_missing(self, files: Sequence[str], shas: Sequence[str]) -> None:
        """Link the live ``files`` into the shadow where it does not hold those bytes (an older site there)."""
        if not any(map(operator.ne, map(self.current.get, files), shas)):  # checked in C: nearly always all there
            return
        self._link_all([(file, sha) for file, sha in zip(files, shas, strict=True) if self.current.get(file) != sha])

    def _link_all(self, stale: list[tuple[str, str]]) -> None:
        """Make each (file, sha) of the shadow the live file, in two system calls a file.

        The first rebuild after a clean build has no shadow: it links every
        file of the site (43,500 at 10,000 articles, each in a folder of its
        own). The record says which files the shadow holds, so a file it does
        not name is not there and its folders are made once each; one that is
        there with other bytes is unlinked first (a new inode, as ``put``). A
        reused shadow nobody recorded may have anything in the way (``_make_way``).
        """
        self.pristine = False
        shadow, live = f"{self.shadow}/", f"{self.output}/"
        untrusted = self.untrusted_folders is not None
        made: set[str] = set()
        for file, sha in stale:
            folder = file.rpartition("/")[0]
            if untrusted:
                self._make_way(file)
            try:
                if folder and folder not in made:
                    _make_folder(shadow + folder)
                    made.add(folder)
                if self.current.pop(file, None) is not None:
                    os.unlink(shadow + file)
                try:
                    os.link(live + file, shadow + file)
                except FileExistsError:  # in no record (put there by hand): replaced all the same
                    os.unlink(shadow + file)
                    os.link(live + file, shadow + file)
            except OSError as exc:
                raise BroadsheetError(f"cannot write {file}: {exc.strerror or exc}", self.output) from None
            self.current[file] = sha

    def record_set(self, name: str, record: SetRecord) -> None:
        """Remember what page set ``name`` produced in this build (its pages are written or kept)."""
        self.pristine = False
        self.sets[name] = record
        self.recorded.append((name, record))

    def write(self, path: str, data: bytes, fingerprint: str = "") -> None:
        """Make the site file for ``path`` hold ``data`` (written only if the shadow's copy differs)."""
        self._write(path, data, content_hash(data), fingerprint)

    def write_from(self, path: str, source: BinaryIO, fingerprint: str = "") -> None:
        """``write`` of what ``source`` holds, never all of it in memory (a video): hashed, then copied if new."""
        self._write(path, source, _hash_of(source), fingerprint)

    def _write(self, path: str, data: bytes | BinaryIO, sha: str, fingerprint: str) -> None:
        file = urls.output_file(path)
        self._want(path, file, sha, fingerprint)
        self._make_way(file)
        written = self.put(file, data, sha, self.current.pop(file, None))  # unknown until every new byte is there
        self.current[file] = sha
        self.written += written

    def forget(self, files: Sequence[str]) -> list[str | None]:
        """What the shadow holds at ``files`` (sha256 or None), no longer trusted: they are about to be rewritten.

        A build that fails from here on leaves these files unknown, so the next
        build rewrites them, whichever process had or had not written them.
        """
        self.pristine = False
        if self.untrusted_folders is not None:  # (a call per file only when there can be anything in the way)
            for file in files:
                self._make_way(file)
        return [self.current.pop(file, None) for file in files]

    def put(self, file: str, data: bytes | BinaryIO, sha: str, before: str | None) -> bool:
        """Write ``data`` to the shadow's ``file`` unless it holds these bytes (``before``); True if written.

        Touches only that file, so forked render helpers call it too; the
        bookkeeping is ``record``, in the building process.
        """
        if before == sha:
            return False
        try:
            _write_new(os.path.join(self.shadow, file), data)
        except OSError as exc:
            raise BroadsheetError(f"cannot write {file}: {exc.strerror or exc}", self.output) from None
        return True

    def record(self, path: str, file: str, sha: str, fingerprint: str, written: bool) -> None:
        """The shadow's ``file`` holds the page at ``path`` (sha256 ``sha``); ``written``: ``put`` wrote it."""
        self._want(path, file, sha, fingerprint)
        self.current[file] = sha
        self.written += written

    def keep(self, path: str, sha: str, fingerprint: str) -> None:
        """``path`` is unchanged since the live build: bring its live bytes into the shadow."""
        self._keep(path, urls.output_file(path), sha, fingerprint)

    def _keep(self, path: str, file: str, sha: str, fingerprint: str) -> None:
        self._want(path, file, sha, fingerprint)
        if self.current.get(file) != sha:
            self._link(file, sha)

    def _link(self, file: str, sha: str) -> None:
        """Make the shadow's ``file`` the live one (a hard link: no bytes copied)."""
        self._link_all([(file, sha)])

    def _make_way(self, file: str) -> None:
        """Clear what a reused, unrecorded shadow (``_reusable``) has in the way of ``file``.

        That is a folder of that name, or a file where one of its folders must
        be: the shadow may be another version's or another configuration's site.
        A recorded shadow has neither: nothing to do.
        """
        if self.untrusted_folders is None:
            return
        try:
            if file in self.untrusted_folders:
                shutil.rmtree(self.shadow / file)
                inside = file + "/"
                for stale in [f for f in self.current if f.startswith(inside)]:
                    del self.current[stale]
                self.untrusted_folders = {f for f in self.untrusted_folders if f != file and not f.startswith(inside)}
            for folder in _parents(file):
                if self.current.pop(folder, None) is not None:
                    (self.shadow / folder).unlink()
        except OSError as exc:
            raise BroadsheetError(f"cannot make way for {file}: {exc.strerror or exc}", self.shadow) from None

    def adopt(self, folder: str) -> None:
        """Record files an external tool wrote under ``folder`` of the shadow (e.g. the search index)."""
        self.pristine = False
        root = self.shadow / folder
        for stale in [f for f in self.current if f.startswith(folder + "/")]:
            del self.current[stale]
        for path in sorted(root.rglob("*")) if root.is_dir() else []:
            if path.is_file():
                file = path.relative_to(self.shadow).as_posix()
                sha = content_hash(path.read_bytes())
                self.current[file] = self.desired[file] = sha
                self.one_by_one.append((file, None))

    def clear(self, folder: str) -> None:
        """Empty ``folder`` of the shadow before an external tool writes it afresh."""
        self.pristine = False
        shutil.rmtree(self.shadow / folder, ignore_errors=True)
        for stale in [f for f in self.current if f.startswith(folder + "/")]:
            del self.current[stale]

    def _want(self, path: str, file: str, sha: str, fingerprint: str) -> None:
        self.pristine = False
        if file in self.desired:
            raise BroadsheetError(f"two outputs for the same file: {file}")
        self.desired[file] = sha
        if fingerprint:
            self.fingerprints[path] = fingerprint
        self.one_by_one.append((file, path if fingerprint else None))

    def prune(self) -> None:
        """Delete what the shadow holds but the new site does not, and folders left empty.

        Done when the build closes, and before a tool that reads the whole
        shadow (Pagefind would index a page the site no longer has).
        """
        self.pristine = False
        folders: set[Path] = set()
        for file in list(filterfalse(self.desired.__contains__, self.current)):
            (self.shadow / file).unlink(missing_ok=True)
            del self.current[file]
            folders.update((self.shadow / file).parents)
        if self.untrusted_folders:  # a reused shadow's folders that held only what was deleted, or nothing
            used = {parent for file in self.desired for parent in _parents(file)}
            folders.update(self.shadow / folder for folder in self.untrusted_folders - used)
        for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
            if folder.is_relative_to(self.shadow) and folder != self.shadow:
                with contextlib.suppress(OSError):  # not empty
                    folder.rmdir()

    def _close(self, kind: type[BaseException] | None) -> None:
        if kind is not None:  # the live folder is untouched; remember what the shadow holds now
            self.state.shadow = TreeState(_generation(self.current), dict(self.current))
            _write_marker(self.shadow, self.state.shadow.generation)
            self.state_file.save(self.state)
            return
        self.prune()
        touched = self._touched()
        if touched is None:
            generation = _generation(self.desired)
        else:
            generation = _generation_after(self.state.live, self.desired, touched.files)
        _write_marker(self.shadow, generation)
        if self.output.exists():
            exchange(self.shadow, self.output)
            previous = self.state.live
        else:
            os.replace(self.shadow, self.output)
            previous, touched = TreeState(), None  # the shadow is not the live site as loaded
        self.state = OutputState(
            str(self.output), TreeState(generation, self.desired), previous, self.fingerprints, self.sets, self._loose()
        )
        self.state_file.save(self.state, touched)

    def _touched(self) -> Touched | None:
        """Every key this build may have changed, if its sets were kept by copy (``_keep_by_copy``)."""
        if self.touched is None:
            return None
        self.touched.files.update(file for file, _ in self.one_by_one)
        self.touched.paths.update(path for _, path in self.one_by_one if path is not None)
        for name, record in self.recorded:
            self.touched.add_set(name, record)
        return self.touched

    def _loose(self) -> Loose:
        """What this build wanted file by file outside the sets it recorded (``OutputState.loose``)."""
        in_sets = {file for _, record in self.recorded for file in record.files}
        paths_in_sets = {path for _, record in self.recorded for path in record.paths}
        files = tuple(sorted({file for file, _ in self.one_by_one if file not in in_sets}))
        paths = {path for _, path in self.one_by_one if path is not None and path not in paths_in_sets}
        return Loose(files, tuple(sorted(paths)))
