"""Turn a parsed article body (an lxml element) into :class:`~wxclean.model.Block` objects.

WeChat wraps paragraphs in nested ``section``/``span``/``p``; one block is made per visual
paragraph: each block-level leaf (``p``, ``section``, ``div`` ...) and each ``br``-separated
line becomes one paragraph, never one block per text node nor one block for the whole body.
Headings, lists, blockquotes, tables and code snippets become typed blocks whose ``md`` is
markdown and whose ``text`` is plain text. Images become image blocks; embedded audio,
video and cards become short ``media`` placeholders.

Elements named in :data:`wxclean.selectors.CHROME` are skipped and recorded as removals.
What the walker deliberately leaves alone: the wording of the text (the shared text filters
run after the adapter) and anything it is unsure about (unknown tags are walked as inline).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lxml import etree
from lxml.html import HtmlElement

from wxclean import rules, selectors
from wxclean.model import Block, BlockKind, Link, Removal, paragraph_block
from wxclean.sources.dump import fenced_code, list_item_md, table_md
from wxclean.text import percent

FILTER = "html_structure"

_BLOCK = frozenset(
    {
        "p", "div", "section", "article", "header", "footer", "center", "figure", "figcaption", "dl", "dt", "dd",
        "address", "fieldset", "form", "main", "aside", "nav", "details", "summary", "tr", "caption", "body",
        "html", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "table", "hr",
    }
)
BLOCK_TAGS = _BLOCK
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# every character str.split() splits on (NBSP, U+3000, U+2028, NEL ...), as the dump reader's words
_SPACES = re.compile(r"\s+")
# zero-width characters and C0 controls (but tab and line ends), which no reader sees
# (U+FFFD too: what undecodable bytes became, as the dump reader drops it)
_INVISIBLE = re.compile(f"[{rules.ZERO_WIDTH}\ufffd{rules.CONTROLS}\x7f]")
_HIDDEN = re.compile(r"display\s*:\s*none", re.IGNORECASE)
# a property of an inline style (``width: 300px`` at the start or after ``;`` or a space, not
# ``max-width``): the name first and the look-behind after it, so the engine jumps between
# names (4x faster than opening with the alternation; WeChat's editor writes them lowercase)
_PX = re.compile(r"width(?<![^;\s]width)\s*:\s*(\d+(?:\.\d+)?)px")
_PX_H = re.compile(r"height(?<![^;\s]height)\s*:\s*(\d+(?:\.\d+)?)px")
# markdown syntax in a text: backslash-escaped (a "~" only in a run: "~~" is strikethrough,
# a lone one is text); an "&" that could start a character reference written as "&amp;"; a
# "<" that could open a tag as "&#60;" (the dump reader strips a dump's own markup, written
# "&lt;" by the renderer, but never a character reference's: "<span style=…>" in a page's
# text stays text)
_MD_ESCAPE = re.compile(r"([\\`*_\[\]]|~(?=~)|(?<=~)~)|&(?=[#A-Za-z])|<(?=[A-Za-z/!?])")
_MD_TRIGGER = re.compile(r"[\\`*_\[\]~&<]")  # every character _MD_ESCAPE may escape


def squash(s: str) -> str:
    """Whitespace runs to one space; zero-width and control characters removed (text of one line)."""
    if _INVISIBLE.search(s):  # rare: a search is a C scan, str.translate a dict lookup per character
        s = _INVISIBLE.sub("", s)
    return _SPACES.sub(" ", s)


def _md_escape(s: str) -> str:
    # one scan for any of the characters first, with a plain class (the escape pattern's
    # alternation and look-arounds scan a line of Chinese text 6x slower; a generator over
    # the characters cost 1 us a piece)
    return _MD_ESCAPE.sub(_escaped, s) if _MD_TRIGGER.search(s) else s


def _escaped(m: re.Match[str]) -> str:
    char = m.group(1)
    if char is None:
        return "&amp;" if m.group(0) == "&" else "&#60;"
    return "\\" + char


# --- URLs ---------------------------------------------------------------------------------

_MD_URL_UNSAFE = re.compile(r"[\s()<>\[\]\\\x00-\x1f\x7f]")


def md_url(url: str) -> str:
    """``url`` as a markdown link target: whitespace, parentheses, square and angle brackets,
    backslashes and control characters percent-encoded, so that the target cannot end early
    (and what follows it turn into a second link) nor break the line, and a dump reader takes
    it for a target again (a bracket inside one reads as text)."""
    if _MD_URL_UNSAFE.search(url) is None:
        return url
    return _MD_URL_UNSAFE.sub(percent, url)


_WX_KEEP = ("__biz", "mid", "idx", "sn")


def canonical_url(url: str) -> str:
    """A WeChat article URL (``mp.weixin.qq.com/s?...``) reduced to ``__biz, mid, idx, sn``;
    any other URL returned unchanged (``&amp;`` undone)."""
    url = url.strip().replace("&amp;", "&")
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.netloc.lower().endswith("mp.weixin.qq.com") and parts.path in ("/s", "/s/", "/mp/appmsg/show"):
        q = dict(parse_qsl(parts.query, keep_blank_values=True))
        kept = [(k, q[k]) for k in _WX_KEEP if q.get(k)]
        if kept:
            return urlunsplit(("https", "mp.weixin.qq.com", "/s", urlencode(kept, safe="=/+"), ""))
    if parts.netloc.lower().endswith("mp.weixin.qq.com") and parts.path.startswith("/s/"):
        return urlunsplit(("https", "mp.weixin.qq.com", parts.path, "", ""))
    return url


def link_url(href: str | None) -> str | None:
    """A content link's URL in canonical form, or None for ``javascript:``, anchors and the like."""
    if not href:
        return None
    href = href.strip()
    if href.startswith("//"):
        href = "https:" + href
    if not href.lower().startswith(("http://", "https://")):
        return None
    return canonical_url(href)


