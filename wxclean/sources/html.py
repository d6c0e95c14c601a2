"""Source adapter for WeChat HTML: full pages (2016-2026 templates), saved live DOMs and
``#js_content`` fragments.

How a page is read, cheapest first (a full page is 0.1-4 MB, mostly inline script):

1. the page's bytes are walked once from ``<`` to ``<`` (:class:`~wxclean.sources.html_scan.PageScan`):
   the ``<meta>`` tags of the head, ``<body>``, the ``#js_content`` element (sliced by its
   matching end tag, never walked inside) and the scripts that open with the metadata
   variables (``ct = "<unix time>"``), ``window.cgiDataNew`` or the picture list; the walk
   stops at the last part needed, and only the parts read are decoded (a text page is
   encoded to UTF-8 and read the same way);
2. lxml parses just two slices: the byline region between ``<body>`` and the body, scripts
   left out (title, byline, 原创 mark, repost card), and the body itself, which
   :mod:`~wxclean.sources.html_blocks` turns into blocks (chrome recorded as removals);
3. when a page has no usable ``#js_content`` the body comes from the page's JS data
   (``content_noencode``, ``picture_page_info_list``); a small page without any of that is
   decoded and parsed whole to tell notices (deleted, violation ...) and non-article pages
   apart; a page that is no WeChat page at all goes to readability-lxml, un-hidden first.

The adapter never raises on bad markup: it returns a best-effort Document with an honest
status. It removes chrome by structure only; the shared text filters run after it.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import datetime

from lxml import etree
from lxml import html as lxml_html
from lxml.html import HtmlElement

from wxclean import selectors
from wxclean.model import Block, Document, Kind, Meta, Removal, Status, holds_content
from wxclean.sources import first_parts
from wxclean.sources import html_scan as scan
from wxclean.sources.decode import BIG5
from wxclean.sources.dump import BEIJING, notice_status, parse_date
from wxclean.sources.html_blocks import BLOCK_TAGS, FILTER, body_blocks, canonical_url, squash, xml_text
from wxclean.text import unescape

_KINDS: dict[str, Kind] = {
    "0": "article", "5": "video", "6": "audio", "7": "audio", "8": "image_share", "10": "text_share",
}
_HEAD_REGION_MAX = 200_000  # the byline region before #js_content is < 100 KB in every template
_SMALL_PAGE = 2_000_000  # a page without #js_content is parsed whole only up to this size
_CTA_NAME = re.compile(r"关注|☞|👉|点击|扫码|蓝字")


@dataclass
class _Bound:
    """How many tags a page may hand to the parser and the walker (``None``: no bound), and
    whether some markup was left out for it."""

    limit: int | None
    cut: bool = False


# the bound of the page being read: set by parse() / parse_bytes(), read where markup is
# parsed (_parse_slice, _fallback); a context variable, so threads never share it
_BOUND: ContextVar[_Bound | None] = ContextVar("wxclean_html_bound", default=None)


def _bounded(markup: str) -> str:
    """``markup`` up to its ``limit``-th tag (cut before the next one's ``<``); a slice too
    short to hold more elements than the bound is not counted at all (an element takes three
    characters at the least, ``<p>``: counting the ``<`` of a 3 MB page costs 1 ms, more than
    half of cleaning it). Each tag costs the walker 10-30 µs, so a page of a million empty
    tags would otherwise take minutes and gigabytes."""
    bound = _BOUND.get()
    if bound is None or bound.limit is None or len(markup) <= _MIN_TAG * bound.limit:
        return markup
    if markup.count("<") <= bound.limit:
        return markup
    kept, cut = first_parts(markup, lambda end: markup.count("<", 0, end), bound.limit + 1)
    bound.cut = bound.cut or cut
    return kept


_MIN_TAG = 3  # the fewest characters an element takes ("<p>")


def _with_bound(max_parts: int | None, read: Callable[[], Document]) -> Document:
    """``read()`` with the page's tag bound in force; the Document says truncated when it cut."""
    bound = _Bound(max_parts)
    token = _BOUND.set(bound)
    try:
        doc = read()
    finally:
        _BOUND.reset(token)
    return doc.with_meta(truncated=True) if bound.cut else doc


def parse(text: str, max_parts: int | None = None) -> Document:
    """A Document from an HTML page or fragment given as text; never raises. At most
    ``max_parts`` tags of each slice of markup are read (the Document then says truncated).

    The text is encoded to UTF-8 and read like bytes (:func:`parse_bytes`), so that a page
    gives the same Document whichever way it comes in.
    """
    return _with_bound(max_parts, lambda: _parse(text))


def _parse(text: str) -> Document:
    if not text or text.isspace():
        return Document(meta=Meta(status="empty"), source_type="html")
    try:
        data = text.encode("utf-8", "surrogatepass")
        return _read(scan.PageScan(data, "utf-8", "surrogatepass"), text)
    except Exception:  # defensive: malformed input must still give a Document
        return _fallback(text, Meta())


#: encodings in which a cut before a ``<`` or a newline never splits a character
_ASCII_SAFE = ("utf-8", "gb18030", "ascii", "cp1252", "latin-1", "big5hkscs", BIG5)


def parse_bytes(data: bytes, max_parts: int | None = None) -> Document:
    """A Document from an HTML page given as bytes, decoding only the parts that are read;
    at most ``max_parts`` tags of each slice of markup are read (see :func:`parse`).

    The page is located in its bytes by :class:`~wxclean.sources.html_scan.PageScan`; only the
    slices read (meta tags, byline region, ``#js_content``, the metadata variables and, when
    the body must come from JS, the ``cgiDataNew`` script) are decoded: decoding a whole 3 MB
    page alone costs more than lxml parsing it. Pages in an encoding where a byte cut is not
    safe (UTF-16/32), and pages whose slices do not decode strictly (an undeclared page that
    is not UTF-8 after all), are decoded whole first (BOM, charset, UTF-8, GB18030, chardet).
    """
    return _with_bound(max_parts, lambda: _parse_bytes(data))


def _parse_bytes(data: bytes) -> Document:
    from wxclean.sources.decode import decode, sniff

    if not data or data.isspace():
        return Document(meta=Meta(status="empty"), source_type="html")
    encoding = sniff(data)
    if encoding in _ASCII_SAFE:
        page = scan.PageScan(data, encoding)
        try:
            return _read(page, None)
        except (UnicodeDecodeError, LookupError):
            pass
        except Exception:  # defensive: malformed input must still give a Document
            return _parse(decode(data)[0])
    return _parse(decode(data)[0])


def _read(page: scan.PageScan, text: str | None) -> Document:
    """The Document of a located page. ``text`` is the whole page when the caller has it;
    the rare paths that need the whole page (notices, foreign pages) decode it otherwise."""

    def whole() -> str:
        if text is not None:
            return text
        from wxclean.sources.decode import decode

        return decode(page.data)[0]

    body_start = max(page.want_body(), 0)
    metas = scan.meta_tags(page.meta_text())
    span = page.want_content()
    vars_span = page.want_vars()
    if vars_span is not None:
        jsv = scan.js_vars(page.text(*vars_span))
    elif len(page.data) <= _SMALL_VARS:
        jsv = scan.js_vars(whole())
    else:
        jsv = {}
    kind = _KINDS.get(jsv.get("item_show_type", jsv.get("real_item_show_type", "")), "article")
    head: HtmlElement | None = None
    removed: list[Removal] = []
    if span is not None:
        head = _parse_slice(page.byline_text(max(body_start, span[0] - _HEAD_REGION_MAX), span[0]))
        if head is not None:
            removed.extend(_head_removals(head))
    blocks: list[Block] = []
    body_removed: list[Removal] = []
    cgi: dict[str, str] | None = None
    cgi_text = ""
    cut = False  # the page ends inside what the body is read from (a cut download)
    if kind in ("image_share", "text_share"):
        cgi_text = _cgi_text(page)
        cgi = scan.cgi_fields(cgi_text)
        cut = page.cut_at(page.cgi_at)
        pictures = ""
        if kind == "image_share":
            pic = page.want_pic()
            cut = cut or page.cut_at(pic)
            pictures = page.text(*pic) if pic is not None else whole()
            if pic is not None and page.cgi_at is not None:  # in page order, as a whole-page search reads them
                pictures = pictures + "\n" + cgi_text if pic[0] < page.cgi_at[0] else cgi_text + "\n" + pictures
        blocks = _share_blocks(pictures, kind, cgi)
    elif span is not None:
        body = _parse_slice(page.text(*span))
        root = _find_id(body, "js_content") if body is not None else None
        if root is not None:
            blocks, body_removed = body_blocks(root)
        cut = page.cut_at(span)
        if not holds_content(blocks):
            cgi_text = _cgi_text(page)
            cgi = scan.cgi_fields(cgi_text)
            content = cgi.get("content_noencode", "")
            if content.strip():
                blocks, body_removed = _html_blocks(content)
                cut = page.cut_at(page.cgi_at)
            else:  # (the body's text would come from the script: cut inside it, or before it)
                cut = cut or page.cut_at(page.cgi_at)
    else:
        if len(page.data) > _SMALL_PAGE:
            cgi_text = _cgi_text(page)
            cgi = scan.cgi_fields(cgi_text)
        else:
            cgi = {}
        if cgi.get("content_noencode", "").strip():
            blocks, body_removed = _html_blocks(cgi["content_noencode"])
            cut = page.cut_at(page.cgi_at)
        else:
            doc = _whole_page(whole(), metas, jsv)
            if doc.meta.status in ("ok", "empty") and page.cut_short():
                # the page ends before its body: what was read of it is kept, and said to be cut
                doc = replace(doc, meta=_cut_meta(doc.meta, doc.blocks))
            return doc
    removed.extend(body_removed)
    meta = _meta(cgi_text, metas, jsv, cgi, head, kind)
    if kind == "article" and span is None and not blocks:
        meta = Meta(status="empty", kind="article")
    if cut:
        meta = _cut_meta(meta, blocks)
    return _document(meta, blocks, removed, "html" if body_start else "fragment")


def _cut_meta(meta: Meta, blocks: Iterable[Block]) -> Meta:
    """The metadata of a page that ends inside (or before) what its body is read from: what
    was read is kept and marked truncated; with nothing read, the status is empty, not ok."""
    return replace(meta, truncated=True, status=meta.status if holds_content(blocks) else "empty")


_SMALL_VARS = 400_000  # a page without the ct anchor is searched whole for its variables up to this size


def _cgi_text(page: scan.PageScan) -> str:
    """The decoded ``window.cgiDataNew`` script, or "" when the page has none."""
    at = page.want_cgi()
    return page.text(*at) if at is not None else ""


def _document(meta: Meta, blocks: list[Block], removed: list[Removal], source_type: str) -> Document:

    numbered = tuple(b._replace(pos=k) for k, b in enumerate(blocks))
    return Document(meta=meta, blocks=numbered, removed=tuple(removed), source_type=source_type)


# --- slices -------------------------------------------------------------------------------


_LOCAL = threading.local()


def _parser() -> etree.HTMLParser:
    """This thread's HTML parser (lxml parsers must not be shared between threads): no
    network access, comments and processing instructions dropped, and ``huge_tree`` so that
    a text node over 10 MB or nesting over 256 levels is not cut off. An HTML parser never
    reads a DTD, so entities declared in a ``<!DOCTYPE`` are never expanded or fetched."""
    parser: etree.HTMLParser | None = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = _LOCAL.parser = etree.HTMLParser(
            no_network=True, remove_comments=True, remove_pis=True, huge_tree=True
        )
        parser.set_element_class_lookup(_HTML_CLASSES)
    return parser


# every element an HtmlElement, chosen in C: lxml.html's own lookup calls Python for each
# element to pick form classes this package never uses (measured: 0.95x the time of
# cleaning the corpus's 19 full pages)
_HTML_CLASSES = etree.ElementDefaultClassLookup(
    element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment, pi=lxml_html.HtmlProcessingInstruction
)


def _parse_slice(fragment: str) -> HtmlElement | None:
    """Parse an HTML slice (not a whole page) into a tree; None when it holds nothing.

    libxml2 gives up on markup nested deeper than its limit and keeps nothing of what comes
    after; such a slice is parsed again with its nesting flattened (:func:`flatten_markup`)."""
    if not fragment or fragment.isspace():
        return None
    fragment = _bounded(fragment)
    parser = _parser()
    if _gap_without_close(fragment) and _LONG_TAG.search(fragment) is not None:
        fragment = _LONG_TAG.sub(_cut_tag, fragment)
    try:
        root = lxml_html.document_fromstring(fragment, parser=parser)
        if any(e.type == _DEPTH_ERROR for e in parser.error_log):
            root = lxml_html.document_fromstring(flatten_markup(fragment), parser=parser)
        return root
    except (etree.ParserError, ValueError):
        return None


#: a start tag longer than this is an attribute storm: libxml2 checks each attribute against
#: all before it (100,000 attributes took 30 s), so the tag is cut to its first attributes
_TAG_MAX = 16_384
_LONG_TAG = re.compile(rf"<[A-Za-z][^<>]{{{_TAG_MAX},}}")


def _gap_without_close(markup: str) -> bool:
    """Whether ``markup`` may hold a tag of ``_TAG_MAX`` characters: a stretch that long with
    no ``>`` covers one of the windows of half that size, found by a ``str.find`` each
    (measured on the corpus's full pages: about 1 µs a body, where the tag pattern's own
    scan took 190 µs)."""
    step = _TAG_MAX // 2
    return any(markup.find(">", k, k + step) < 0 for k in range(0, len(markup) - step + 1, step))


def _cut_tag(m: re.Match[str]) -> str:
    head = m.group(0)[:_TAG_MAX]
    cut = max(head.rfind(" "), head.rfind("\n"), head.rfind("\t"))
    return head[: cut if cut > 1 else _TAG_MAX]


_DEPTH_ERROR = etree.ErrorTypes.ERR_RESOURCE_LIMIT if hasattr(etree.ErrorTypes, "ERR_RESOURCE_LIMIT") else 89
_ANY_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]{0,60})([^<>]{0,8192})>")  # bounded: linear on "<a <a <a"
_KEEP_TAGS = frozenset({"img", "br", "hr", "script", "style", "title", "textarea", "meta", "body", "html", "head"})


