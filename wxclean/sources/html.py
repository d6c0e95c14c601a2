"""Source adapter for WeChat HTML: full pages (2016-2026 templates), saved live DOMs and
``#js_content`` fragments.

How a page is read, cheapest first (a full page is 0.1-4 MB, mostly inline script):

1. the raw string is scanned, not parsed: ``#js_content`` is sliced out by its start tag
   and matching end tag (:func:`~wxclean.sources.html_scan.element_span`), the metadata
   variables are read around one anchor (:func:`~wxclean.sources.html_scan.js_vars`), the
   ``<meta>`` tags from the head only;
2. lxml parses just two slices: the page head region between ``<body>`` and the body (title,
   byline, 原创 mark, repost card) and the body itself, which
   :mod:`~wxclean.sources.html_blocks` turns into blocks (chrome recorded as removals);
3. when a page has no usable ``#js_content`` the body comes from the page's JS data
   (``content_noencode``, ``picture_page_info_list``); a small page without any of that is
   parsed whole to tell notices (deleted, violation ...) and non-article pages apart; a page
   that is no WeChat page at all goes to readability-lxml, un-hidden first.

The adapter never raises on bad markup: it returns a best-effort Document with an honest
status. It removes chrome by structure only; the shared text filters run after it.
"""

from __future__ import annotations

import html as html_lib
import re
from datetime import datetime

from lxml import etree
from lxml import html as lxml_html
from lxml.html import HtmlElement

from wxclean import selectors
from wxclean.model import Block, Document, Kind, Meta, Removal, Status
from wxclean.sources import html_scan as scan
from wxclean.sources.dump import BEIJING, notice_status, parse_date
from wxclean.sources.html_blocks import FILTER, body_blocks, canonical_url, squash

_KINDS: dict[str, Kind] = {
    "0": "article", "5": "video", "6": "audio", "7": "audio", "8": "image_share", "10": "text_share",
}
_BODY_TAG = re.compile(r"<body[\s>]", re.IGNORECASE)
_HEAD_REGION_MAX = 200_000  # the byline region before #js_content is < 100 KB in every template
_SMALL_PAGE = 2_000_000  # a page without #js_content is parsed whole only up to this size
_CTA_NAME = re.compile(r"关注|☞|👉|点击|扫码|蓝字")


def parse(text: str) -> Document:
    """A Document from an HTML page or fragment; never raises."""
    if not text or text.isspace():
        return Document(meta=Meta(status="empty"), source_type="html")
    try:
        return _parse(text)
    except Exception:  # defensive: malformed input must still give a Document
        return _fallback(text, Meta())


_B_CT = re.compile(rb"""ct = ["'](\d{9,11})["']""")
_B_ID = re.compile(rb"""id=["']js_content["']""")
_B_DIV = re.compile(rb"<(/?)div[\s>/]", re.IGNORECASE)
_SPARSE_MIN = 1_000_000  # below this, decoding the whole page costs less than finding its parts


def parse_bytes(data: bytes) -> Document:
    """A Document from an HTML page given as bytes, decoding only the parts that are read.

    A big page (> 1 MB) in an ASCII-compatible encoding is cut, in bytes, into the head and
    body (up to the end of ``#js_content``), the window of metadata variables and, when the
    body must come from JS, the ``cgiDataNew`` script; only those are decoded (decoding a
    whole 3 MB page alone costs as much as lxml parsing it) and read by :func:`parse`.
    Every cut is made before a ``<`` or a newline, which are never inside a multi-byte
    character in UTF-8 or GB18030. Smaller pages, UTF-16/32 pages and pages where the parts
    are not found are decoded whole.
    """
    from wxclean.sources.decode import decode, sniff

    encoding = sniff(data)
    if len(data) < _SPARSE_MIN or encoding not in ("utf-8", "gb18030", "ascii", "cp1252", "latin-1", "big5hkscs"):
        return parse(decode(data)[0])
    try:
        pieces = _sparse_pieces(data)
    except Exception:  # defensive: fall back to the whole page
        pieces = None
    if pieces is None:
        return parse(decode(data)[0])
    try:
        # strict: an undeclared page that is not UTF-8 after all is decoded whole instead
        return parse("\n".join(data[lo:hi].decode(encoding) for lo, hi in pieces))
    except (UnicodeDecodeError, LookupError):
        return parse(decode(data)[0])


