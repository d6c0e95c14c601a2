"""Adapters that turn wxclean and its peers into predictions in the format of the corpus's ``score.py``.

Every tool is a :class:`Tool`: a name, the input kinds it runs on (``html`` pages, ``md`` dumps),
the Python modules it needs, the metadata fields it fills, and ``run(data: bytes) -> dict``
which returns a prediction (``text``, ``title``, ``author``, ``published``, ``images``,
``links`` …; fields a tool does not give are ``None`` or empty). A missing module makes the
tool *skipped*, never a crash. :class:`Runner` runs tools in a worker process with a per-page
timeout; the time it reports is measured inside the worker around ``run()`` alone (reading the
file and shipping the result back are not counted).

Peers on HTML pages (each as a user would call it, plus the mapping of what it returns):

* ``trafilatura``: ``extract(page_bytes, output_format="json", with_metadata=True,
  include_images=True, include_links=True)``, default and ``favor_recall=True``. Its ``text``
  carries markdown ``![](src)`` / ``[text](href)``: URLs go to ``images`` / ``links``, link
  text stays, image syntax is dropped. ``title``, ``author`` and ``date`` map to the
  prediction's ``title``, ``author``, ``published``.
* ``readability-lxml`` (the installed version): ``Document(page_bytes).summary()``, text of the
  summary HTML (newline after block elements), ``img`` ``data-src``/``src`` and ``a`` ``href``
  of the summary as images and links, ``short_title()`` and ``author()`` as metadata. A second
  row un-hides ``#js_content`` first (its inline ``visibility: hidden`` / ``opacity: 0`` removed):
  readability-lxml 0.9 drops every node whose inline style says hidden, and WeChat serves the
  whole body that way (un-hidden by its JavaScript), so the plain call returns an empty article.
* ``html-text``: ``extract_text(page_str)`` (full-page converter; no metadata, images or links).
* ``resiliparse``: ``extract_plain_text(HTMLTree, main_content=True)``; ``HTMLTree.title`` as
  title. Its docstring says inline-CSS-hidden elements are filtered too, so an un-hidden row is
  given as well.

Peer on markdown dumps: "the naive approach people use": a fixed set of WeChat chrome lines
(the tail block's 预览时标签不可点, 微信扫一扫, 关注该公众号, 知道了, 取消, 允许, 赞, 在看, 分享, 留言,
收藏, 听过 …) dropped wherever they occur; markdown turned into plain text (image syntax dropped, link
text kept, heading/quote/list markers and ``**`` removed) with image and link URL lists. A
``raw dump`` row (nothing dropped) shows what the dumps hold to begin with.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Any

META_FIELDS = ("title", "account", "author", "published", "original", "source_account", "kind", "status", "truncated")
TITLE_AUTHOR_DATE = ("title", "author", "published")

_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")


def empty_prediction() -> dict[str, Any]:
    """A prediction with every field present and nothing filled."""
    out: dict[str, Any] = dict.fromkeys(META_FIELDS)
    out.update(text="", images=[], links=[])
    return out


def split_markdown(text: str) -> tuple[str, list[str], list[str]]:
    """Plain text of markdown ``text`` (images dropped, link text kept), image URLs, link URLs."""
    images = [m.group(2) for m in _MD_IMAGE.finditer(text) if m.group(2)]
    text = _MD_IMAGE.sub("", text)
    links = [m.group(2) for m in _MD_LINK.finditer(text) if m.group(2).startswith(("http://", "https://"))]
    return _MD_LINK.sub(r"\1", text), images, links


_MD_LEAD = re.compile(r"^\s*(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)+")


def markdown_to_text(text: str) -> tuple[str, list[str], list[str]]:
    """:func:`split_markdown`, then heading/quote/list markers and ``**``/``__`` removed per line.

    What a naive dump cleaner needs to hand over plain text (the score compares plain text)."""
    plain, images, links = split_markdown(text)
    lines = (_MD_LEAD.sub("", line).replace("**", "").replace("__", "") for line in plain.splitlines())
    return "\n".join(lines), images, links


def _none_if_blank(value: object) -> str | None:
    s = str(value).strip() if value is not None else ""
    return s or None


# --------------------------------------------------------------------------- wxclean


def run_wxclean(data: bytes) -> dict[str, Any]:
    """``wxclean.clean(data).to_dict()`` (bytes in, as a crawler hands them over)."""
    import wxclean

    out: dict[str, Any] = wxclean.clean(data).to_dict()
    out.pop("removed", None)  # the audit trail is not scored and makes the files large
    return out


# --------------------------------------------------------------------------- trafilatura


def _trafilatura(data: bytes, **options: Any) -> dict[str, Any]:
    import json

    import trafilatura

    raw = trafilatura.extract(
        data, output_format="json", with_metadata=True, include_images=True, include_links=True, **options
    )
    out = empty_prediction()
    if not raw:
        return out
    doc = json.loads(raw)
    text, images, links = split_markdown(doc.get("text") or "")
    out.update(
        text=text,
        images=images,
        links=links,
        title=_none_if_blank(doc.get("title")),
        author=_none_if_blank(doc.get("author")),
        published=_none_if_blank(doc.get("date")),
    )
    return out


def run_trafilatura(data: bytes) -> dict[str, Any]:
    """trafilatura, default settings."""
    return _trafilatura(data)


def run_trafilatura_recall(data: bytes) -> dict[str, Any]:
    """trafilatura with ``favor_recall=True``."""
    return _trafilatura(data, favor_recall=True)


# --------------------------------------------------------------------------- readability-lxml

_BLOCK_TAGS = (
    "p", "div", "section", "article", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "tr", "table", "figure", "figcaption", "hr", "dd", "dt",
)  # fmt: skip
_JS_CONTENT_TAG = re.compile(rb"<div\b[^>]*\bid\s*=\s*[\"']js_content[\"'][^>]*>", re.I)
_HIDDEN_STYLE = re.compile(rb"(?:visibility\s*:\s*hidden|opacity\s*:\s*0(?:\.0*)?)\s*;?", re.I)


def unhide_js_content(data: bytes) -> bytes:
    """The page with ``visibility: hidden`` / ``opacity: 0`` removed from ``#js_content``'s opening tag.

    WeChat serves the body hidden and shows it with JavaScript; readability-lxml 0.9 and
    resiliparse drop nodes hidden by inline style, so they need this to see the article at all.
    """
    m = _JS_CONTENT_TAG.search(data)
    if not m:
        return data
    return data[: m.start()] + _HIDDEN_STYLE.sub(b"", m.group()) + data[m.end() :]


def html_fragment_prediction(fragment: str) -> dict[str, Any]:
    """Text (a newline after each block element), image and link URLs of an HTML fragment."""
    from lxml import html as lxml_html

    out = empty_prediction()
    if not fragment.strip():
        return out
    root = lxml_html.fromstring(fragment)
    images = [u for img in root.iter("img") if (u := (img.get("data-src") or img.get("src") or "").strip())]
    links = [u for a in root.iter("a") if (u := (a.get("href") or "").strip()).startswith(("http://", "https://"))]
    for el in root.iter(*_BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
    lines = (line.strip() for line in root.text_content().splitlines())
    out.update(text="\n".join(line for line in lines if line), images=images, links=links)
    return out


def _readability(data: bytes) -> dict[str, Any]:
    from readability import Document

    doc = Document(data)
    out = html_fragment_prediction(doc.summary())
    title = _none_if_blank(doc.short_title())
    out["title"] = None if title == "[no-title]" else title
    author = getattr(doc, "author", None)
    out["author"] = _none_if_blank(author()) if callable(author) else None
    if out["author"] == "[no-author]":
        out["author"] = None
    return out


def run_readability(data: bytes) -> dict[str, Any]:
    """readability-lxml as installed, on the page as served."""
    return _readability(data)


def run_readability_unhidden(data: bytes) -> dict[str, Any]:
    """readability-lxml on the page with ``#js_content`` un-hidden first."""
    return _readability(unhide_js_content(data))