_LAZY_PARAMS = re.compile(r"&(?:amp;)?(?:tp=webp|wxfrom=\d+|wx_lazy=\d+|wx_co=\d+)")
_PLACEHOLDER_SRC = re.compile(r"^data:|/1x1|spacer\.gif|pixel\.gif|blank\.gif", re.IGNORECASE)


def image_url(img: HtmlElement) -> str:
    """The image's real URL: ``data-src``, ``data-actualsrc``, ``data-srv``, then ``src`` unless
    it is a ``data:`` or 1x1 placeholder. ``wx_fmt`` and the rest of the query are kept; the
    lazy-load decorations a browser adds to ``src`` (``tp=webp``, ``wxfrom``, ``wx_lazy``) are not."""
    for attr in ("data-src", "data-actualsrc", "data-srv", "data-original", "src"):
        v = img.get(attr)
        if v and v.strip() and not _PLACEHOLDER_SRC.search(v.strip()):
            url = v.strip()
            if url.startswith("//"):
                url = "https:" + url
            if attr == "src" and "wx_lazy=" in url:
                url = _LAZY_PARAMS.sub("", url)
            return str(url)
    return ""


def _number(v: str | None) -> float | None:
    if not v:
        return None
    try:
        return float(v.strip().removesuffix("px"))
    except ValueError:
        return None


_Sizes = tuple[float | None, float | None, float | None, float | None]


def _sizes(img: HtmlElement) -> _Sizes:
    """``(natural width, shown width, shown height, height / width)`` of an ``img`` from
    ``data-w``, the ``width``/``height`` attributes or inline style (px only), ``data-ratio``;
    None for what the markup does not say."""
    style = img.get("style") or ""
    m = _PX.search(style) if "width" in style else None
    shown_w = float(m.group(1)) if m else _number(img.get("width"))
    h = _PX_H.search(style) if "height" in style else None
    shown_h = float(h.group(1)) if h else _number(img.get("height"))
    return _number(img.get("data-w")), shown_w, shown_h, _number(img.get("data-ratio"))


_QR_WORDS = ("qrcode", "qr_code", "二维码", "qr-code", "qrCode")
_ICON_HOSTS = ("res.wx.qq.com", "mmbiz.qlogo.cn/mmbiz_svg", "wx.qlogo.cn/mmhead", "mmbiz.qpic.cn/mmbiz_svg")
#: words of a line that tells the reader to scan the picture next to it
_QR_TEXT = re.compile(r"二维码|扫码|扫一扫|长按识别|识别图中|扫描.{0,4}(?:上方|下方|图)")


def image_problem(img: HtmlElement, url: str, sizes: _Sizes | None = None) -> str | None:
    """Why an ``img`` is not a content image, or None.

    By the ``img`` alone: no real URL, QR code or avatar by name, UI icon host, an icon by
    size (natural width <= 60 px or shown <= 30 px: no content picture of the corpus is
    under 200 px) and a thin separator (height under 5 % of the width, or shown <= 40 px
    high as a strip). What it leaves alone: the image's neighbours (see :func:`_qr_card`).
    """
    if not url:
        return "image placeholder without a real URL"
    if url.lower().startswith(("javascript:", "data:", "about:", "blob:")):
        return "image with a non-http URL"
    hay = " ".join(filter(None, (img.get("alt"), img.get("class"), img.get("id"), img.get("data-type"))))
    if any(w in hay for w in _QR_WORDS) or any(w in url for w in ("qrcode", "/qr/")):
        return "QR code"
    if "avatar" in hay or "/mmhead/" in url or "qlogo.cn/mmhead" in url:
        return "avatar"
    if any(h in url for h in _ICON_HOSTS) or "emoji" in hay or "icon" in hay.split():
        return "UI icon or emoji"
    natural, shown_w, shown_h, ratio = sizes or _sizes(img)
    if (natural is not None and natural <= 60) or (shown_w is not None and shown_w <= 30):
        return "tiny image (icon, bullet or spacer)"
    if (ratio is not None and 0 < ratio < 0.05) or (
        shown_h is not None and shown_h <= 40 and ((ratio is not None and ratio < 0.2) or (shown_w or 0) >= 200)
    ):
        return "thin separator"
    return None


