"""Source adapters: input text -> :class:`wxclean.model.Document`.

``to_document`` decides by the input's shape which adapter reads it: HTML pages and
fragments go to :mod:`wxclean.sources.html`, everything else (markdown and plain-text dumps)
to :mod:`wxclean.sources.dump`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from wxclean.model import Document

_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html|<head|<body|<meta|<div|<section|<p[\s>]|<article|<span|<h[1-6]|<%@|<\?xml|<!--)",
    re.IGNORECASE | re.DOTALL,
)
_WECHAT_MARKERS = ("id=\"js_content\"", "id='js_content'", "rich_media_content", "js_article", "weui-msg")


def looks_like_html(text: str) -> bool:
    """True for an HTML page or fragment; a markdown dump that holds some inline HTML is not."""
    head = text[:2048]
    if _HTML_START.match(head):
        return True
    return head.lstrip().startswith("<") and any(m in text[:200_000] for m in _WECHAT_MARKERS)


def bytes_look_like_html(data: bytes) -> bool:
    """:func:`looks_like_html` for raw bytes, from their first 2 KB (no full decode)."""
    head = data[:2048]
    for bom in (b"\xef\xbb\xbf",):
        if head.startswith(bom):
            head = head[len(bom) :]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:64]:
        return False  # UTF-16/32: decoded whole first
    return looks_like_html(head.decode("latin-1"))


def to_document(text: str) -> Document:
    """Parse ``text`` with the adapter its shape calls for."""
    if looks_like_html(text):
        from wxclean.sources import html

        return html.parse(text)
    from wxclean.sources import dump

    return dump.parse(text)


def first_parts(src: str, parts: Callable[[int], int], limit: int | None) -> tuple[str, bool]:
    """``src`` cut where ``parts(end)`` (the parts in ``src[:end]``) first reaches ``limit``,
    and whether it was cut (not when only blank text would go). The place is found by
    bisection over C-level counts: no Python loop per part."""
    if limit is None or parts(len(src)) < limit:
        return src, False
    lo, hi = 0, len(src)
    while lo < hi:  # the shortest prefix holding `limit` parts
        mid = (lo + hi) // 2
        if parts(mid) < limit:
            lo = mid + 1
        else:
            hi = mid
    if not src[lo:].strip():  # only blank lines after: nothing was cut
        return src, False
    return src[: lo - 1], True
