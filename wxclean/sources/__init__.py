"""Source adapters: input text -> :class:`wxclean.model.Document`.

``to_document`` decides by the input's shape which adapter reads it: HTML pages and
fragments go to :mod:`wxclean.sources.html`, everything else (markdown and plain-text dumps)
to :mod:`wxclean.sources.dump`.
"""

from __future__ import annotations

import re

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


def to_document(text: str) -> Document:
    """Parse ``text`` with the adapter its shape calls for."""
    if looks_like_html(text):
        from wxclean.sources import html

        return html.parse(text)
    from wxclean.sources import dump

    return dump.parse(text)