def _qr_card(img: HtmlElement, sizes: _Sizes) -> bool:
    """A square image inside a small card (up to three levels up, at most 200 characters of
    text, no other picture, not the body itself) whose text asks to scan a code
    (长按识别二维码, 扫码 ...): a QR code."""
    _natural, shown_w, shown_h, ratio = sizes
    if ratio is None and shown_w and shown_h:
        ratio = shown_h / shown_w
    if ratio is None or not 0.8 <= ratio <= 1.25:
        return False
    el = img.getparent()
    for _ in range(3):
        if el is None or el.get("id") == "js_content" or len(el.xpath(".//img")) > 1:
            return False  # the card ends where the body or a run of pictures begins
        text = squash(_text_content(el))
        if len(text) > 200:
            return False
        if _QR_TEXT.search(text):
            return True
        el = el.getparent()
    return False


# --- the walker ---------------------------------------------------------------------------

#: the deepest nesting the walker goes into (it recurses a few calls a level); a deeper body
#: is flattened (:func:`flatten_tree`) and walked again. It is above the depth a flattened
#: tree keeps (lists and tables: twice :data:`MAX_DEPTH`), so the second walk always ends.
WALK_DEPTH = 160


class TooDeep(Exception):
    """The body nests deeper than :data:`WALK_DEPTH`."""


@dataclass
class _Line:
    """One visual line of inline content: text pieces, markdown pieces, images in order."""

    items: list[tuple[str, str, str]] = field(default_factory=list)  # ("t", text, md) | ("i", url, alt)
    links: list[Link] = field(default_factory=list)
    image_links: dict[int, Link] = field(default_factory=dict)  # item index -> link around the image


#: what follows a block made of an element's content: an image's (url, alt), or a media block
_After = tuple[str, str] | Block