# --------------------------------------------------------------------------- html-text, resiliparse


def run_html_text(data: bytes) -> dict[str, Any]:
    """html-text's ``extract_text`` on the page decoded as UTF-8 (every corpus page declares it)."""
    import html_text

    out = empty_prediction()
    out["text"] = html_text.extract_text(data.decode("utf-8", errors="replace"))
    return out


def _resiliparse(data: bytes) -> dict[str, Any]:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import detect_encoding
    from resiliparse.parse.html import HTMLTree

    tree = HTMLTree.parse_from_bytes(data, detect_encoding(data))
    out = empty_prediction()
    out["text"] = extract_plain_text(tree, main_content=True)
    out["title"] = _none_if_blank(tree.title)
    return out


def run_resiliparse(data: bytes) -> dict[str, Any]:
    """resiliparse ``extract_plain_text(main_content=True)`` on the page as served."""
    return _resiliparse(data)


def run_resiliparse_unhidden(data: bytes) -> dict[str, Any]:
    """resiliparse on the page with ``#js_content`` un-hidden first."""
    return _resiliparse(unhide_js_content(data))


# --------------------------------------------------------------------------- dumps: the naive line filter

# What people write: the WeChat tail block and dialog lines, dropped wherever they occur.
NAIVE_CHROME_LINES = frozenset({
    "预览时标签不可点", "微信扫一扫", "关注该公众号", "微信扫一扫关注该公众号", "微信扫一扫可打开此内容，使用完整服务",
    "知道了", "取消", "允许", "赞", "在看", "分享", "留言", "收藏", "听过", "写留言", "阅读原文", "轻触阅读原文",
    "继续滑动看下一个", "向上滑动看下一个", "使用小程序", "视频", "小程序", "喜欢此内容的人还喜欢", "人划线",
    "：", "，", "。", "×", "轻点两下取消赞", "轻点两下取消在看", "Scan to Follow", "Got It", "Cancel", "Allow",
})  # fmt: skip


