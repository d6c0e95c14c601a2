"""The ``wxclean`` command: clean pages, dumps, folders and JSONL files from the shell.

Every input goes through the very :func:`wxclean.clean` a program calls, so the command line
adds reading, writing, progress and error reporting and nothing else. With ``-j N`` each
input is read, cleaned, rendered and (under ``-o``) written by one of N processes
(:func:`wxclean.batch.map_ordered`); only what goes to stdout or to a JSONL input's output file
comes back to this process, which writes it in input order. Inputs are read as bytes and
decoded by ``clean``.

What it leaves alone: the cleaning itself (filters, adapters), fetching URLs (no network),
and output formats beyond text, markdown, JSON, JSONL and the HTML audit report.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any, Protocol

from tqdm import tqdm  # type: ignore[import-untyped,unused-ignore]  # typed when types-tqdm is installed

from wxclean import __version__
from wxclean.api import MAX_BYTES, clean
from wxclean.batch import Failure, map_ordered
from wxclean.model import Article
from wxclean.pipeline import LEVELS

#: file name suffixes picked up when walking a folder
SUFFIXES = (".html", ".htm", ".md", ".markdown", ".txt", ".jsonl")
#: output file suffix per format
EXTENSIONS = {"text": ".txt", "markdown": ".md", "json": ".json", "jsonl": ".jsonl"}
#: record fields tried, in order, when ``--field`` is not given
FIELD_GUESSES = ("html", "content", "markdown", "md", "text", "body", "source")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

_EPILOG = """\
inputs:
  PATH is a file, a folder (walked recursively for *.html *.htm *.md *.markdown *.txt *.jsonl,
  skipping hidden entries, in sorted order) or '-' for stdin; no PATH reads stdin.
  A *.jsonl file (and stdin with --field) holds one JSON record per line: --field names the
  field with the page or dump (default: the first of html, content, markdown, md, text, body,
  source present). The output record keeps every other field of the input record next to the
  cleaned fields; an input field whose name a cleaned field takes is kept as input_<name>.

output:
  Without -o: one input (a file or stdin) prints its text; several inputs (several paths, a
  folder, any JSONL) print JSONL, one object per input with its "path". -f overrides:
  text/markdown print a '==> PATH <==' header before each of several inputs, json prints one
  object (several: a JSON array). JSONL inputs always give JSONL records (with -o, one
  .jsonl file per JSONL input).
  With -o DIR: one file per input under DIR, mirroring the paths below each folder given
  (a file given by name lands at DIR/NAME), extension from the format (default text);
  stdin becomes DIR/stdin.EXT. With --report FILE and no -f, nothing goes to stdout.

  --explain appends what each filter removed and why: a section after the text/markdown,
  an "explain" object (removals per filter) in JSON; every JSON record has "removed" anyway.
  A progress bar shows on stderr when it is a terminal and there are several inputs; a
  summary line (inputs, count per status, failures, time) ends the run (-q hides both).

exit status: 0 all inputs cleaned, 1 some input could not be read or cleaned (each is
reported on stderr with its path; the others are still written), 2 usage error.

examples:
  wxclean page.html                      # text of one page
  curl -s URL | wxclean -f markdown      # stdin
  wxclean dumps/ -o clean/ -j 4          # a folder, one .txt per input
  wxclean crawl.jsonl --field html > out.jsonl
  wxclean dumps/ --report audit.html     # what was removed, per filter