@dataclass
class Walker:
    """Accumulates blocks and removals while walking one body element."""

    blocks: list[Block] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    lines: list[_Line] = field(default_factory=lambda: [_Line()])
    images_seen: int = 0
    ratios: dict[str, float] = field(default_factory=dict)  # image URL -> height / width, when known
    in_link: int = 0  # anchors open around the node being walked
    depth: int = 0  # elements open around the node being walked (see WALK_DEPTH)

    # -- output helpers
    def _add(self, kind: BlockKind, text: str, md: str, **kw: object) -> None:
        self.blocks.append(Block(kind, text, md, "body", **kw))  # type: ignore[arg-type]

    def remove(self, el: HtmlElement, reason: str, kind: str, where: str) -> None:
        text = squash(_text_content(el)).strip()
        if kind == "image":
            text = image_url(el)
        self.removed.append(Removal(FILTER, reason, text, kind, where))

    # -- inline buffer
    def text(self, s: str | None, md: str | None = None) -> None:
        if s:
            self.lines[-1].items.append(("t", s, _md_escape(s) if md is None else md))

    def br(self) -> None:
        self.lines.append(_Line())

    def image(self, img: HtmlElement) -> None:
        url = image_url(img)
        sizes = _sizes(img)  # (read once: an image's attributes are asked three times)
        why = image_problem(img, url, sizes)
        if why is None and _qr_card(img, sizes):
            why = "QR code (square image in a 扫码 card)"
        if why:
            self.remove(img, why, "image", "img")
            return
        alt = squash(img.get("alt") or "").strip()
        self.lines[-1].items.append(("i", url, alt))
        _natural, shown_w, shown_h, ratio = sizes
        if ratio is None and shown_w and shown_h:
            ratio = shown_h / shown_w
        if ratio is not None and ratio > 0:
            self.ratios.setdefault(url, ratio)

    def flush(self) -> None:
        """Emit the buffered lines as paragraphs and image blocks."""
        lines, self.lines = self.lines, [_Line()]
        for line in lines:
            if not line.items:
                continue
            if all(k == "t" for k, _, _ in line.items):  # the usual line: text only, one paragraph
                self._paragraph(line.items, line.links)
                continue
            has_text = any(k == "t" and v.strip() for k, v, _ in line.items)
            if not has_text:
                for i, (k, url, alt) in enumerate(line.items):
                    if k == "i":
                        self._image_block(url, alt, line.image_links.get(i))
                continue
            self._text_line(line)

    def _image_block(self, url: str, alt: str, link: Link | None = None) -> None:
        self.images_seen += 1
        md = f"![{_md_escape(alt)}]({md_url(url)})"
        if link is not None:
            md = f"[{md}]({md_url(link.url)})"
        self._add("image", "", md, url=url, alt=alt, links=(link,) if link else (), ratio=self.ratios.get(url, 0.0))

    def _text_line(self, line: _Line) -> None:
        items = line.items
        # an image with text on both sides of it in one line is an emoji or sticker
        text_idx = [i for i, (k, v, _) in enumerate(items) if k == "t" and v.strip()]
        first, last = text_idx[0], text_idx[-1]
        segment: list[tuple[str, str, str]] = []
        for i, item in enumerate(items):
            if item[0] == "i":
                if first < i < last:
                    self.removed.append(Removal(FILTER, "emoji or sticker inside a sentence", item[1], "image", "img"))
                    continue
                self._paragraph(segment, line.links)
                segment = []
                self._image_block(item[1], item[2], line.image_links.get(i))
            else:
                segment.append(item)
        self._paragraph(segment, line.links)

    def _paragraph(self, items: list[tuple[str, str, str]], links: list[Link]) -> None:
        text = squash("".join([v for _, v, _ in items])).strip()
        if not text:
            return
        md = squash("".join([m for _, _, m in items])).strip()
        mine = tuple(lk for lk in links if lk.text and lk.text in text) or (tuple(links) if len(items) else ())
        links.clear()
        self.blocks.append(paragraph_block(text, md, "body", mine))

    # -- the walk
    def walk(self, el: HtmlElement) -> None:
        """Walk ``el``'s children (``el`` itself is the body root: never dropped)."""
        self.text(_clean(el.text))
        for child in el:
            self._node(child)
            self.text(_clean(child.tail))
        self.flush()

    def _node(self, el: HtmlElement) -> None:
        tag = el.tag
        if not isinstance(tag, str):  # comment or processing instruction
            return
        self._enter()
        self._element(el, tag.lower())
        self.depth -= 1

    def _enter(self) -> None:
        """One level deeper; past :data:`WALK_DEPTH`, :class:`TooDeep` (the walk restarts on a
        flattened tree, see :func:`body_blocks`). After a raise the walker is dropped, so
        nothing counts the levels back down."""
        self.depth += 1
        if self.depth > WALK_DEPTH:
            raise TooDeep

    def _element(self, el: HtmlElement, tag: str) -> None:
        ident = el.get("id")
        cls = el.get("class")
        row = selectors.match(tag, ident, cls)
        if row is not None:
            self.remove(el, row.reason, row.kind, row.selector)
            return
        media = _media_label(tag, cls)
        if media is not None:
            self.flush()
            self._media(el, tag, media)
            return
        style = el.get("style")
        if style and "none" in style and _HIDDEN.search(style):
            if squash(_text_content(el)).strip() or el.find(".//img") is not None:
                self.remove(el, "element hidden with display:none", "hidden", f"{tag}[style*=display:none]")
            return
        if tag == "img":
            self.image(el)
            return
        if tag == "br":
            self.br()
            return
        if tag not in _BLOCK:
            self._inline(el, tag)
            return
        self.flush()
        if tag in _HEADINGS:
            self._heading(el, _HEADINGS[tag])
        elif tag in ("ul", "ol"):
            self._list(el, tag == "ol", 0)
        elif tag == "blockquote":
            self._quote(el)
        elif tag == "pre" or (
            cls and "code-snippet" in cls and el.find(".//pre") is None and el.find(".//code") is not None
        ):
            self._code(el)
        elif tag == "table":
            self._table(el)
        elif tag == "hr":
            self._add("paragraph", "", "---")
        else:
            if cls and "code-snippet__fix" in cls:
                pre = el.find(".//pre")
                if pre is not None:
                    self._code(pre, lang=cls)
                    return
            self.walk(el)

    def _inline(self, el: HtmlElement, tag: str) -> None:
        if tag == "a":
            self._anchor(el)
            return
        strong = tag in ("strong", "b")
        start_line = len(self.lines)
        start_item = len(self.lines[-1].items)
        self.text(_clean(el.text))
        for child in el:
            self._node(child)
            self.text(_clean(child.tail))
        if strong and len(self.lines) == start_line:
            self._emphasise(start_item)

    def _emphasise(self, start: int) -> None:
        """Wrap the markdown of the pieces added since ``start`` in ``**`` (one line only)."""
        items = self.lines[-1].items
        if start >= len(items) or any(k != "t" for k, _, _ in items[start:]):
            return
        md = "".join(m for _, _, m in items[start:])
        if not md.strip():
            return
        lead = md[: len(md) - len(md.lstrip())]
        trail = md[len(md.rstrip()) :]
        text = "".join(v for _, v, _ in items[start:])
        del items[start:]
        items.append(("t", text, f"{lead}**{md.strip()}**{trail}"))

    def _anchor(self, el: HtmlElement) -> None:
        # an anchor inside an anchor (which a browser never nests) is its text: the outer one links it
        url = None if self.in_link else link_url(el.get("href"))
        start_line = len(self.lines)
        start_item = len(self.lines[-1].items)
        self.in_link += 1
        try:
            self.text(_clean(el.text))
            for child in el:
                self._node(child)
                self.text(_clean(child.tail))
        finally:
            self.in_link -= 1
        if url is None:
            return
        if len(self.lines) != start_line:
            # a link around several lines (a <br> inside): it goes with its first line of text
            for k in range(start_line - 1, len(self.lines)):
                if self._link_items(self.lines[k], start_item if k == start_line - 1 else 0, url):
                    break
            return
        items = self.lines[-1].items
        if any(k != "t" for k, _, _ in items[start_item:]):
            for i in range(start_item, len(items)):
                if items[i][0] == "i":
                    self.lines[-1].image_links[i] = Link(url, "")
            return
        text = squash("".join(v for _, v, _ in items[start_item:])).strip()
        if not text:
            return
        md = squash("".join(m for _, _, m in items[start_item:])).strip()
        del items[start_item:]
        items.append(("t", text, _link_md(md, url)))
        self.lines[-1].links.append(Link(url, text))

    def _link_items(self, line: _Line, start: int, url: str) -> bool:
        """Make the text pieces of ``line`` from ``start`` on one link to ``url``; False when
        they hold no text (or an image)."""
        items = line.items
        if start >= len(items) or any(k != "t" for k, _, _ in items[start:]):
            return False
        text = squash("".join(v for _, v, _ in items[start:])).strip()
        if not text:
            return False
        md = squash("".join(m for _, _, m in items[start:])).strip()
        del items[start:]
        items.append(("t", text, _link_md(md, url)))
        line.links.append(Link(url, text))
        return True

    def _media(self, el: HtmlElement, tag: str, label: str) -> None:
        name = ""
        names = ("name", "music_name", "data-title", "data-nickname", "data-miniprogram-title", "title", "data-name")
        for attr in names:
            v = el.get(attr)
            if v and v.strip():
                name = squash(v).strip()
                break
        singer = el.get("singer") or el.get("author") or ""
        if name and singer and label in ("音乐", "音频") and singer.strip() not in name:
            name = f"{name} - {squash(singer).strip()}"
        url = ""
        for attr in ("data-src", "src", "audiourl", "data-url"):
            v = el.get(attr)
            if v and v.strip().lower().startswith(("http://", "https://", "//")):
                url = v.strip()
                if url.startswith("//"):
                    url = "https:" + url
                break
        fileid = el.get("voice_encode_fileid")
        if not url and fileid:
            url = f"https://res.wx.qq.com/voice/getvoice?mediaid={fileid}"
        shown = f"{label}: {name}" if name else label
        md = f"[{_md_escape(shown)}]({md_url(url)})" if url else f"[{_md_escape(shown)}]"
        self._add("media", "", md, url=url, alt=name, source=tag)

    def _sub_blocks(self, el: HtmlElement, skip_lists: bool = False) -> list[Block]:
        """The blocks of ``el``'s content, each block child a line of its own (its removals recorded here)."""
        sub = Walker(in_link=self.in_link, depth=self.depth)
        sub.text(_clean(el.text))
        for child in el:
            ctag = child.tag if isinstance(child.tag, str) else ""
            if skip_lists and ctag in ("ul", "ol"):
                sub.text(_clean(child.tail))
                continue
            if (ctag in _BLOCK and ctag not in ("ul", "ol", "table", "pre", "blockquote")) or ctag in _HEADINGS:
                sub.br()
                sub._enter()  # (a level, as _node counts one)
                sub._inline(child, ctag)
                sub.depth -= 1
                sub.br()
            else:
                sub._node(child)
            sub.text(_clean(child.tail))
        sub.flush()
        self.removed.extend(sub.removed)
        return sub.blocks

    def _collect(self, el: HtmlElement, skip_lists: bool = False) -> tuple[str, str, list[Link], list[_After]]:
        """Plain text, markdown and links of ``el`` with block children as line breaks, and
        what goes after the block made of them: its images and media (a media placeholder
        inside a heading or cell would read back as the heading's text)."""
        texts: list[str] = []
        mds: list[str] = []
        links: list[Link] = []
        after: list[_After] = []
        for b in self._sub_blocks(el, skip_lists):
            if b.kind == "image":
                after.append((b.url, b.alt))
            elif b.text:
                texts.append(b.text)
                mds.append(_inline_md(b))
                links.extend(b.links)
            elif b.kind == "media":
                after.append(b)
        return "\n".join(texts), "\n".join(mds), links, after

    def _emit_images(self, after: list[_After]) -> None:
        """The images (``(url, alt)``) and media blocks that follow a block."""
        for item in after:
            if isinstance(item, Block):
                self.blocks.append(item)
            else:
                self._image_block(*item)

    def _heading(self, el: HtmlElement, level: int) -> None:
        text, md, links, images = self._collect(el)
        if text:
            one = " ".join(text.split())  # (one line, its spaces as a markdown reader reads them)
            md = _open_end(" ".join(md.split("\n")))
            self._add("heading", one, "#" * level + " " + md, level=level, links=tuple(links))
        self._emit_images(images)

    def _list(self, el: HtmlElement, ordered: bool, depth: int) -> None:
        self._enter()
        self._items(el, ordered, depth)
        self.depth -= 1

    def _items(self, el: HtmlElement, ordered: bool, depth: int) -> None:
        n = 0
        for li in el:
            if not isinstance(li.tag, str):
                continue
            if li.tag not in ("li",):
                if li.tag in ("ul", "ol"):
                    self._list(li, li.tag == "ol", depth + 1)
                else:
                    self._node(li)
                    self.flush()
                continue
            n += 1
            text, md, links, images = self._collect(li, skip_lists=True)
            if text:
                self._list_item(text, md, links, "  " * depth, n if ordered else 0)
            self._emit_images(images)
            for sub in li:
                if isinstance(sub.tag, str) and sub.tag in ("ul", "ol"):
                    self._list(sub, sub.tag == "ol", depth + 1)

    def _list_item(self, text: str, md: str, links: list[Link], pad: str, number: int) -> None:
        """A list item: its first line a list block, each further line a paragraph indented
        under it, as a markdown reader reads them back (so a filter judges each line alike)."""
        for k, (t, mds, own) in enumerate(_line_pairs(text, md, links)):
            md_out = "".join("\n" + pad + "   " + x for x in mds[1:])
            if k == 0:
                if number:  # an ordered item's number is part of what it says (as a dump's reader reads it)
                    t = f"{number}. {t}"
                self._add("list", t, pad + list_item_md(mds[0], number) + md_out, level=number, links=own)
            elif t.strip():
                self._add("paragraph", t, pad + "   " + mds[0] + md_out, links=own)

    def _quote(self, el: HtmlElement) -> None:
        """One quote block per line of the quote, as a markdown reader reads ``> line`` lines
        (so a filter judges each line, here and when the output is cleaned again); the
        quote's media as they are, its images after it."""
        images: list[_After] = []
        for b in self._sub_blocks(el):
            if b.kind == "image":
                images.append((b.url, b.alt))
            elif b.text:
                for text, mds, own in _line_pairs(b.text, _inline_md(b), b.links):
                    if text.strip():
                        self._add("quote", text, "\n".join("> " + x for x in mds), links=own)
            elif b.kind == "media":
                self.blocks.append(b)
        self._emit_images(images)

    def _code(self, el: HtmlElement, lang: str | None = None) -> None:
        for gutter in el.xpath('.//*[contains(@class, "code-snippet__line-index")]'):
            self.remove(gutter, "line-number gutter of a code snippet", "code", ".code-snippet__line-index")
            gutter.drop_tree()
        codes = [c for c in el if isinstance(c.tag, str) and c.tag == "code"]
        body = "\n".join(_pre_text(c) for c in codes) if len(codes) >= 2 else _pre_text(el)
        # spaces and line ends as a markdown reader normalises every line (NBSP and U+3000 to
        # a space, trailing spaces dropped): the code reads the same when cleaned again
        body = _INVISIBLE.sub("", body).replace("\u00a0", " ").replace("\u3000", " ")
        body = "\n".join(line.rstrip() for line in body.split("\n")).strip("\n")
        if not body.strip():
            return
        language = el.get("data-lang") or ""
        if not language and lang:
            m = re.search(r"code-snippet__(\w+)", lang.replace("code-snippet__fix", ""))
            language = m.group(1) if m else ""
        self._add("code", body, fenced_code(body, language))

    def _table(self, el: HtmlElement) -> None:
        rows: list[list[str]] = []
        md_cells: list[list[str]] = []  # the cells as markdown: links kept, text's syntax escaped
        links: list[Link] = []
        images: list[_After] = []
        for tr in _own_rows(el):
            row = []
            row_md = []
            for cell in tr:
                if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                    continue
                text, md, cell_links, cell_images = self._collect(cell)
                row.append(" ".join(text.split()))  # (one line, its spaces as a reader of the table reads them)
                row_md.append(" ".join(md.split("\n")) if text else "")
                links.extend(cell_links)
                images.extend(cell_images)
            if any(row):
                rows.append(row)
                md_cells.append(row_md)
        if rows:
            text = "\n".join(" ".join(c for c in r if c) for r in rows)
            self._add("table", text, table_md(md_cells), links=tuple(links))
        self._emit_images(images)


