"""The audit report: one self-contained HTML page showing what was kept and what was removed.

For each input the page shows the article's metadata, the kept text, and beside it every
removed block, coloured by the filter that removed it, with the filter's reason. A legend
gives each filter's colour and removal count; an index lists every input with its status,
and the head counts the inputs per status.

The page has no script and loads nothing: no external asset, a Content-Security-Policy that
forbids scripts, images, fonts and connections, and every piece of input text (article text,
removed text, titles, URLs, paths, error messages, filter names) HTML-escaped. Links to the
article itself are plain ``http(s)`` anchors, never followed by the page.

:class:`ReportWriter` streams: sections and index rows go to temporary files as inputs come,
so memory does not grow with the batch; the head, the legend and the counts are written on
:meth:`ReportWriter.close`. What it leaves alone: re-cleaning (it shows the ``Article`` it is
given), images (shown as URLs, not loaded) and the position of kept text between removed
blocks (an ``Article`` keeps the order of its removals, not the interleaving).
"""

from __future__ import annotations

import html
import os
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO

from wxclean import __version__
from wxclean.model import Article, Removal

#: sections open by default (later ones are collapsed so a big page stays usable)
OPEN_SECTIONS = 20
#: a removed text longer than this is cut in the page (the rest is counted)
MAX_REMOVED_CHARS = 4000

_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

_STYLE = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Noto Sans CJK SC",sans-serif;
 margin:0 auto;max-width:1400px;padding:1em 2em;color:#222}
