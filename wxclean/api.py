"""The public entry point: ``clean(source) -> Article``."""

from __future__ import annotations

import codecs
import re
from encodings import cp1252

from wxclean import render
from wxclean.model import Article, Document, Meta, Removal
from wxclean.pipeline import Pipeline, resolve_pipeline
from wxclean.sources import bytes_look_like_html, first_parts, looks_like_html, to_document
from wxclean.sources.decode import binary_format, decode

#: the default ``max_bytes``: far above any real WeChat page (0.1-4 MB) or dump
MAX_BYTES = 64 * 1024 * 1024
#: the default ``max_parts``: lines of a dump or tags of a page read at most. Real articles
#: have at most a few thousand of either (the corpus: 1,290 dump lines, 4,221 page tags);
#: the bound keeps a hostile input of tiny lines or empty tags (``"#\n"`` twenty million
#: times in 40 MB) to a few seconds and a few hundred MB, as each part costs 10-30 µs and a
#: few hundred bytes to read and filter.
MAX_PARTS = 200_000


def clean(
    source: str | bytes,
    *,
    level: str = "standard",
    pipeline: Pipeline | None = None,
    max_bytes: int | None = MAX_BYTES,
    max_parts: int | None = MAX_PARTS,
) -> Article:
    """Clean one WeChat article given as an HTML page, an HTML fragment or a markdown/text dump.

    ``source`` is ``str`` or ``bytes`` (decoded by BOM, declared charset, UTF-8, GB18030,
    then chardet on a prefix). ``level`` picks the default pipeline (``"minimal"`` removes
    platform chrome only, ``"standard"`` also the author's boilerplate); ``pipeline``
    replaces it. An input longer than ``max_bytes`` (characters for ``str``; ``None`` for no
    limit) is cut at a line or tag boundary before that size and cleaned, and the Article
    says ``truncated=True``; so is a dump of more than ``max_parts`` lines or a page of more
    than ``max_parts`` tags (``None``: no limit). Anything but ``str``/``bytes`` raises
    ``TypeError``.
    """
    if not isinstance(source, (str, bytes, bytearray, memoryview)):
        raise TypeError(f"wxclean.clean() takes str or bytes, not {type(source).__name__}")
    pipeline = resolve_pipeline(level, pipeline)
    for name, limit in (("max_bytes", max_bytes), ("max_parts", max_parts)):
        if limit is not None and (not isinstance(limit, int) or limit <= 0):
            raise ValueError(f"{name} must be a positive int or None, got {limit!r}")
    cut = False
    if not isinstance(source, str):
        source = bytes(source)
    if max_bytes is not None and len(source) > max_bytes:
        source, cut = _cut(source, max_bytes), True
    doc = _settle_status(pipeline.run(read(source, max_parts)))
    if cut:
        doc = doc.with_meta(truncated=True)
    return render.article(doc)