def _line_pairs(
    text: str, md: str, links: Sequence[Link]
) -> list[tuple[str, list[str], tuple[Link, ...]]]:
    """Each line of a block's text with its markdown line and the links that line spells out
    (what no line spells out goes with the last); one entry with all the markdown lines when
    text and markdown do not pair up line by line. The text's spaces are collapsed, as a
    markdown reader reads a quote's or an item's line (code nested there keeps none)."""
    texts, mds = [" ".join(t.split()) for t in text.split("\n")], md.split("\n")
    if len(texts) != len(mds):
        return [("\n".join(texts), mds, tuple(links))]
    out: list[tuple[str, list[str], tuple[Link, ...]]] = []
    rest = list(links)
    for k, (t, m) in enumerate(zip(texts, mds, strict=True)):
        own = rest if k == len(texts) - 1 else [link for link in rest if f"]({md_url(link.url)})" in m]
        rest = [link for link in rest if link not in own]
        out.append((t, [m], tuple(own)))
    return out


_LIST_MARK = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")


def _inline_md(b: Block) -> str:
    """The markdown of a block nested inside a heading, quote, list item or table cell, as
    inline content: without the heading's ``#`` or the bullet (an ordered item keeps its number,
    which its text holds too), code as escaped text. What a markdown reader reads back from
    it is then the block's text, not a heading or list of its own."""
    if b.kind == "heading":
        return b.md.lstrip("#").lstrip(" ")
    if b.kind == "list":
        if b.level:  # "1. item": the number is part of the text
            return b.md.lstrip(" ")
        m = _LIST_MARK.match(b.md)
        return b.md[m.end() :] if m else b.md
    if b.kind == "quote":
        return "\n".join(line.removeprefix(">").lstrip(" ") for line in b.md.split("\n"))
    if b.kind in ("code", "table"):
        return _md_escape(b.text)
    return b.md