def _too_deep(markup: str) -> bool:
    """True when libxml2 gives up on ``markup`` for its nesting depth with the default
    limits (256 levels), which readability-lxml's own parser keeps."""
    parser: lxml_html.HTMLParser | None = getattr(_LOCAL, "plain", None)
    if parser is None:
        parser = _LOCAL.plain = lxml_html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        lxml_html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError):
        return False
    return any(e.type == _DEPTH_ERROR for e in parser.error_log)


def _flat_tag(m: re.Match[str]) -> str:
    name = m.group(2).lower()
    if name in _KEEP_TAGS or (not m.group(1) and "js_content" in m.group(3)):
        return m.group(0)
    return "<br>" if name in BLOCK_TAGS else ""


def flatten_markup(markup: str) -> str:
    """``markup`` with no nesting left: block tags become ``<br>``, other tags but images,
    raw-text elements and the body container are dropped (the text and images stay, in order)."""
    return _BR_RUN.sub("<br><br>", _ANY_TAG.sub(_flat_tag, markup))


_BR_RUN = re.compile(r"<br>(?:\s*<br>)+")


def _find_id(root: HtmlElement, ident: str) -> HtmlElement | None:
    found = root.xpath(f'//*[@id="{ident}"]')
    return found[0] if found else None


def _html_blocks(fragment: str) -> tuple[list[Block], list[Removal]]:
    root = _parse_slice(f"<div>{fragment}</div>")
    if root is None:
        return [], []
    body = root.find("body")
    container = body[0] if body is not None and len(body) else root
    return body_blocks(container)


