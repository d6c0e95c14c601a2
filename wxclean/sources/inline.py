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
# inline HTML that converters leave in a line; other <words> (<pod-name>, <machineKey …>) are text
_TAG = re.compile(
    r"</?(?:a|abbr|b|big|br|center|code|del|div|em|font|h[1-6]|i|img|ins|kbd|mark|p|pre|q|s|section|small|span|"
    r"strike|strong|sub|sup|table|tbody|td|th|thead|tr|tt|u|ul|ol|li|blockquote|hr|figure|figcaption|mp-[\w-]+)"
    r"(?:\s[^<>]{0,2000})?/?>",
    re.IGNORECASE,
)
_EMPH = re.compile(r"(\*\*|__|~~)")
_ITALIC = re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*\n]{1,2000}?)(?<=[^\s*\\])\*(?![\w*])")
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
    if "*" in s:
        s = _ITALIC.sub(r"\1", s)
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


# an image, optionally wrapped in a link: [![alt](img)](href)
_ANY_IMAGE = re.compile(
    r"\[(?P<inner>!\[[^\]\n]{0,500}\]\([^)\s]*(?:\s+\"[^\"\n]*\")?\))\]\((?P<href>[^)\s]*)\)"
    r"|!\[[^\]\n]{0,500}\]\([^)\s]*(?:\s+\"[^\"\n]*\")?\)"
)


def split_images(md: str) -> list[tuple[str, str, str, str, str]]:
    """Split a line into ordered pieces ``("image", alt, url, href, raw)`` and
    ``("text", md, "", "", raw)``; ``raw`` is the piece exactly as it stands in the line.

    ``href`` is the link around an image (``[![](img)](href)``), else "". Text pieces that
    hold nothing visible are dropped.
    """
    pieces: list[tuple[str, str, str, str, str]] = []
    pos = 0
    for m in _ANY_IMAGE.finditer(md):
        before = md[pos : m.start()]
        if before.strip() and plain(before):
            pieces.append(("text", before.strip(), "", "", before.strip()))
        im = IMAGE.match(m.group("inner") or m.group(0))
        assert im is not None
        pieces.append(("image", im.group("alt"), im.group("url"), m.group("href") or "", m.group(0)))
        pos = m.end()
    rest = md[pos:]
    if rest.strip() and (plain(rest) or not pieces):
        pieces.append(("text", rest.strip(), "", "", rest.strip()))
    return pieces