def _open_end(md: str) -> str:
    """A heading's markdown whose text ends in a run of ``#`` after a space (``， #``) with
    that run's first ``#`` escaped: a markdown reader takes such a run for the heading's
    closing sequence and drops it."""
    body = md.rstrip()
    if not body.endswith("#"):
        return md
    start = len(body.rstrip("#"))
    if start and not body[start - 1].isspace():
        return md  # "C#": no closing sequence
    return body[:start] + "\\" + body[start:]


def _link_md(text_md: str, url: str) -> str:
    """``[text](url)``; a bracket or backslash of the text (escaped as ``\\[``, ``\\\\``) as
    a character reference, which a link's text holds without ending it early."""
    if "\\" in text_md:
        text_md = _LINK_TEXT_ESCAPE.sub(_as_reference, text_md)
    return f"[{text_md}]({md_url(url)})"


_LINK_TEXT_ESCAPE = re.compile(r"\\([\\\[\]])")
_REFERENCES = {"\\": "&#92;", "[": "&#91;", "]": "&#93;"}


def _as_reference(m: re.Match[str]) -> str:
    return _REFERENCES[m.group(1)]


def _own_rows(table: HtmlElement) -> Iterator[HtmlElement]:
    """The table's own rows (children, or in ``thead``/``tbody``/``tfoot``), not those of a
    table nested in a cell: the cell's walk reads those (reading them here as well repeated
    each nested table's text once per level, and took time exponential in the nesting)."""
    for child in table:
        if child.tag == "tr":
            yield child
        elif child.tag in ("thead", "tbody", "tfoot"):
            for tr in child:
                if tr.tag == "tr":
                    yield tr