def _head_removals(head: HtmlElement) -> list[Removal]:
    """Chrome found in the byline region (title, byline, repost card, tags), recorded once each."""
    out: list[Removal] = []
    skip: set[HtmlElement] = set()
    for el in head.iter():
        tag = el.tag
        if not isinstance(tag, str) or tag in ("script", "style"):
            continue
        if any(a in skip for a in el.iterancestors()):
            continue
        row = selectors.match(tag, el.get("id"), el.get("class"))
        if row is None or row.kind in ("markup",):
            continue
        skip.add(el)
        text = squash(el.text_content()).strip()
        if text:
            out.append(Removal(FILTER, row.reason, text, row.kind, row.selector))
    return out


# --- picture and text posts ---------------------------------------------------------------


def _share_blocks(text: str, kind: Kind, cgi: dict[str, str]) -> list[Block]:
    """Blocks of an image-share or text-share post from the page's JS data."""
    blocks: list[Block] = []
    if kind == "image_share":
        for url in scan.picture_urls(text):
            blocks.append(Block("image", "", f"![]({url})", "body", url=url))
    content = cgi.get("content_noencode", "")
    if content.strip():
        para, _ = _html_blocks(content.replace("\r", "").replace("\n", "<br>"))
        blocks.extend(para)
    return blocks


