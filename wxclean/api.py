"""The public entry point: ``clean(source) -> Article``."""

from __future__ import annotations

from wxclean import render
from wxclean.model import Article, Document
from wxclean.pipeline import LEVELS, Pipeline, default_pipeline
from wxclean.sources import bytes_look_like_html, to_document
from wxclean.sources.decode import decode


def clean(source: str | bytes, *, level: str = "standard", pipeline: Pipeline | None = None) -> Article:
    """Clean one WeChat article given as an HTML page, an HTML fragment or a markdown/text dump.

    ``source`` is ``str`` or ``bytes`` (decoded by BOM, declared charset, UTF-8, GB18030,
    then chardet on a prefix). ``level`` picks the default pipeline (``"minimal"`` removes
    platform chrome only, ``"standard"`` also the author's boilerplate); ``pipeline``
    replaces it. Anything but ``str``/``bytes`` raises ``TypeError``.
    """
    if not isinstance(source, (str, bytes, bytearray, memoryview)):
        raise TypeError(f"wxclean.clean() takes str or bytes, not {type(source).__name__}")
    if pipeline is None:
        if level not in LEVELS:
            raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
        pipeline = default_pipeline(level)
    elif not isinstance(pipeline, Pipeline):
        raise TypeError(f"pipeline must be a wxclean.Pipeline, not {type(pipeline).__name__}")
    return render.article(_settle_status(pipeline.run(read(source))))


def read(source: str | bytes) -> Document:
    """The source adapter's Document for ``source``, before any filter runs.

    HTML bytes go to the HTML adapter undecoded (it decodes only the parts of a page it
    reads); other bytes are decoded first (BOM, declared charset, UTF-8, GB18030, chardet).
    """
    if isinstance(source, str):
        return to_document(source)
    data = bytes(source)
    if bytes_look_like_html(data):
        from wxclean.sources import html

        return html.parse_bytes(data)
    return to_document(decode(data)[0])


def _settle_status(doc: Document) -> Document:
    """An input with nothing left and no sign of an article page is ``empty``."""
    m = doc.meta
    if m.status == "ok" and not doc.blocks and m.kind == "article" and m.account is None and m.cover is None:
        return doc.with_meta(status="empty")
    return doc