def _media_label(tag: str, cls: str | None) -> str | None:
    label = selectors.MEDIA.get(tag)
    if label is None and cls:
        for c in cls.split():
            label = selectors.MEDIA.get(c)
            if label is not None:
                break
    return label


def _clean(s: str | None) -> str | None:
    if not s:
        return None
    return s.replace("\r", "")


def _text_content(el: HtmlElement) -> str:
    try:
        return "".join(_itertext(el))
    except ValueError:
        return ""


def _itertext(el: HtmlElement) -> Iterator[str]:
    yield from el.itertext()


def _pre_text(el: HtmlElement) -> str:
    """Text of a code element with ``br`` as line breaks and a line break before a ``p``,
    ``div`` or ``section`` that does not start a line (the gutters are dropped before).
    Comments give only their tails. Iterative: any depth is fine."""
    parts: list[str] = [el.text] if el.text else []
    walk = etree.iterwalk(el, events=("start", "end"))
    for event, node in walk:
        if node is el:
            continue
        if event == "end":
            if node.tail:
                parts.append(node.tail)
            continue
        tag = node.tag
        if not isinstance(tag, str):
            continue
        if tag == "br":
            parts.append("\n")
            walk.skip_subtree()
            continue
        if tag in ("p", "div", "section") and parts and not parts[-1].endswith("\n"):
            parts.append("\n")
        if node.text:
            parts.append(node.text)
    return "".join(parts)