# --- pages without an article body --------------------------------------------------------

_NOTICE_XPATH = (
    '//*[contains(@class, "weui-msg")]|//*[contains(@class, "mesg-block")]|//title|//h1|//h2|//h3|//p'
)
_NICK_NAME = re.compile(r"""nick_name\s*:\s*(?:JsDecode\()?['"]([^'"]{1,64})['"]""")


def _whole_page(text: str, metas: dict[str, str], jsv: dict[str, str]) -> Document:
    """A page with no ``#js_content`` and no article in its JS: notice, account page or other."""
    if len(text) > _SMALL_PAGE:
        return _fallback(text, Meta())
    root = _parse_slice(text)
    if root is None:
        return Document(meta=Meta(status="empty"), source_type="html")
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    texts = [squash(e.text_content()).strip() for e in root.xpath(_NOTICE_XPATH)[:40]]
    status = notice_status([t for t in texts if t])
    if status is not None:
        nick = _NICK_NAME.search(text)
        account = unescape(nick.group(1)).strip() if nick else None
        meta = Meta(status=status, kind="notice", account=account or None)  # type: ignore[arg-type]
        return _notice_doc(root, meta)
    if "about-page" in text or "/mp/aboutbiz" in text or scan.page_title(text[:50_000]) in ("关于公众号", "About"):
        return _notice_doc(root, Meta(status="not_article", kind="other"))
    if "msgList" in text or root.xpath('//*[contains(@class, "profile_account")]'):
        names = root.xpath('//*[contains(@class, "profile_nickname")]')
        account = squash(names[0].text_content()).strip() if names else None
        return _notice_doc(root, Meta(status="not_article", kind="other", account=account or jsv.get("nickname")))
    return _fallback(text, Meta())