def _dump_prediction(data: bytes, drop: frozenset[str]) -> dict[str, Any]:
    lines = data.decode("utf-8", errors="replace").splitlines()
    kept = "\n".join(line for line in lines if line.strip() not in drop)
    out = empty_prediction()
    out["text"], out["images"], out["links"] = markdown_to_text(kept)
    return out


def run_naive_dump(data: bytes) -> dict[str, Any]:
    """The naive dump cleaner: drop the lines found in :data:`NAIVE_CHROME_LINES`."""
    return _dump_prediction(data, NAIVE_CHROME_LINES)


def run_raw_dump(data: bytes) -> dict[str, Any]:
    """The dump as it is (markdown syntax turned into URL lists): the no-cleaning reference."""
    return _dump_prediction(data, frozenset())


# --------------------------------------------------------------------------- the registry


@dataclass(frozen=True)
class Tool:
    """One row of the tables: how to run it, on what, and which metadata it fills."""

    name: str
    run: Callable[[bytes], dict[str, Any]]
    kinds: tuple[str, ...]
    fills: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    note: str = ""
    peer: bool = True

    def missing(self) -> str | None:
        """Why the tool cannot run here (a module that is not installed), or ``None``."""
        for mod in self.requires:
            if importlib.util.find_spec(mod) is None:
                return f"module {mod!r} not installed"
        return None