def _sparse_pieces(data: bytes) -> list[tuple[int, int]] | None:
    """Byte ranges of a big page that :func:`parse` reads, or None to read it whole.

    Searches run forward over the first part of the page and backward (``rfind``) from the
    end for what lives in the trailing scripts: on the corpus's 2025 pages this reads
    ~0.5 MB of 2.3-3.7 MB (measured: clean time 11 ms -> 6 ms median).
    """
    body = data.find(b"<body")
    if body == -1:
        return None
    m = _B_ID.search(data, body, min(len(data), body + 1_500_000))
    if m is not None:
        start = data.rfind(b"<", 0, m.start())
        depth = 0
        end = len(data)
        for t in _B_DIV.finditer(data, start):
            depth += -1 if t.group(1) else 1
            if depth == 0:
                end = data.find(b">", t.end() - 1) + 1 or len(data)
                break
        thin = end - start < 4_000
    else:
        end = body + 200_000
        thin = True
    head_end = _cut(data, min(len(data), end + 20_000))
    pieces = [(0, head_end)]
    if _B_CT.search(data, 0, head_end) is None:
        ct = max(data.rfind(b'var ct = "'), data.rfind(b"window.ct = '"))
        if ct > head_end:
            pieces.append((_cut(data, max(head_end, ct - 24_000)), _cut(data, min(len(data), ct + 12_000))))
    head = data[body:head_end]
    if thin or b"item_show_type = '8'" in head or b"item_show_type = '10'" in head:
        if b"window.cgiDataNew = {" not in head:
            cgi = data.rfind(b"window.cgiDataNew = {")
            if cgi > head_end:
                stop = data.find(b"</script>", cgi)
                pieces.append((_cut(data, cgi), stop if stop != -1 else len(data)))
        pic = data.rfind(b"picture_page_info_list = [")
        if pic > head_end and m is None:
            stop = data.find(b"</script>", pic)
            pieces.append((_cut(data, pic), stop if stop != -1 else len(data)))
    if m is None and len(pieces) == 1:
        return None
    return pieces


def _cut(data: bytes, pos: int) -> int:
    """``pos`` moved back to a ``<`` or newline (a safe place to cut a multi-byte text)."""
    if pos >= len(data):
        return len(data)
    back = max(data.rfind(b"<", 0, pos), data.rfind(b"\n", 0, pos))
    return back if back > 0 else pos


def _parse(text: str) -> Document:
    body_start = _body_start(text)
    metas = scan.meta_tags(text[:body_start]) if body_start else scan.meta_tags(text[:20_000])
    jsv = scan.js_vars(text)
    span = scan.element_span(text, "js_content", body_start)
    kind = _KINDS.get(jsv.get("item_show_type", jsv.get("real_item_show_type", "")), "article")
    head: HtmlElement | None = None
    removed: list[Removal] = []
    if span is not None:
        lo = max(body_start, span[0] - _HEAD_REGION_MAX)
        head = _parse_slice(text[lo : span[0]])
        if head is not None:
            removed.extend(_head_removals(head))
    blocks: list[Block] = []
    body_removed: list[Removal] = []
    cgi: dict[str, str] | None = None
    if kind in ("image_share", "text_share"):
        cgi = scan.cgi_fields(text)
        blocks = _share_blocks(text, kind, cgi)
    elif span is not None:
        body = _parse_slice(text[span[0] : span[1]])
        root = _find_id(body, "js_content") if body is not None else None
        if root is not None:
            blocks, body_removed = body_blocks(root)
        if not any(b.text or b.kind == "image" for b in blocks):
            cgi = scan.cgi_fields(text)
            content = cgi.get("content_noencode", "")
            if content.strip():
                blocks, body_removed = _html_blocks(content)
    else:
        cgi = scan.cgi_fields(text) if len(text) > _SMALL_PAGE else {}
        if cgi.get("content_noencode", "").strip():
            blocks, body_removed = _html_blocks(cgi["content_noencode"])
        else:
            return _whole_page(text, metas, jsv)
    removed.extend(body_removed)
    meta = _meta(text, metas, jsv, cgi, head, kind)
    if kind == "article" and span is None and not blocks:
        meta = Meta(status="empty", kind="article")
    return _document(meta, blocks, removed, "html" if body_start else "fragment")


def _body_start(text: str) -> int:
    """Index of ``<body`` (0 when there is none): ``str.find`` first, the case-blind regex
    (10x slower) only when the page has no lower-case ``<body``."""
    pos = text.find("<body")
    while pos != -1 and text[pos + 5 : pos + 6] not in (" ", ">", "\n", "\t", "\r"):
        pos = text.find("<body", pos + 5)
    if pos != -1:
        return pos
    m = _BODY_TAG.search(text, 0, min(len(text), 1_500_000))
    return m.start() if m else 0


def _document(meta: Meta, blocks: list[Block], removed: list[Removal], source_type: str) -> Document:

    numbered = tuple(b._replace(pos=k) for k, b in enumerate(blocks))
    return Document(meta=meta, blocks=numbered, removed=tuple(removed), source_type=source_type)


# --- slices -------------------------------------------------------------------------------


def _parse_slice(fragment: str) -> HtmlElement | None:
    """Parse an HTML slice (not a whole page) into a tree; None when it holds nothing."""
    if not fragment or fragment.isspace():
        return None
    try:
        return lxml_html.document_fromstring(fragment)
    except (etree.ParserError, ValueError):
        return None


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
        account = html_lib.unescape(nick.group(1)).strip() if nick else None
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


