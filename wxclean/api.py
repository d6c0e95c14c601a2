"""The public entry point: ``clean(source) -> Article``."""

from __future__ import annotations

from wxclean import render
from wxclean.model import Article, Document, Meta, Removal
from wxclean.pipeline import Pipeline, resolve_pipeline
from wxclean.sources import bytes_look_like_html, to_document
from wxclean.sources.decode import binary_format, decode

#: the default ``max_bytes``: far above any real WeChat page (0.1-4 MB) or dump
MAX_BYTES = 64 * 1024 * 1024


def clean(
    source: str | bytes,
    *,
    level: str = "standard",
    pipeline: Pipeline | None = None,
    max_bytes: int | None = MAX_BYTES,
) -> Article:
    """Clean one WeChat article given as an HTML page, an HTML fragment or a markdown/text dump.

    ``source`` is ``str`` or ``bytes`` (decoded by BOM, declared charset, UTF-8, GB18030,
    then chardet on a prefix). ``level`` picks the default pipeline (``"minimal"`` removes
    platform chrome only, ``"standard"`` also the author's boilerplate); ``pipeline``
    replaces it. An input longer than ``max_bytes`` (characters for ``str``; ``None`` for no
    limit) is cut at a line or tag boundary before that size and cleaned, and the Article
    says ``truncated=True``. Anything but ``str``/``bytes`` raises ``TypeError``.
    """
    if not isinstance(source, (str, bytes, bytearray, memoryview)):
        raise TypeError(f"wxclean.clean() takes str or bytes, not {type(source).__name__}")
    pipeline = resolve_pipeline(level, pipeline)
    if max_bytes is not None and (not isinstance(max_bytes, int) or max_bytes <= 0):
        raise ValueError(f"max_bytes must be a positive int or None, got {max_bytes!r}")
    cut = False
    if not isinstance(source, str):
        source = bytes(source)
    if max_bytes is not None and len(source) > max_bytes:
        source, cut = _cut(source, max_bytes), True
    doc = _settle_status(pipeline.run(read(source)))
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


def read(source: str | bytes) -> Document:
    """The source adapter's Document for ``source``, before any filter runs.

    HTML bytes go to the HTML adapter undecoded (it decodes only the parts of a page it
    reads); other bytes are decoded first (BOM, declared charset, UTF-8, GB18030, chardet).
    Binary data (an image, an archive, a PDF: by its opening bytes, or control bytes all
    through its start) gives no blocks and ``status="not_article"``, never decoded noise.
    """
    if isinstance(source, str):
        return to_document(_no_surrogates(source))
    data = bytes(source)
    binary = binary_format(data)
    if binary is not None:  # an image, archive or other binary file: no text to read
        gone = Removal("binary_input", f"{binary}, not a page or a text", f"{len(data)} bytes", "binary", "input")
        return Document(meta=Meta(status="not_article", kind="other"), removed=(gone,), source_type="binary")
    if bytes_look_like_html(data):
        from wxclean.sources import html

        return html.parse_bytes(data)
    return to_document(decode(data)[0])


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