h1{font-size:1.5em;margin:.3em 0}
table{border-collapse:collapse}
table.index{width:100%}table.index td:nth-child(3){width:45%;word-break:break-all}code{word-break:break-all}
td,th{padding:2px 8px;text-align:left;vertical-align:top;border-bottom:1px solid #eee}
.counts span,.legend span.item{display:inline-block;margin:2px 10px 2px 0}
.sw{display:inline-block;width:1em;height:1em;vertical-align:-2px;border:1px solid #0003;margin-right:4px}
.st{font-weight:600;padding:0 6px;border-radius:3px;background:#eee}
.st-ok{background:#d9f2d9}.st-empty{background:#f2f2d0}.st-failed{background:#f6c6c6}
section.art{border-top:2px solid #ccc;margin-top:1.2em;padding-top:.4em}
summary{cursor:pointer;font-size:1.1em}
.cols{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:1.5em}
.kept p{white-space:pre-wrap;margin:.4em 0}
.rm{border-left:6px solid #999;padding:2px 8px;margin:4px 0;list-style:none}
.rm .rt{white-space:pre-wrap;word-break:break-word}
.rm .why,.rm .where{color:#555;font-size:.9em}
.meta{display:flex;flex-wrap:wrap;gap:2px 18px;margin:.5em 0;padding:0}
.meta div{margin:0}.meta dt{display:inline;color:#666}.meta dt:after{content:': '}.meta dd{display:inline;margin:0}
.err{color:#a00;white-space:pre-wrap}
ol.removed{padding:0}
"""


def _e(value: object) -> str:
    """Escape anything for HTML text and attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


def _colour(n: int) -> tuple[str, str]:
    """Border and background colours of the n-th filter (golden-angle hues, far apart)."""
    hue = (n * 137.508 + 20) % 360
    light = (42, 30, 55)[n // 3 % 3]  # vary lightness too, so that many filters stay apart
    return f"hsl({hue:.0f},65%,{light}%)", f"hsl({hue:.0f},75%,94%)"


def _link(url: str | None) -> str:
    """An anchor for an http(s) URL, the escaped text for anything else (never javascript: etc.)."""
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return f'<a href="{_e(url)}" rel="noopener noreferrer nofollow">{_e(url)}</a>'
    return _e(url)


class ReportWriter:
    """Writes the audit page for a stream of inputs to ``path``.

    Call :meth:`add` per cleaned input and :meth:`add_failure` per input that failed, in the
    order they should appear, then :meth:`close` (or use it as a context manager). The file
    at ``path`` is written on close, in one replace, so a half-written page never shows.
    """

    def __init__(self, path: Path | str, *, title: str = "wxclean audit report") -> None:
        self.path = Path(path)
        self.title = title
        # both live as long as the writer and are closed by close()
        self._sections: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self._index: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self._filters: dict[str, int] = {}  # filter name -> colour number, first seen first
        self._removals: Counter[str] = Counter()
        self._statuses: Counter[str] = Counter()
        self._count = 0
        self._closed = False

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _cls(self, name: str) -> str:
        if name not in self._filters:
            self._filters[name] = len(self._filters)
        return f"f{self._filters[name]}"

    def _open_tag(self) -> str:
        return "<details open>" if self._count <= OPEN_SECTIONS else "<details>"

    def _index_row(self, status: str, label: str, title: str, kept: str, removed: str) -> None:
        n = self._count
        self._index.write(
            f'<tr><td>{n}</td><td><span class="st st-{_e(status)}">{_e(status)}</span></td>'
            f'<td><a href="#a{n}">{_e(label)}</a></td><td>{_e(title)}</td><td>{kept}</td><td>{removed}</td></tr>\n'
        )

    def add(self, label: str, art: Article) -> None:
        """Add one cleaned input: ``label`` (its path) and the Article ``wxclean.clean`` made."""
        self._count += 1
        n = self._count
        self._statuses[art.status] += 1
        for r in art.removed:
            self._removals[r.filter] += 1
        self._index_row(art.status, label, art.title or "", str(len(art.text)), str(len(art.removed)))
        w = self._sections.write
        w(f'<section class="art" id="a{n}">{self._open_tag()}<summary>{n}. ')
        w(f'<span class="st st-{_e(art.status)}">{_e(art.status)}</span> <code>{_e(label)}</code>')
        w(f" — {_e(art.title or '(no title)')}</summary>\n")
        w(self._meta_table(art))
        w('<div class="cols"><div class="kept">')
        w(f"<h3>Kept text ({len(art.text)} characters)</h3>\n")
        paragraphs = [p for p in art.text.split("\n\n") if p.strip()]
        if not paragraphs:
            w("<p><em>(nothing kept)</em></p>\n")
        for p in paragraphs:
            w(f"<p>{_e(p)}</p>\n")
        w(f'</div><div class="removed"><h3>Removed ({len(art.removed)})</h3><ol class="removed">\n')
        for r in art.removed:
            w(self._removal(r))
        w("</ol></div></div></details></section>\n")

    def add_failure(self, label: str, error: str) -> None:
        """Add one input that could not be read or cleaned, with its error message."""
        self._count += 1
        n = self._count
        self._statuses["failed"] += 1
        self._index_row("failed", label, "", "", "")
        self._sections.write(
            f'<section class="art" id="a{n}">{self._open_tag()}<summary>{n}. '
            f'<span class="st st-failed">failed</span> <code>{_e(label)}</code></summary>\n'
            f'<p class="err">{_e(error)}</p></details></section>\n'
        )

    def _removal(self, r: Removal) -> str:
        text = r.text
        more = ""
        if len(text) > MAX_REMOVED_CHARS:
            more = f" … ({len(text) - MAX_REMOVED_CHARS} more characters)"
            text = text[:MAX_REMOVED_CHARS]
        return (
            f'<li class="rm {self._cls(r.filter)}"><b>{_e(r.filter)}</b> '
            f'<span class="why">{_e(r.reason)}</span> <span class="where">[{_e(r.where)} #{_e(r.pos)}, {_e(r.kind)}]'
            f'</span><div class="rt">{_e(text)}{_e(more)}</div></li>\n'
        )

    @staticmethod
    def _meta_table(art: Article) -> str:
        published = art.published.isoformat() if art.published is not None else None
        rows: list[tuple[str, str]] = [
            ("title", _e(art.title)),
            ("account", _e(art.account)),
            ("author", _e(art.author)),
            ("published", _e(published)),
            ("original", _e(art.original)),
            ("source account", _e(art.source_account)),
            ("kind", _e(art.kind)),
            ("status", _e(art.status)),
            ("truncated", _e(art.truncated)),
            ("url", _link(art.url)),
            ("cover", _link(art.cover)),
            ("images", str(len(art.images))),
            ("links", str(len(art.links))),
        ]
        body = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in rows)
        return f'<dl class="meta">{body}</dl>\n'

    def _head(self) -> str:
        css = [_STYLE]
        for n in self._filters.values():
            border, back = _colour(n)
            css.append(f".f{n}{{border-left-color:{border};background:{back}}}.sw.f{n}{{background:{border}}}")
        counts = "".join(
            f'<span><span class="st st-{_e(s)}">{_e(s)}</span> {c}</span>' for s, c in self._statuses.most_common()
        )
        legend = "".join(
            f'<span class="item"><span class="sw f{n}"></span><b>{_e(name)}</b> {self._removals[name]}</span>'
            for name, n in self._filters.items()
        )
        return (
            '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
            '<meta name="referrer" content="no-referrer">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(self.title)}</title>\n<style>{''.join(css)}</style></head><body>\n"
            f"<h1>{_e(self.title)}</h1>\n"
            f'<p class="counts"><b>{self._count} input{"s" if self._count != 1 else ""}</b> {counts}</p>\n'
            f'<p class="legend"><b>Removed, per filter:</b> {legend or "nothing"}</p>\n'
        )

    def close(self) -> None:
        """Write the page to ``path`` and drop the temporary files; a second call does nothing."""
        if self._closed:
            return
        self._closed = True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")  # same folder: replace is atomic
        try:
            with tmp.open("w", encoding="utf-8") as out:
                out.write(self._head())
                if self._count > 1:
                    out.write(
                        '<h2>Index</h2>\n<table class="index"><tr><th>#</th><th>status</th><th>input</th>'
                        "<th>title</th><th>kept chars</th><th>removed</th></tr>\n"
                    )
                    _copy(self._index, out)
                    out.write("</table>\n")
                _copy(self._sections, out)
                out.write(f"<footer><p><small>wxclean {_e(__version__)}</small></p></footer>\n</body></html>\n")
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        finally:
            self._sections.close()
            self._index.close()


def _copy(src: IO[str], dst: IO[str]) -> None:
    src.seek(0)
    while chunk := src.read(1 << 16):
        dst.write(chunk)


def write_report(
    entries: Iterable[tuple[str, Article | str]], path: Path | str, *, title: str = "wxclean audit report"
) -> None:
    """Write the report for ``(label, Article)`` pairs (a ``str`` in place of the Article is an error message)."""
    with ReportWriter(path, title=title) as rw:
        for label, art in entries:
            if isinstance(art, str):
                rw.add_failure(label, art)
            else:
                rw.add(label, art)