"""


class UsageError(Exception):
    """A bad combination of arguments (exit status 2)."""


@dataclass(slots=True)
class _Item:
    """One unit of work, as the main process knows it."""

    label: str  # what messages and records call it: a path, "path:LINE" or "-"
    source: bytes | str | None  # None: read from ``path`` where it is cleaned, or unreadable (see error)
    error: str | None = None
    path: Path | None = None  # the file to read, when ``source`` is None
    size: int = 0  # the file's size in bytes, when it is read where it is cleaned
    record: dict[str, Any] | None = None  # a JSONL record without its source field
    dest: Path | None = None  # output file under -o
    group: str | None = None  # the JSONL file (or stdin) a record comes from


@dataclass
class _Stats:
    statuses: Counter[str] = field(default_factory=Counter)
    failed: int = 0
    inputs: int = 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``wxclean`` command (exposed for docs and tests)."""
    p = argparse.ArgumentParser(
        prog="wxclean",
        description="Clean WeChat Official Account articles (HTML pages, markdown/text dumps, JSONL records) "
        "into text, markdown or JSON.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="file, folder or '-' for stdin (default: stdin)")
    p.add_argument("-o", "--output", metavar="OUT", help="write one file per input under this folder")
    p.add_argument(
        "-f", "--format", choices=tuple(EXTENSIONS), help="output format (default: text for one input, else jsonl)"
    )
    p.add_argument("--level", choices=LEVELS, default="standard", help="cleaning level (default: standard)")
    p.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="clean in N processes (same output as -j 1); 0 = one per CPU (default: 1)",
    )
    p.add_argument("--explain", action="store_true", help="show what each filter removed and why")
    p.add_argument("--field", metavar="NAME", help="JSONL field holding the page or dump")
    p.add_argument("--report", metavar="FILE", help="write a self-contained HTML audit page")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary line")
    p.add_argument("--version", action="version", version=f"wxclean {__version__}")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with ``argv`` (default ``sys.argv[1:]``) and return the exit status.

    Usage errors return 2 (argparse's message on stderr) instead of raising ``SystemExit``,
    so the command can be run in-process.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, bad arguments
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return _run(args)
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"wxclean: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("wxclean: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `wxclean dir | head`: the reader left, stop quietly
        with suppress(OSError, ValueError):  # keep Python from failing again on flushing stdout at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


# -- inputs ----------------------------------------------------------------------------------------


def _is_jsonl(path: Path) -> bool:
    return path.suffix.lower() == ".jsonl"


def _walk(folder: Path) -> Iterator[Path]:
    """Files under ``folder`` with a known suffix, recursively, in sorted order, hidden entries
    skipped; regular files only (or links to them): a named pipe, a socket or a device (a
    link to ``/dev/zero``) found in a folder is never read, so a walk cannot block or read
    forever. Links to folders are not followed (no loops). A path given by name is read
    whatever it is (``wxclean <(curl …)`` reads the pipe)."""
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith(".") and name.lower().endswith(SUFFIXES):
                path = Path(dirpath) / name
                if path.is_file():
                    yield path


def _targets(paths: Sequence[str]) -> Iterator[tuple[str, Path | None, Path]]:
    """``(label, path or None for stdin, path relative to the output folder)`` per input file."""
    for arg in paths or ["-"]:
        if arg == "-":
            yield "-", None, Path("stdin")
            continue
        path = Path(arg)
        if path.is_dir():
            for f in _walk(path):
                yield str(f), f, f.relative_to(path)
        else:  # a missing file is reported when it is read
            yield arg, path, Path(path.name)


def _field_of(record: dict[str, Any], name: str | None) -> str:
    if name is not None:
        if name not in record:
            raise ValueError(f"no field {name!r} in the record")
        return name
    for guess in FIELD_GUESSES:
        if guess in record:
            return guess
    raise ValueError(f"no field {', '.join(FIELD_GUESSES)} in the record; name one with --field")


def _records(label: str, lines: IO[bytes], field_name: str | None, dest: Path | None) -> Iterator[_Item]:
    """One item per non-blank line of a JSONL stream; a line over :func:`_line_limit` bytes
    is reported as a failed record and passed over, never held whole."""
    limit = _line_limit()
    for n, line in enumerate(iter(partial(lines.readline, limit + 1), b""), 1):
        if len(line) > limit:
            while line and not line.endswith(b"\n"):  # (the rest of it, a piece at a time)
                line = lines.readline(limit)
            yield _Item(f"{label}:{n}", None, f"record over {limit} bytes", dest=dest, group=label)
            continue
        if not line.strip():
            continue
        where = f"{label}:{n}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError(f"a record must be a JSON object, not {type(record).__name__}")
            name = _field_of(record, field_name)
            source = record.pop(name)
            if not isinstance(source, str):
                raise ValueError(f"field {name!r} holds {type(source).__name__}, not a string")
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            yield _Item(where, None, f"{type(exc).__name__}: {exc}", dest=dest, group=label)
            continue
        yield _Item(where, source, record=record, dest=dest, group=label)


def _items(args: argparse.Namespace, fmt_ext: str) -> Iterator[_Item]:
    """Every input in order, read lazily (a folder is walked as the cleaning goes)."""
    out = Path(args.output) if args.output else None
    seen: set[Path] = set()
    for label, path, rel in _targets(args.paths):
        jsonl = (path is None and args.field is not None) or (path is not None and _is_jsonl(path))
        dest = None
        if out is not None:
            dest = out / rel.with_suffix(".jsonl" if jsonl else fmt_ext)
            if dest in seen:
                yield _Item(label, None, f"output {dest} is already written for another input")
                continue
            seen.add(dest)
        if path is None:
            if jsonl:
                yield from _records(label, sys.stdin.buffer, args.field, dest)
            else:
                yield _Item(label, sys.stdin.buffer.read(_MAX_BYTES + 1), dest=dest)
            continue
        try:
            if jsonl:
                with path.open("rb") as fh:
                    yield from _records(label, fh, args.field, dest)
            else:  # read by the process that cleans it
                yield _Item(label, None, dest=dest, path=path, size=path.stat().st_size)
        except OSError as exc:
            yield _Item(label, None, exc.strerror or str(exc))  # no output file for it


def _several(args: argparse.Namespace) -> bool:
    """True unless the input is one plain file or stdin as a single document."""
    paths = args.paths or ["-"]
    if len(paths) > 1:
        return True
    arg = paths[0]
    if arg == "-":
        return args.field is not None
    return Path(arg).is_dir() or _is_jsonl(Path(arg))


# -- outputs ---------------------------------------------------------------------------------------


def _explain_text(art: Article) -> str:
    """The removals grouped by filter, one line each: ``[zone] text — reason``."""
    if not art.removed:
        return "--- removed: nothing ---\n"
    lines = [f"--- removed: {len(art.removed)} block(s) ---"]
    for name, count in art.explain().items():
        lines.append(f"{name} ({count}):")
        for r in art.removed:
            if r.filter == name:
                text = " ".join(r.text.split())
                if len(text) > 200:
                    text = text[:199] + "…"
                lines.append(f"  [{r.where}] {text} — {r.reason}")
    return "\n".join(lines) + "\n"


def _record(item: _Item, art: Article, explain: bool) -> dict[str, Any]:
    """The JSON record of one input: its path (or its JSONL fields) and the cleaned fields."""
    cleaned = art.to_dict()
    if explain:
        cleaned["explain"] = art.explain()
    if item.record is None:
        return {"path": item.label, **cleaned}
    out: dict[str, Any] = {}
    for key, value in item.record.items():
        out[f"input_{key}" if key in cleaned else key] = value
    out.update(cleaned)
    return out


def _render(item: _Item, art: Article, fmt: str, explain: bool) -> str:
    """The output of one input in ``fmt``, ending with a newline."""
    if fmt in ("json", "jsonl") or item.record is not None:
        rec = _record(item, art, explain)
        if fmt == "json" and item.record is None:
            return json.dumps(rec, ensure_ascii=False, indent=2) + "\n"
        return json.dumps(rec, ensure_ascii=False) + "\n"
    body = art.markdown if fmt == "markdown" else art.text
    out = body + "\n" if body else ""
    if explain:
        out += ("\n" if out else "") + _explain_text(art)
    return out


@dataclass(frozen=True, slots=True)
class _Settings:
    """What every process needs to know to clean and render an input."""

    fmt: str
    explain: bool
    level: str
    report: bool  # send the Article back for the audit report


@dataclass(frozen=True, slots=True)
class _Done:
    """An input cleaned: its status, and what this process still has to write (None: nothing)."""

    status: str | None = None
    data: bytes | None = None  # the rendering, unless the cleaning process wrote it to its own file
    article: Article | None = None  # for the report
    error: str | None = None  # why it could not be read


#: the most of an input file read and cleaned (:data:`wxclean.api.MAX_BYTES`): a larger file
#: is read up to there, cleaned as far as that, and says ``truncated``, without being held whole
_MAX_BYTES = MAX_BYTES


def _line_limit() -> int:
    """The longest JSONL line read: a record whose field holds a page of ``_MAX_BYTES``,
    written with JSON's escapes (``\\uXXXX``: six bytes for a character UTF-8 writes in three)."""
    return 4 * _MAX_BYTES


def _process(settings: _Settings, item: _Item) -> _Done:
    """Read, clean and render one input; write it when it has an output file of its own.

    Runs in whichever process cleans the item. A JSONL record's output and stdout are left to
    the main process, which writes them in input order.
    """
    if item.error is not None:
        return _Done(error=item.error)
    source = item.source
    if source is None and item.path is not None:
        try:
            with item.path.open("rb") as fh:
                source = fh.read(_MAX_BYTES + 1)  # (clean() cuts a longer input before that: no need to hold it)
        except OSError as exc:
            return _Done(error=exc.strerror or str(exc))  # no output file for it
    art = clean(source, level=settings.level, max_bytes=_MAX_BYTES)  # type: ignore[arg-type]  # None: a Failure
    # encoded here: bytes travel between processes several times faster than Chinese str; a
    # lone surrogate (a file name's undecodable byte, a JSONL field's "\udcff") is written as
    # its JSON escape, which reads back as the same string
    data = _render(item, art, settings.fmt, settings.explain).encode("utf-8", "backslashreplace")
    if item.dest is not None and item.group is None:
        item.dest.parent.mkdir(parents=True, exist_ok=True)
        item.dest.write_bytes(data)
        return _Done(art.status, None, art if settings.report else None)
    return _Done(art.status, data, art if settings.report else None)


class _Writer:
    """Writes each rendered input to stdout or to its file under ``-o``, in input order."""

    def __init__(self, fmt: str, to_stdout: bool, several: bool) -> None:
        self.fmt = fmt
        self.to_stdout = to_stdout
        self.several = several
        sys.stdout.flush()  # anything printed before goes first: from here on bytes go to the buffer
        self.stdout: _BytesOut = getattr(sys.stdout, "buffer", None) or _TextAsBytes(sys.stdout)
        self.count = 0
        self.group: str | None = None
        self.group_file: IO[bytes] | None = None
        self.array = fmt == "json" and several

    def write(self, item: _Item, data: bytes | None) -> None:
        """Write one input's rendering (None: the process that cleaned it wrote its file)."""
        if data is not None and item.dest is not None:
            self._to_file(item, data)
        elif data is not None and self.to_stdout:
            self._to_stdout(item, data)
        self.count += 1

    def start_group(self, item: _Item) -> None:
        """Open (once) the output file of a JSONL input, so that even a file of failures gets one."""
        if item.dest is None or item.group is None or item.group == self.group:
            return
        self._close_group()
        item.dest.parent.mkdir(parents=True, exist_ok=True)
        self.group, self.group_file = item.group, item.dest.open("wb")

    def _to_file(self, item: _Item, data: bytes) -> None:
        """Append a record to its JSONL input's output file (other files are written where cleaned)."""
        self.start_group(item)
        assert self.group_file is not None
        self.group_file.write(data)

    def _to_stdout(self, item: _Item, data: bytes) -> None:
        if self.array:
            data = (b"[\n" if self.count == 0 else b",\n") + data.rstrip(b"\n")
        elif self.several and item.record is None and self.fmt in ("text", "markdown"):
            data = (b"\n" if self.count else b"") + f"==> {item.label} <==\n".encode() + data
        self.stdout.write(data)

    def _close_group(self) -> None:
        if self.group_file is not None:
            self.group_file.close()
        self.group, self.group_file = None, None

    def close(self) -> None:
        self._close_group()
        if self.to_stdout and self.array:
            self.stdout.write(b"[]\n" if self.count == 0 else b"\n]\n")
        self.stdout.flush()


class _BytesOut(Protocol):
    def write(self, data: bytes, /) -> int: ...
    def flush(self) -> None: ...


class _TextAsBytes:
    """Adapts a text stream without ``.buffer`` (e.g. a StringIO) to bytes writes."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, data: bytes) -> int:
        return self.stream.write(data.decode("utf-8"))

    def flush(self) -> None:
        self.stream.flush()


# -- the run ---------------------------------------------------------------------------------------


def _run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    if args.jobs < 0:
        raise UsageError("-j must be 0 or more")
    if args.output is not None and Path(args.output).exists() and not Path(args.output).is_dir():
        raise UsageError(f"-o {args.output}: exists and is not a folder")
    if args.paths.count("-") > 1:
        raise UsageError("stdin ('-') can be given once")
    several = _several(args)
    fmt = args.format or ("jsonl" if several and args.output is None else "text")
    to_stdout = args.output is None and (args.report is None or args.format is not None)

    report = None
    if args.report is not None:
        from wxclean.report import ReportWriter

        report = ReportWriter(Path(args.report))

    pending: deque[_Item] = deque()

    def items() -> Iterator[_Item]:
        for item in _items(args, EXTENSIONS[fmt]):
            pending.append(item)
            yield item

    settings = _Settings(fmt, args.explain, args.level, report is not None)

    stats = _Stats()
    writer = _Writer(fmt, to_stdout, several)
    bar = tqdm(
        file=sys.stderr, unit=" docs", disable=args.quiet or not several or not sys.stderr.isatty(), dynamic_ncols=True
    )
    try:
        for done in map_ordered(partial(_process, settings), items(), jobs=jobs, weigh=_weigh):
            item = pending.popleft()
            stats.inputs += 1
            bar.update(1)
            if isinstance(done, Failure) or done.error is not None:
                error = done.error
                stats.failed += 1
                bar.write(f"wxclean: {item.label}: {error}", file=sys.stderr)
                writer.start_group(item)
                if report is not None:
                    report.add_failure(item.label, error)
                continue
            assert done.status is not None
            stats.statuses[done.status] += 1
            writer.write(item, done.data)
            if report is not None and done.article is not None:
                report.add(item.label, done.article)
    finally:
        bar.close()
        if report is not None:
            report.close()
        writer.close()
    if not args.quiet:
        print(_summary(stats, time.perf_counter() - started), file=sys.stderr)
    return EXIT_FAILED if stats.failed else EXIT_OK


def _weigh(item: _Item) -> int:
    """What an item weighs in a chunk: the size of its text, bytes or file. By size, a chunk of
    big pages holds few of them, so the inputs queued for a worker when the last is handed
    out are little work for the other processes to wait for."""
    return len(item.source) if item.source is not None else max(item.size, 1)


def _summary(stats: _Stats, seconds: float) -> str:
    """``wxclean: 12 inputs: 10 ok, 2 deleted; 1 failed; 0.8s``."""
    per_status = ", ".join(f"{n} {s}" for s, n in stats.statuses.most_common()) or "none cleaned"
    inputs = f"{stats.inputs} input{'s' if stats.inputs != 1 else ''}"
    return f"wxclean: {inputs}: {per_status}; {stats.failed} failed; {seconds:.1f}s"