def body_blocks(root: HtmlElement) -> tuple[list[Block], list[Removal]]:
    """Blocks and removals of a body element; never raises on odd markup."""
    w = Walker()
    try:
        w.walk(root)
    except (TooDeep, RecursionError):  # nesting deeper than the walk goes: walk it flattened
        try:
            flatten_tree(root)
        except (ValueError, TypeError, etree.LxmlError):  # pragma: no cover - defensive: keep what we have
            w.flush()
            return _qr_above(w.blocks, w.removed)
        w = Walker()
        try:
            w.walk(root)
        except (TooDeep, RecursionError, ValueError, TypeError, etree.LxmlError):  # pragma: no cover - defensive
            w.flush()
    except (ValueError, TypeError, etree.LxmlError):  # pragma: no cover - defensive: keep what we have
        w.flush()
    return _qr_above(w.blocks, w.removed)


#: the deepest nesting kept by :func:`flatten_tree` (lists and tables: twice as deep)
MAX_DEPTH = 64


def flatten_tree(root: HtmlElement, limit: int = MAX_DEPTH) -> None:
    """Flatten, in place, every element at depth ``limit`` below ``root``: its descendants
    are replaced by their text, images and line breaks in document order (a ``br`` on each
    side of a block element, so that paragraphs stay apart). Iterative and linear, so any
    depth is fine; the text and the images all stay (script and style text does not)."""
    tops: list[HtmlElement] = []
    depth = 0
    inside = 0  # depth of the chosen element being walked through, 0 when outside one
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            depth += 1
            if inside or depth < limit or not len(el):
                continue
            # a list, table or table part holds text only in its items or cells: flatten from
            # an element that holds text itself (or from any element, far enough down)
            if el.tag not in _STRUCTURED or depth >= 2 * limit:
                tops.append(el)
                inside = depth
        else:
            if depth == inside:
                inside = 0
            depth -= 1
    for top in tops:
        _flatten_one(top)


_STRUCTURED = frozenset({"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "colgroup", "select", "pre"})


_LEAVES = frozenset({"img", "br", "hr"})
_NO_TEXT = frozenset({"script", "style", "noscript", "template"})


def _flatten_one(top: HtmlElement) -> None:
    items: list[str | HtmlElement] = []  # text pieces and new leaf elements, in order
    skip = 0
    for event, el in etree.iterwalk(top, events=("start", "end")):
        if el is top:
            continue
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if skip or tag in _NO_TEXT:
                skip += 1
                continue
            if tag in _LEAVES:
                items.append(top.makeelement(tag, dict(el.attrib)))
            elif tag in _BLOCK:
                items.append(top.makeelement("br", {}))
            if el.text and tag not in _LEAVES:
                items.append(el.text)
        else:
            if skip:
                skip -= 1
                if skip:
                    continue
            elif tag in _BLOCK and tag not in _LEAVES:
                items.append(top.makeelement("br", {}))
            if el.tail:
                items.append(el.tail)
    for child in list(top):
        top.remove(child)
    last: HtmlElement | None = None
    texts: list[str] = [top.text or ""]
    for item in items:
        if isinstance(item, str):
            texts.append(item)
            continue
        if last is None:
            top.text = xml_text("".join(texts)) or None
        else:
            last.tail = xml_text("".join(texts)) or None
        texts = []
        top.append(item)
        last = item
    if last is None:
        top.text = xml_text("".join(texts)) or None
    else:
        last.tail = xml_text("".join(texts)) or None


#: what lxml refuses to set as text (C0 controls but tab and line ends, lone surrogates,
#: U+FFFE/U+FFFF), though its HTML parser can hand such characters out (the surrogates as
#: the regex's escapes: mypyc compiles no string literal that holds one)
XML_REFUSED = re.compile(f"[{rules.CONTROLS}" r"\ud800-\udfff\ufffe\uffff]")


def xml_text(s: str) -> str:
    """``s`` without the characters lxml refuses to set as an element's text."""
    return XML_REFUSED.sub("", s) if XML_REFUSED.search(s) else s


#: a line that tells the reader to scan the picture above it
_QR_ABOVE = re.compile(r"(?:扫描|识别|长按|扫)(?:上方|上图|以上)|(?:上方|上图).{0,8}二维码")


def _qr_above(blocks: list[Block], removed: list[Removal]) -> tuple[list[Block], list[Removal]]:
    """Drop an image whose next line says to scan the picture above (扫描上方图片二维码 ...):
    a QR code, whatever its shape. Images under such a line are left to the shared filters."""
    drop = {
        i
        for i, b in enumerate(blocks[:-1])
        if b.kind == "image" and blocks[i + 1].kind == "paragraph" and _QR_ABOVE.search(blocks[i + 1].text[:80])
    }
    if not drop:
        return blocks, removed
    why = "QR code (the line under it says to scan the picture above)"
    for i in sorted(drop):
        removed.append(Removal(FILTER, why, blocks[i].url, "image", "img"))
    return [b for i, b in enumerate(blocks) if i not in drop], removed