def _fallback(text: str, meta: Meta) -> Document:
    """Any other HTML: readability-lxml on the un-hidden page, then the same block walker."""
    unhidden = re.sub(r"visibility\s*:\s*hidden\s*;?|opacity\s*:\s*0\s*;?", "", text, flags=re.IGNORECASE)
    title = scan.page_title(unhidden[:200_000])
    blocks: list[Block] = []
    removed: list[Removal] = []
    try:
        from readability import Document as Readable

        summary = Readable(unhidden).summary(html_partial=True)
        blocks, removed = _html_blocks(summary)
    except Exception:  # readability raises on empty or odd documents; keep the plain text
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


def _first_text(root: HtmlElement | None, xpath: str) -> str | None:
    if root is None:
        return None
    for el in root.xpath(xpath):
        t = squash(el.text_content() if isinstance(el, HtmlElement) else str(el)).strip()
        if t:
            return t
    return None


def _nonempty(*values: str | None) -> str | None:
    for v in values:
        if v is not None and v.strip():
            return " ".join(v.split())
    return None


def _published(jsv: dict[str, str], cgi: dict[str, str] | None, head: HtmlElement | None) -> datetime | None:
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
    for candidate in (
        _first_text(head, '//*[@id="publish_time"]'),
        _first_text(head, '//*[@id="post-date"]'),
        jsv.get("publish_time"),
    ):
        if candidate:
            d = parse_date(candidate)
            if d:
                return d
    return None


def _original(jsv: dict[str, str], cgi: dict[str, str] | None, head: HtmlElement | None) -> bool | None:
    stat = jsv.get("copyright_stat") or jsv.get("_copyright_stat") or (cgi or {}).get("copyright_stat")
    if stat is not None and stat.isdigit():
        return stat == "1"
    if head is not None and head.xpath('//*[@id="copyright_logo"]'):
        return True
    return None


_REPOST = re.compile(r"以下文章来源于\s*(?P<src>.+?)\s*(?:[，,]\s*作者\s*(?P<author>.+?))?\s*$")


def _repost(head: HtmlElement | None) -> tuple[str | None, str | None]:
    """``(source account, card author)`` of a repost card (以下文章来源于X ，作者Y)."""
    if head is None:
        return None, None
    tips = _first_text(head, '//*[contains(@class, "original_primary_card_tips")]')
    source = _first_text(head, '//*[contains(@class, "original_primary_nickname")]')
    author = None
    if tips:
        m = _REPOST.search(tips)
        if m:
            source = source or m.group("src")
            author = m.group("author")
    source = source or _first_text(head, '//*[@id="js_share_author"]')
    return source, author


def _dom_account(head: HtmlElement | None) -> str | None:
    """The account name the 2016-2018 byline shows: ``a#post-user``, ``span.rich_media_meta_nickname``
    and ``.profile_nickname`` each carry it; when they disagree the name most of them give wins."""
    names = [
        _first_text(head, '//*[@id="post-user"]'),
        _first_text(head, '//span[contains(@class, "rich_media_meta_nickname")]'),
        _first_text(head, '//*[contains(@class, "profile_nickname")]'),
    ]
    found = [n for n in names if n]
    if not found:
        return None
    return max(found, key=found.count)


def _byline_author(head: HtmlElement | None) -> str | None:
    """The 2016-2018 byline author: a plain ``em.rich_media_meta_text`` that is not the date."""
    if head is None:
        return None
    for el in head.xpath('//*[@id="meta_content"]//em[contains(@class, "rich_media_meta_text")]'):
        if el.get("id"):
            continue
        t = squash(el.text_content()).strip()
        if t and not parse_date(t) and not _CTA_NAME.search(t) and len(t) <= 40:
            return t
    return None


def _meta(
    text: str,
    metas: dict[str, str],
    jsv: dict[str, str],
    cgi: dict[str, str] | None,
    head: HtmlElement | None,
    kind: Kind,
) -> Meta:
    c = cgi or {}
    if kind == "text_share":
        user_title = scan.is_user_title(text) if cgi is not None else None
        title = _nonempty(c.get("title"), jsv.get("msg_title")) if user_title else None
    else:
        title = _nonempty(
            _first_text(head, '//*[@id="activity-name"]'),
            metas.get("og:title"),
            jsv.get("msg_title"),
            c.get("title"),
            metas.get("twitter:title"),
        )
    account = _nonempty(
        jsv.get("nickname"),
        c.get("nick_name"),
        _first_text(head, '//*[@id="js_name"]'),
        _dom_account(head),
        _first_text(head, '//*[contains(@class, "wx_follow_nickname")]'),
    )
    source_account, card_author = _repost(head)
    author = None
    if kind not in ("image_share", "text_share"):
        author = _nonempty(
            _first_text(head, '//*[@id="js_author_name_text"]'),
            _first_text(head, '//*[@id="js_author_name"]'),
            metas.get("author"),
            jsv.get("author"),
            _byline_author(head),
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
        url=canonical_url(html_lib.unescape(url)) if url else None,
        cover=_nonempty(jsv.get("msg_cdn_url"), metas.get("og:image"), c.get("cdn_url")),
        description=_nonempty(
            jsv.get("msg_desc"), metas.get("og:description"), metas.get("description"), c.get("desc")
        ),
    )


__all__ = ["parse"]
