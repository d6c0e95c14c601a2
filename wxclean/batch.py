"""Clean many inputs in order, in this process or in a pool of worker processes.

    >>> from wxclean.batch import clean_many
    >>> for art in clean_many(pages, jobs=4):      # any iterable of str/bytes, even endless
    ...     print(art.status, art.title)

``clean_many`` is the one batch primitive: the command line (:mod:`wxclean.cli`) and the
examples for Dask, Spark and ``datasets`` all clean with the same :func:`wxclean.clean`, so
one page at a prompt and a hundred million on a cluster get the same result.

It streams: inputs are pulled lazily and at most ``4 * jobs`` chunks are in flight, so memory
does not grow with the number of inputs. Results come back in input order, whatever the
number of processes, so ``jobs=2`` gives exactly what ``jobs=1`` gives.

With ``jobs=N > 1``, N processes clean: N - 1 worker processes and this one, which cleans
inputs itself whenever each worker already has three chunks queued (its share is never
pickled). The inputs travel in chunks (at most 8 inputs or 1 MiB each); a chunk holding more
than 16 KiB of ``bytes`` inputs, and a chunk's results when they pickle to more than that, go
through a file in ``/dev/shm`` (read in one call, then deleted) rather than through the pool's
pipe, and the Articles travel as plain tuples, rebuilt here. Worker processes are forked on
Linux.

:func:`map_ordered` is the same machinery for any function: a program that only writes a
rendering of each Article (as the command line does) reads, cleans, renders and writes in
the workers, and little or nothing comes back.

What it leaves alone: reading files, decoding (:func:`wxclean.clean` decodes bytes) and
anything about output; retries and timeouts of a stuck input (a worker that dies breaks the
pool and raises ``BrokenProcessPool``).
"""

from __future__ import annotations

import gc
import os
import pickle
import tempfile
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import closing, suppress
from dataclasses import dataclass, fields, is_dataclass
from functools import partial
from operator import attrgetter
from typing import Any, Literal, overload

from wxclean.api import clean
from wxclean.model import Article, Image, Link, Removal
from wxclean.pipeline import Pipeline, resolve_pipeline

Source = str | bytes

#: a chunk is closed at this many inputs ...
DEFAULT_CHUNK_ITEMS = 8
#: ... or when its inputs add up to this many bytes/characters, whichever comes first
DEFAULT_CHUNK_BYTES = 1 << 20
#: a chunk whose bytes inputs add up to this much goes through a file in /dev/shm, not the pipe
SPILL_BYTES = 16 << 10
#: chunks waiting for or in a worker process, per worker; beyond that this process cleans
QUEUED_PER_WORKER = 3
#: chunks cleaned and not yet yielded, or in flight, per process
WINDOW_PER_JOB = 4


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not be cleaned: its 0-based position and ``"ExcType: message"``."""

    index: int
    error: str

    def __str__(self) -> str:
        return f"input {self.index}: {self.error}"


class CleanError(Exception):
    """Raised by ``clean_many(..., errors="raise")`` at the first input that failed.

    ``index`` is the input's 0-based position, ``error`` is ``"ExcType: message"``.
    """

    def __init__(self, index: int, error: str) -> None:
        super().__init__(f"input {index}: {error}")
        self.index = index
        self.error = error

    def __reduce__(self) -> tuple[type[CleanError], tuple[int, str]]:
        return (CleanError, (self.index, self.error))


Outcome = Article | Failure


def _identity(value: Any) -> Any:
    return value


@dataclass(frozen=True, slots=True)
class _Task:
    """What every process does with one input (``run``) and how a worker's result travels
    back (``pack`` there, ``unpack`` here). All three must pickle where workers are spawned."""

    run: Callable[[Any], Any]
    pack: Callable[[Any], Any] = _identity
    unpack: Callable[[Any], Any] = _identity


# The task of a worker process, set once by the pool initializer so that chunks carry only
# their inputs.
_worker_task: _Task | None = None


def _init_worker(task: _Task) -> None:
    global _worker_task
    _worker_task = task
    # A forked worker inherits the parent's heap: keep its garbage collector from walking
    # (and so copying, page by page) every inherited object on each collection.
    gc.freeze()


def _attempt(index: int, item: object, run: Callable[[Any], Any]) -> Any:
    """``run(item)``, or a :class:`Failure` saying what it raised."""
    try:
        return run(item)
    except Exception as exc:  # one bad input must not stop the batch
        return Failure(index, f"{type(exc).__name__}: {exc}")


def _clean_with(pipeline: Pipeline, source: object) -> Article:
    return clean(source, pipeline=pipeline)  # type: ignore[arg-type]  # a bad type becomes a Failure


@dataclass(frozen=True, slots=True)
class _Parked:
    """A bytes input written to its chunk's spill file, ``length`` bytes at ``offset``."""

    offset: int
    length: int