def _cut(source: str | bytes, limit: int) -> str | bytes:
    """The first part of an over-long input, ended at the last newline or tag start before
    ``limit`` (so no line, tag or multi-byte character is split), or at ``limit``."""
    if isinstance(source, str):
        end = max(source.rfind("\n", 0, limit), source.rfind("<", 0, limit))
        return source[: end if end > limit // 2 else limit]
    end = max(source.rfind(b"\n", 0, limit), source.rfind(b"<", 0, limit))
    return source[: end if end > limit // 2 else limit]


def _lines(text: str, max_parts: int | None) -> tuple[str, bool]:
    """A dump's first ``max_parts`` parts: lines that hold something (a newline that ends a
    blank line does not count, so the cleaned markdown, one blank line between blocks, counts
    as many parts as the blocks it shows: cleaning it again cuts nothing more), or the images
    and links in them (each ``](``: a line of a million ``![a](b)`` is a million images), or
    the tags (each ``<``: a line of a million ``<br>``), whichever are more. A text shorter
    than the bound cannot hold more parts and is not counted at all. A line cut short loses
    the image, link or tag it was cut inside of."""
    if max_parts is None or len(text) < max_parts:
        return text, False

    def parts(end: int) -> int:  # (one image per line, as the output writes them, counts once)
        lines = text.count("\n", 0, end) - text.count("\n\n", 0, end)
        return max(lines, text.count("](", 0, end), text.count("<", 0, end))

    cut, was_cut = first_parts(text, parts, max_parts)
    return (_whole_markup(cut) if was_cut else cut), was_cut


def _whole_markup(cut: str) -> str:
    """``cut`` without the image, link or tag its last line was cut inside of."""
    start = cut.rfind("\n") + 1
    end = len(cut)
    lt = cut.rfind("<", start)
    if lt > cut.rfind(">", start):  # an unclosed tag
        end = lt
    lb = cut.rfind("[", start, end)
    if lb > cut.rfind(")", start, end):  # an unclosed image or link
        end = lb - 1 if lb > start and cut[lb - 1] == "!" else lb
    return cut[:end]


def read(source: str | bytes, max_parts: int | None = None) -> Document:
    """The source adapter's Document for ``source``, before any filter runs; a dump of more
    than ``max_parts`` lines or a page of more than ``max_parts`` tags is read up to there
    and marked truncated.

    HTML bytes go to the HTML adapter undecoded (it decodes only the parts of a page it
    reads); other bytes are decoded first (BOM, declared charset, UTF-8, GB18030, chardet).
    Binary data (an image, an archive, a PDF: by its opening bytes, or control bytes all
    through its start) gives no blocks and ``status="not_article"``, never decoded noise.
    """
    if isinstance(source, str):
        return _read_text(_no_surrogates(source), max_parts)
    data = bytes(source)
    binary = binary_format(data)
    if binary is not None:  # an image, archive or other binary file: no text to read
        gone = Removal("binary_input", f"{binary}, not a page or a text", f"{len(data)} bytes", "binary", "input")
        return Document(meta=Meta(status="not_article", kind="other"), removed=(gone,), source_type="binary")
    if bytes_look_like_html(data):
        from wxclean.sources import html

        return html.parse_bytes(data, max_parts)
    return _read_text(decode(data)[0], max_parts)


def _read_text(text: str, max_parts: int | None) -> Document:
    """A page given as text to the HTML adapter (which bounds its tags), a dump to the dump
    adapter, cut to its first ``max_parts`` lines. Text that is UTF-8 read as Latin-1 or
    Windows-1252 is read as the UTF-8 it was first (:func:`unmangled`)."""
    text = unmangled(text)
    if looks_like_html(text):
        from wxclean.sources import html

        return html.parse(text, max_parts)
    if "\r" in text:  # old Mac line ends count as lines too (a run of "\r" is as many lines)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, cut = _lines(text, max_parts)
    return _mark_cut(to_document(text), cut)


_CJK = re.compile("[\u3000-\u9fff\uff00-\uffef]")
#: Windows-1252 as browsers read it (WHATWG): Python's cp1252, with the five bytes it leaves
#: undefined (81 8D 8F 90 9D) as the C1 controls of the same number; a table for
#: ``codecs.charmap_encode``, so that text is turned back into bytes at C speed
_BROWSERS_1252 = codecs.charmap_build(
    "".join(chr(b) if c == "\ufffe" else c for b, c in enumerate(cp1252.decoding_table))
)


def _as_latin1(text: str) -> bytes:
    return text.encode("latin-1")


def _as_browsers_1252(text: str) -> bytes:
    return codecs.charmap_encode(text, "strict", _BROWSERS_1252)[0]


def unmangled(text: str) -> str:
    """UTF-8 that something decoded as Latin-1 or Windows-1252 (a crawler that took an
    undeclared page for ISO-8859-1: ``三``, bytes E4 B8 89, comes as ``ä``, ``¸`` and a control
    character), as the Chinese text it was; ``text`` itself otherwise. Windows-1252 is
    undone as browsers read it, the five bytes it leaves undefined as C1 controls (every
    tenth or so UTF-8 continuation byte is one of them: Chinese text decoded by Python's own
    cp1252 fails on it, and comes only this way).

    What it leaves alone: text holding any character those encodings lack (Chinese text
    never needs mending), and text whose bytes are not valid UTF-8 or hold no Chinese
    (European text: ``café`` is not UTF-8 in Latin-1's bytes)."""
    if text.isascii():
        return text
    for undo in (_as_latin1, _as_browsers_1252):
        try:
            mended = undo(text).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if _CJK.search(mended):
            return mended
    return text


def _mark_cut(doc: Document, cut: bool) -> Document:
    return doc.with_meta(truncated=True) if cut else doc


def _no_surrogates(text: str) -> str:
    """``text`` with lone surrogates (which no encoder accepts) turned into U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def _settle_status(doc: Document) -> Document:
    """An input with nothing left and no sign of an article page is ``empty``."""
    m = doc.meta
    if m.status == "ok" and not doc.blocks and m.kind == "article" and m.account is None and m.cover is None:
        return doc.with_meta(status="empty")
    return doc
