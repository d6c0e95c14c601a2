"""Source adapter for WeChat HTML pages and fragments (first cut: #js_content text only)."""

from __future__ import annotations

from lxml import html as lxml_html

from wxclean.model import Block, Document, Meta


def parse(text: str) -> Document:
    """Blocks from the text of ``#js_content`` (or the whole page when there is none)."""
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8", "surrogatepass"))
    except Exception:
        return Document(meta=Meta(status="empty"), source_type="html")
    found = root.xpath('//*[@id="js_content"]')
    node = found[0] if found else root
    blocks = []
    for k, chunk in enumerate(t.strip() for t in node.itertext()):
        if chunk:
            blocks.append(Block("paragraph", chunk, chunk, "body", pos=k))
    title = (root.findtext(".//title") or "").strip() or None
    return Document(meta=Meta(title=title), blocks=tuple(blocks), source_type="html")