def _spill_dir() -> str | None:
    """A memory-backed folder for spill files (Linux's /dev/shm), or None: use the pipe."""
    return "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


_SPILL_DIR = _spill_dir()


def _park(chunk: list[object]) -> tuple[str | None, list[object]]:
    """Write a chunk's large bytes inputs to one file in ``/dev/shm``; the worker reads it at once.

    The pool's pipe is fed by a thread of this process, which must wait for the interpreter
    lock while this process cleans, and moves a big input 64 KiB at a time; a file in memory
    is read in one call. Small chunks, str inputs and machines without /dev/shm (or with it
    full) use the pipe. Measured (bench/jobs_speed.py, 2 cores): ``clean_many`` jobs=2 ran
    1.29x as fast as jobs=1 with the threshold at 256 KiB, 1.47x at 16 KiB.
    """
    if _SPILL_DIR is None or sum(len(s) for s in chunk if isinstance(s, bytes)) < SPILL_BYTES:
        return None, chunk
    parts: list[bytes] = []
    parked: list[object] = []
    offset = 0
    for src in chunk:
        if isinstance(src, bytes):
            parts.append(src)
            parked.append(_Parked(offset, len(src)))
            offset += len(src)
        else:
            parked.append(src)
    path = _spill(parts, ".chunk")
    return (None, chunk) if path is None else (path, parked)


def _spill(parts: list[bytes], suffix: str) -> str | None:
    """Write ``parts`` one after another to a new file in ``/dev/shm``: its path, or None
    when it cannot be written (/dev/shm full: the caller uses the pipe)."""
    fd, path = tempfile.mkstemp(prefix="wxclean-", suffix=suffix, dir=_SPILL_DIR)
    try:
        with os.fdopen(fd, "wb") as fh:
            for part in parts:
                fh.write(part)
    except OSError:
        _unlink(path)
        return None
    return path


def _unspill(path: str) -> bytes:
    """A spill file's bytes, read in one call; the file is deleted."""
    with open(path, "rb") as fh:
        data = fh.read()
    _unlink(path)
    return data


def _unlink(path: str | None) -> None:
    if path is not None:
        with suppress(FileNotFoundError):
            os.unlink(path)


def _run_chunk(start: int, items: list[object], spill: str | None) -> bytes | _Spilled:
    """Worker side: run the task the initializer installed over one chunk, results packed."""
    task = _worker_task
    if task is None:  # pragma: no cover - only when the initializer did not run
        raise RuntimeError("wxclean worker started without a task")
    if spill is not None:
        data = memoryview(_unspill(spill))
        items = [bytes(data[s.offset : s.offset + s.length]) if isinstance(s, _Parked) else s for s in items]
    out: list[Any] = []
    for i, item in enumerate(items):
        res = _attempt(start + i, item, task.run)
        out.append(res if isinstance(res, Failure) else task.pack(res))
    return _send_back(out)


@dataclass(frozen=True, slots=True)
class _Spilled:
    """A chunk's results, pickled into this file in ``/dev/shm``."""

    path: str


def _send_back(results: list[Any]) -> bytes | _Spilled:
    """Worker side: a chunk's results pickled, in a file in ``/dev/shm`` when they are large.

    The pool's pipe carries a result 64 KiB at a time, each step taken by a thread of the main
    process that must wait for the interpreter lock while that process cleans; the worker
    stalls meanwhile. Measured on the corpus, ``wxclean -j 2`` writing JSONL to stdout: 1.56x
    as fast as ``-j 1`` through the pipe, 1.74x this way.
    """
    data = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
    if _SPILL_DIR is None or len(data) < SPILL_BYTES:
        return data
    path = _spill([data], ".out")
    return data if path is None else _Spilled(path)


def _received(back: bytes | _Spilled) -> list[Any]:
    """Main process side: the results :func:`_send_back` sent (its file read once, then deleted)."""
    data = _unspill(back.path) if isinstance(back, _Spilled) else back
    return pickle.loads(data)  # type: ignore[no-any-return]


# Results travel back as plain tuples: an Article and its Images, Links and Removals pickle
# and unpickle several times faster that way than as objects, and on a cheap corpus the
# transfer is a good share of a worker's time. The round trip is exact (tests compare).
_FIELDS = tuple(f.name for f in fields(Article))
_ARTICLE = attrgetter(*_FIELDS)
_NESTED: dict[int, type] = {
    _FIELDS.index(name): cls
    for name, cls in (("images", Image), ("links", Link), ("removed", Removal))
    if name in _FIELDS
}