def _notice_doc(root: HtmlElement, meta: Meta) -> Document:
    """The page's visible text as blocks (the ``notice_page`` filter drops them with a reason)."""
    body = root.find("body")
    blocks: list[Block] = []
    removed: list[Removal] = []
    if body is not None:
        blocks, removed = body_blocks(body)
    return _document(meta, blocks, removed, "html")


def _quiet_readability() -> None:
    """readability-lxml logs a traceback for each page it cannot read, which this module
    handles: a NullHandler keeps Python's last-resort handler from printing it to stderr
    (an application that configures logging still receives the records)."""
    logger = logging.getLogger("readability.readability")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())


def _fallback(text: str, meta: Meta) -> Document:
    """Any other HTML: readability-lxml on the un-hidden page, then the same block walker."""
    text = _bounded(text)
    unhidden = re.sub(r"visibility\s*:\s*hidden\s*;?|opacity\s*:\s*0\s*;?", "", text, flags=re.IGNORECASE)
    unhidden = xml_text(unhidden)  # readability fails (and logs a traceback) on what lxml refuses
    if _too_deep(unhidden):  # readability's own parser would keep nothing after the deep part
        unhidden = flatten_markup(unhidden)
    title = scan.page_title(unhidden[:200_000])
    blocks: list[Block] = []
    removed: list[Removal] = []
    try:
        from readability import Document as Readable

        _quiet_readability()
        summary = Readable(unhidden).summary(html_partial=True)
        blocks, removed = _html_blocks(summary)
    except Exception:  # readability raises on empty or odd documents
        blocks, removed = [], []
    if not holds_content(blocks):
        # nothing from readability (it also returns an empty body for a short page): keep the
        # page's plain text rather than lose it
        root = _parse_slice(unhidden)
        if root is not None:
            for bad in root.xpath("//script|//style"):
                bad.drop_tree()
            body = root.find("body")
            if body is not None:
                blocks, removed = body_blocks(body)
    status: Status = meta.status if blocks else "empty"
    kind: Kind = "other" if blocks else meta.kind
    return _document(Meta(title=title, status=status, kind=kind), blocks, removed, "html")