def _version(dist: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


TOOLS: dict[str, Tool] = {
    t.name: t
    for t in (
        Tool("wxclean", run_wxclean, ("html", "md"), META_FIELDS, ("wxclean",), peer=False),
        Tool("trafilatura", run_trafilatura, ("html",), TITLE_AUTHOR_DATE, ("trafilatura",)),
        Tool("trafilatura recall", run_trafilatura_recall, ("html",), TITLE_AUTHOR_DATE, ("trafilatura",),
             note="favor_recall=True"),
        Tool("readability-lxml", run_readability, ("html",), ("title", "author"), ("readability",),
             note="as installed"),
        Tool("readability-lxml un-hidden", run_readability_unhidden, ("html",), ("title", "author"),
             ("readability",), note="#js_content inline visibility:hidden/opacity:0 removed first"),
        Tool("html-text", run_html_text, ("html",), (), ("html_text",)),
        Tool("resiliparse", run_resiliparse, ("html",), ("title",), ("resiliparse",), note="main_content=True"),
        Tool("resiliparse un-hidden", run_resiliparse_unhidden, ("html",), ("title",), ("resiliparse",),
             note="#js_content un-hidden first"),
        Tool("naive line filter", run_naive_dump, ("md",), (), note="fixed set of WeChat chrome lines dropped"),
        Tool("raw dump", run_raw_dump, ("md",), (), note="nothing dropped (reference)"),
    )
}  # fmt: skip

VERSIONS = {
    "wxclean": "wxclean",
    "trafilatura": "trafilatura",
    "readability-lxml": "readability-lxml",
    "html-text": "html-text",
    "resiliparse": "resiliparse",
}


def versions() -> dict[str, str]:
    """Installed versions of wxclean (and which build runs) and the peers (``?`` when not
    installed)."""
    out = {name: _version(dist) for name, dist in VERSIONS.items()}
    out["wxclean"] += f" ({build()})"
    return out


def build() -> str:
    """Which wxclean build runs: the hot modules compiled by mypyc, or plain Python."""
    import wxclean

    return "compiled" if wxclean.COMPILED else "plain Python"


def tools_for(kind: str, names: Iterable[str] | None = None) -> list[Tool]:
    """The tools that run on ``kind`` (``html`` or ``md``), optionally only those named."""
    wanted = set(names) if names is not None else None
    return [t for t in TOOLS.values() if kind in t.kinds and (wanted is None or t.name in wanted)]


# --------------------------------------------------------------------------- running with a timeout


@dataclass
class Outcome:
    """What one tool did on one input: its prediction, seconds inside ``run()``, or an error."""

    prediction: dict[str, Any]
    seconds: float | None
    error: str | None = None


def _call(tool_name: str, path: str) -> tuple[dict[str, Any], float, str | None]:
    """Worker side: read the file, time ``run()`` alone, never raise."""
    data = Path(path).read_bytes()
    start = time.perf_counter()
    try:
        pred = TOOLS[tool_name].run(data)
    except Exception as e:  # a peer failing on a page is a result, not a crash
        return {"error": f"{type(e).__name__}: {e}"}, time.perf_counter() - start, f"{type(e).__name__}: {e}"
    return pred, time.perf_counter() - start, None


@dataclass
class Runner:
    """Runs tools on files in one worker process, with a per-call timeout.

    On a timeout the worker is killed and a fresh one started (and warmed up again), so a
    hung peer costs ``timeout`` seconds once and the run goes on. ``warm_up`` is a file each
    tool runs on once per worker before its calls are timed (imports, lazy caches).
    """

    timeout: float = 30.0
    warm_up: dict[str, Path] = field(default_factory=dict)
    _pool: Pool | None = None
    _warm: set[tuple[str, str]] = field(default_factory=set)

    def _ensure(self) -> Pool:
        if self._pool is None:
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
            self._pool = ctx.Pool(1)
            self._warm = set()
        return self._pool

    def _restart(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
        self._pool = None

    def run(self, tool: Tool, path: Path, kind: str) -> Outcome:
        """Run ``tool`` on ``path``; a raise or a timeout is an Outcome with ``error`` set."""
        pool = self._ensure()
        warm = self.warm_up.get(kind)
        if warm is not None and (tool.name, kind) not in self._warm:
            self._warm.add((tool.name, kind))
            try:
                pool.apply_async(_call, (tool.name, str(warm))).get(self.timeout)
            except multiprocessing.TimeoutError:
                self._restart()
                pool = self._ensure()
                self._warm.add((tool.name, kind))
        job = pool.apply_async(_call, (tool.name, str(path)))
        try:
            pred, seconds, error = job.get(self.timeout)
        except multiprocessing.TimeoutError:
            self._restart()
            msg = f"timeout after {self.timeout:g} s"
            return Outcome({"error": msg}, None, msg)
        return Outcome(pred, seconds, error)

    def close(self) -> None:
        """Stop the worker."""
        self._restart()

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