def _as_tuple(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    if is_dataclass(cls):
        names = [f.name for f in fields(cls)]
        return (lambda obj: (getattr(obj, names[0]),)) if len(names) == 1 else attrgetter(*names)
    return tuple  # a NamedTuple


def _from_tuple(cls: type) -> Callable[[tuple[Any, ...]], Any]:
    if is_dataclass(cls):
        return lambda values: cls(*values)
    return lambda values: tuple.__new__(cls, values)  # a NamedTuple, as its _make does


_TO_TUPLE = {i: _as_tuple(cls) for i, cls in _NESTED.items()}
_FROM_TUPLE = {i: _from_tuple(cls) for i, cls in _NESTED.items()}


def _pack(art: Article) -> tuple[Any, ...]:
    values = list(_ARTICLE(art))
    for i, conv in _TO_TUPLE.items():
        values[i] = tuple(map(conv, values[i]))
    return tuple(values)


def _unpack(values: tuple[Any, ...]) -> Article:
    items = list(values)
    for i, conv in _FROM_TUPLE.items():
        items[i] = tuple(map(conv, items[i]))
    return Article(*items)


# a chunk in flight: a worker's future (and its spill file), or the results made here
_Pending = tuple[Future[bytes | _Spilled] | list[Any], str | None]


def _unpack_chunk(results: list[Any], unpack: Callable[[Any], Any]) -> Iterator[Any]:
    for res in results:
        yield res if isinstance(res, Failure) else unpack(res)


def _size(source: object) -> int:
    return len(source) if isinstance(source, (str, bytes, bytearray)) else 1


def _chunks(
    sources: Iterable[object], items: int, max_bytes: int, weigh: Callable[[Any], int]
) -> Iterator[tuple[int, list[object]]]:
    """Group ``sources`` lazily into ``(index of first, inputs)`` chunks."""
    chunk: list[object] = []
    start = size = 0
    for index, src in enumerate(sources, 1):
        chunk.append(src)
        size += weigh(src)
        if len(chunk) >= items or size >= max_bytes:
            yield start, chunk
            chunk, start, size = [], index, 0
    if chunk:
        yield start, chunk


def _ready(entry: _Pending) -> bool:
    return not isinstance(entry[0], Future) or entry[0].done()


def _take(pending: deque[_Pending], unpack: Callable[[Any], Any]) -> Iterator[Any]:
    """The oldest chunk's results; it leaves ``pending`` only once they are in (or its file stays tracked)."""
    work = pending[0][0]
    if isinstance(work, Future):
        results = _received(work.result())
        pending.popleft()
        return _unpack_chunk(results, unpack)
    pending.popleft()
    return iter(work)


def _results(
    items: Iterable[object],
    jobs: int,
    task: _Task,
    chunk_items: int,
    chunk_bytes: int,
    weigh: Callable[[Any], int] = _size,
) -> Generator[Any, None, None]:
    if jobs == 1:
        for i, item in enumerate(items):
            yield _attempt(i, item, task.run)
        return
    # N processes in all: N - 1 workers, and this process, which runs the task itself while
    # the workers have enough queued (its share needs no pickling at all). It looks at the
    # workers' queue after each input, not each chunk, and hands them the rest of a chunk as
    # soon as they run short, so a worker never waits long for this process.
    workers = jobs - 1
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(task,))
    pending: deque[_Pending] = deque()

    def short() -> bool:
        queued = sum(1 for work, _ in pending if isinstance(work, Future) and not work.done())
        return queued < QUEUED_PER_WORKER * workers

    try:
        for start, chunk in _chunks(items, chunk_items, chunk_bytes, weigh):
            done: list[Any] = []
            k = 0
            while k < len(chunk):
                if short():
                    if done:
                        pending.append((done, None))
                        done = []
                    spill, parked = _park(chunk[k:])
                    pending.append((pool.submit(_run_chunk, start + k, parked, spill), spill))
                    del parked  # the future holds it; do not keep a second reference here
                    break
                done.append(_attempt(start + k, chunk[k], task.run))
                k += 1
            if done:
                pending.append((done, None))
            del chunk, done
            while pending and _ready(pending[0]):
                yield from _take(pending, task.unpack)
            while len(pending) >= WINDOW_PER_JOB * jobs:
                yield from _take(pending, task.unpack)
        while pending:
            yield from _take(pending, task.unpack)
    finally:
        # also runs when the consumer stops early (generator closed): drop queued work
        pool.shutdown(wait=True, cancel_futures=True)
        for work, spill in pending:  # chunks that never ran leave their file behind
            _unlink(spill)
            if isinstance(work, Future) and not work.cancelled() and work.exception() is None:
                back = work.result()  # results not taken: their file too
                _unlink(back.path if isinstance(back, _Spilled) else None)


