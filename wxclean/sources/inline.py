"""Inline markdown: split a dump line into images and text, and turn markdown into plain text.

Only the inline syntax that converters of WeChat pages emit is handled: images, links,
bold/italic markers, inline code, backslash escapes and stray inline HTML tags. Block
syntax (headings, lists, quotes, fences, tables) is the dump adapter's business.
"""

from __future__ import annotations

import html
import re
import unicodedata

from wxclean.model import Link

# an image; the URL part may carry a "title" (wechatmp2markdown writes `![](url "")`)
IMAGE = re.compile(r"!\[(?P<alt>[^\]\n]{0,500})\]\((?P<url>[^)\s]*)(?:\s+\"[^\"\n]*\")?\)")
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]\n]{0,2000})\]\((?P<url>[^)\s]*)(?:\s+\"[^\"\n]*\")?\)")
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,2000}>")
_EMPH = re.compile(r"(\*\*|__|~~)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_CODE = re.compile(r"`([^`\n]+)`")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u2009]+")


def normalise_line(line: str) -> str:
    """NBSP and other odd spaces to one space, zero-width characters removed, NFC."""
    if not line.isascii():
        line = unicodedata.normalize("NFC", line.translate(_ZERO_WIDTH))
        line = line.replace("\u00a0", " ").replace("\u3000", " ")
    return line.rstrip()


def plain(md: str) -> str:
    """The visible text of an inline-markdown string: link text kept, syntax dropped."""
    s = IMAGE.sub("", md)
    s = LINK.sub(lambda m: m.group("text"), s)
    if "<" in s:
        s = _TAG.sub("", s)
    s = _CODE.sub(r"\1", s)
    s = _EMPH.sub("", s)
    if "\\" in s:
        s = _ESCAPE.sub(r"\1", s)
    if "&" in s:
        s = html.unescape(s)
    return _SPACES.sub(" ", s).strip()


def links(md: str) -> tuple[Link, ...]:
    """The http(s) links of an inline-markdown string, in order."""
    out = []
    for m in LINK.finditer(md):
        url = m.group("url")
        if url.startswith(("http://", "https://")):
            out.append(Link(url, plain(m.group("text"))))
    return tuple(out)


_LINKED_IMAGE = re.compile(r"\[(!\[[^\]\n]{0,500}\]\([^)\s]*(?:\s+\"[^\"\n]*\")?\))\]\([^)\s]*\)")


def unwrap_linked_images(md: str) -> str:
    """``[![alt](img)](href)`` -> ``![alt](img)``: the picture is what the reader sees."""
    return _LINKED_IMAGE.sub(r"\1", md) if "[![" in md else md


def split_images(md: str) -> list[tuple[str, str, str]]:
    """Split a line into ordered pieces ``("image", alt, url)`` and ``("text", md, "")``.

    Text pieces that hold nothing visible are dropped; an image inside a link
    (``[![](img)](href)``) counts as the image.
    """
    pieces: list[tuple[str, str, str]] = []
    pos = 0
    for m in IMAGE.finditer(md):
        before = md[pos : m.start()]
        if before.strip() and plain(before):
            pieces.append(("text", before.strip(), ""))
        pieces.append(("image", m.group("alt"), m.group("url")))
        pos = m.end()
    rest = md[pos:]
    if rest.strip() and (plain(rest) or not pieces):
        pieces.append(("text", rest.strip(), ""))
    return pieces
