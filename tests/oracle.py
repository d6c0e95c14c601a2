"""The safety oracle that the robustness tests and the fuzz target share: what in cleaned
markdown a CommonMark renderer (markdown-it-py, the reference parser's Python port) would
turn into live HTML, and which URLs are unsafe.

It parses the markdown the way a reader's renderer does instead of guessing at code spans
with a pattern: raw HTML (``html_inline`` / ``html_block`` tokens) anywhere, and the target of
every link and image, reference-style and autolinks included. The renderer's own link check
is switched off so that every target is seen, not only those it would let through.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")

_RENDERER = MarkdownIt("commonmark")
_RENDERER.validateLink = lambda url: True  # type: ignore[method-assign]  # see every target


def unsafe_target(url: str) -> bool:
    """A link target a browser would run or load as something other than http(s)/relative."""
    u = _INVISIBLE.sub("", url).lower()
    m = _SCHEME.match(u)
    return m is not None and m.group(1) not in ("http", "https")


def safe_url(url: str) -> bool:
    """An http(s) URL or a relative path (the bar for Article.images/links)."""
    if url.startswith(("http://", "https://")):
        return True
    return bool(url) and not url.startswith("//") and not unsafe_target(url) and ":" not in url.split("/")[0]


def live_html(md: str) -> list[str]:
    """What in ``md`` a CommonMark renderer would turn into live HTML: raw tags, and link or
    image targets with a scheme other than http(s). Empty when the markdown is safe."""
    found: list[str] = []

    def visit(tokens: list[Token]) -> None:
        for tok in tokens:
            if tok.type in ("html_inline", "html_block"):
                found.append(tok.content)
            elif tok.type in ("link_open", "image"):
                target = str(tok.attrGet("href") or tok.attrGet("src") or "")
                if unsafe_target(target):
                    found.append(target)
            if tok.children:
                visit(tok.children)

    env: dict[str, dict[str, dict[str, str]]] = {}
    visit(_RENDERER.parse(md, env))
    # a reference definition is a target waiting for a link that may name it later
    found += [ref["href"] for ref in env.get("references", {}).values() if unsafe_target(ref.get("href", ""))]
    return found