@overload
def clean_many(
    sources: Iterable[Source],
    *,
    jobs: int = ...,
    level: str = ...,
    pipeline: Pipeline | None = ...,
    errors: Literal["raise"] = ...,
    chunk_items: int = ...,
    chunk_bytes: int = ...,
) -> Iterator[Article]: ...


@overload
def clean_many(
    sources: Iterable[Source | None],
    *,
    jobs: int = ...,
    level: str = ...,
    pipeline: Pipeline | None = ...,
    errors: Literal["return"],
    chunk_items: int = ...,
    chunk_bytes: int = ...,
) -> Iterator[Article | Failure]: ...


def clean_many(
    sources: Iterable[Source] | Iterable[Source | None],
    *,
    jobs: int = 1,
    level: str = "standard",
    pipeline: Pipeline | None = None,
    errors: Literal["raise", "return"] = "raise",
    chunk_items: int = DEFAULT_CHUNK_ITEMS,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
) -> Iterator[Article] | Iterator[Article | Failure]:
    """Clean every input of ``sources`` (``str`` or ``bytes`` each) and yield the Articles in input order.

    ``jobs`` is the number of processes: ``1`` cleans here, in this process, with no pool;
    ``N > 1`` starts a :class:`~concurrent.futures.ProcessPoolExecutor` of N - 1 workers and
    cleans in this process too: the inputs go in chunks (closed at ``chunk_items`` inputs or
    ``chunk_bytes`` bytes) to the workers while each has fewer than two queued, and are
    cleaned here otherwise; at most ``4 * jobs`` chunks are in flight, and more inputs are
    pulled only as results are taken.
    ``level`` and ``pipeline`` mean what they mean for :func:`wxclean.clean`; a pipeline sent
    to worker processes must pickle when the platform spawns them (Linux forks by default).

    ``errors="raise"`` (default) raises :class:`CleanError` at the first input that fails,
    after yielding those before it; ``errors="return"`` yields a :class:`Failure` in its place
    and goes on (an input that is not ``str``/``bytes``, e.g. ``None``, also gives a Failure).

    Arguments are checked at once; the work starts at the first ``next()``. Closing the
    generator early cancels the queued chunks and stops the pool.
    """
    _check(jobs, chunk_items, chunk_bytes)
    if errors not in ("raise", "return"):
        raise ValueError(f"errors must be 'raise' or 'return', got {errors!r}")
    task = _Task(partial(_clean_with, resolve_pipeline(level, pipeline)), _pack, _unpack)
    outcomes = _results(sources, jobs, task, chunk_items, chunk_bytes)
    if errors == "return":
        return outcomes
    return _raise_failures(outcomes)


def map_ordered(
    func: Callable[[Any], Any],
    items: Iterable[Any],
    *,
    jobs: int = 1,
    chunk_items: int = DEFAULT_CHUNK_ITEMS,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    weigh: Callable[[Any], int] = _size,
) -> Iterator[Any]:
    """Yield ``func(item)`` for every item, in input order, in ``jobs`` processes, as
    :func:`clean_many` cleans (which is this with :func:`wxclean.clean` as ``func``).

    An item whose call raises gives a :class:`Failure` in its place. ``func`` and the items
    travel to worker processes, so they must pickle (a module-level function or a
    ``functools.partial`` of one); so must what ``func`` returns, which should be small: a
    program that only writes a rendering of each Article does that inside ``func``, in the
    workers (the command line does), instead of sending every Article back.
    ``weigh(item)`` is what an item counts towards ``chunk_bytes`` (default: the length of
    a str or bytes item, 1 for anything else).
    """
    _check(jobs, chunk_items, chunk_bytes)
    return _results(items, jobs, _Task(func), chunk_items, chunk_bytes, weigh)


def _check(jobs: int, chunk_items: int, chunk_bytes: int) -> None:
    if jobs < 1:
        raise ValueError(f"jobs must be >= 1, got {jobs}")
    if chunk_items < 1 or chunk_bytes < 1:
        raise ValueError("chunk_items and chunk_bytes must be >= 1")


def _raise_failures(outcomes: Generator[Outcome, None, None]) -> Iterator[Article]:
    with closing(outcomes):  # closing this generator early also stops the pool
        for out in outcomes:
            if isinstance(out, Failure):
                raise CleanError(out.index, out.error)
            yield out