# --- metadata -----------------------------------------------------------------------------


class _Head:
    """The byline region's elements by ``id`` and by ``class``, read in one walk.

    An XPath query costs 15-35 µs of set-up even on the region's few dozen elements, and the
    metadata asks about a dozen of them; this walk costs about as much as one query. Only the
    lookups the metadata needs are offered: the first non-empty text of an element with an
    id, or whose class attribute contains a string (XPath's ``contains(@class, …)``).
    """

    def __init__(self, root: HtmlElement | None) -> None:
        self.ids: dict[str, list[HtmlElement]] = {}
        self.classed: list[tuple[str, str, HtmlElement]] = []  # (tag, class, element)
        if root is None:
            return
        for el in root.iter():
            tag = el.tag
            if not isinstance(tag, str):
                continue
            ident = el.get("id")
            cls = el.get("class")
            if ident is not None:
                self.ids.setdefault(ident, []).append(el)
            if cls:
                self.classed.append((tag, cls, el))

    def has_id(self, ident: str) -> bool:
        return ident in self.ids

    def id_text(self, ident: str) -> str | None:
        """The first non-empty text of an element with ``id=ident``."""
        return _first_text(self.ids.get(ident, ()))

    def class_text(self, part: str, tag: str | None = None) -> str | None:
        """The first non-empty text of an element (a ``tag`` one, if given) whose class holds ``part``."""
        return _first_text(el for t, cls, el in self.classed if part in cls and (tag is None or t == tag))


def _first_text(elements: Iterable[HtmlElement]) -> str | None:
    for el in elements:
        t = squash(el.text_content()).strip()
        if t:
            return t
    return None


def _nonempty(*values: str | Callable[[], str | None] | None) -> str | None:
    """The first value that holds text, whitespace squashed; a callable is asked only when
    every value before it was empty (the DOM look-ups come after the cheap JS values)."""
    for v in values:
        if callable(v):
            v = v()
        if v is not None and v.strip():
            return " ".join(v.split())
    return None


def _published(jsv: dict[str, str], cgi: dict[str, str] | None, head: _Head) -> datetime | None:
    for key in ("ct", "create_time"):
        v = jsv.get(key, "")
        if v.isdigit() and len(v) >= 9:
            return datetime.fromtimestamp(int(v), BEIJING)
    if cgi:
        v = cgi.get("ori_create_time", "")
        if v.isdigit() and len(v) >= 9:
            return datetime.fromtimestamp(int(v), BEIJING)
        if cgi.get("create_time"):
            d = parse_date(cgi["create_time"])
            if d:
                return d
    for value in _date_texts(jsv, head):
        if value:
            d = parse_date(value)
            if d:
                return d
    return None


def _date_texts(jsv: dict[str, str], head: _Head) -> Iterator[str | None]:
    """The byline's date texts, then the JS literal date, asked one by one."""
    yield head.id_text("publish_time")
    yield head.id_text("post-date")
    yield jsv.get("publish_time")


def _original(jsv: dict[str, str], cgi: dict[str, str] | None, head: _Head) -> bool | None:
    stat = jsv.get("copyright_stat") or jsv.get("_copyright_stat") or (cgi or {}).get("copyright_stat")
    if stat is not None and stat.isdigit():
        return stat == "1"
    if head.has_id("copyright_logo"):
        return True
    return None


_REPOST = re.compile(r"以下文章来源于\s*(?P<src>.+?)\s*(?:[，,]\s*作者\s*(?P<author>.+?))?\s*$")


def _repost(head: _Head) -> tuple[str | None, str | None]:
    """``(source account, card author)`` of a repost card (以下文章来源于X ，作者Y)."""
    tips = head.class_text("original_primary_card_tips")
    source = head.class_text("original_primary_nickname")
    author = None
    if tips:
        m = _REPOST.search(tips)
        if m:
            source = source or m.group("src")
            author = m.group("author")
    source = source or head.id_text("js_share_author")
    return source, author


def _dom_account(head: _Head) -> str | None:
    """The account name the 2016-2018 byline shows: ``a#post-user``, ``span.rich_media_meta_nickname``
    and ``.profile_nickname`` each carry it; when they disagree the name most of them give wins."""
    names = [
        head.id_text("post-user"),
        head.class_text("rich_media_meta_nickname", "span"),
        head.class_text("profile_nickname"),
    ]
    found = [n for n in names if n]
    if not found:
        return None
    return max(found, key=found.count)


def _byline_author(head: _Head) -> str | None:
    """The 2016-2018 byline author: a plain ``em.rich_media_meta_text`` that is not the date."""
    for box in head.ids.get("meta_content", ()):
        for el in box.iterdescendants("em"):
            if "rich_media_meta_text" not in (el.get("class") or "") or el.get("id"):
                continue
            t = squash(el.text_content()).strip()
            if t and not parse_date(t) and not _CTA_NAME.search(t) and len(t) <= 40:
                return t
    return None


def _meta(
    cgi_text: str,
    metas: dict[str, str],
    jsv: dict[str, str],
    cgi: dict[str, str] | None,
    root: HtmlElement | None,
    kind: Kind,
) -> Meta:
    c = cgi or {}
    head = _Head(root)
    if kind == "text_share":
        user_title = scan.is_user_title(cgi_text) if cgi is not None else None
        title = _nonempty(c.get("title"), jsv.get("msg_title")) if user_title else None
    else:
        title = _nonempty(
            lambda: head.id_text("activity-name"),
            metas.get("og:title"),
            jsv.get("msg_title"),
            c.get("title"),
            metas.get("twitter:title"),
        )
    account = _nonempty(
        jsv.get("nickname"),
        c.get("nick_name"),
        lambda: head.id_text("js_name"),
        lambda: _dom_account(head),
        lambda: head.class_text("wx_follow_nickname"),
    )
    source_account, card_author = _repost(head)
    author = None
    if kind not in ("image_share", "text_share"):
        author = _nonempty(
            lambda: head.id_text("js_author_name_text"),
            lambda: head.id_text("js_author_name"),
            metas.get("author"),
            jsv.get("author"),
            lambda: _byline_author(head),
            card_author,
        )
    url = _nonempty(metas.get("og:url"), jsv.get("msg_link"), c.get("link"))
    return Meta(
        title=title,
        account=account,
        author=author,
        published=_published(jsv, cgi, head),
        original=_original(jsv, cgi, head),
        source_account=source_account,
        kind=kind,
        status="ok",
        url=canonical_url(unescape(url)) if url else None,
        cover=_nonempty(jsv.get("msg_cdn_url"), metas.get("og:image"), c.get("cdn_url")),
        description=_nonempty(
            jsv.get("msg_desc"), metas.get("og:description"), metas.get("description"), c.get("desc")
        ),
    )


__all__ = ["parse"]
