"""Locate the parts of a WeChat page in the raw string, without building a tree of the page.

A server-rendered WeChat page is 0.1-4 MB, mostly inline JavaScript and CSS; the article is a
few hundred KB at most. Everything here works on the raw string with precompiled regular
expressions and ``str.find``, so the page as a whole is scanned a bounded number of times:

* :func:`element_span` slices one element (``#js_content``) out of the string by its start
  tag and the matching end tag;
* :func:`js_vars` reads the ``var x = "..."`` / ``window.x = '...'`` metadata block, found
  through one anchor (``ct = "<unix time>"``) and read in a window around it;
* :func:`cgi_fields` reads ``window.cgiDataNew`` fields (``JsDecode('...')`` strings);
* :func:`meta_tags` reads the ``<meta>`` tags of the page head.

* :class:`PageScan` finds all of these in the page's *bytes* with one forward walk over its
  ``<`` characters (see there), so that only the parts read are ever decoded.

What it deliberately leaves alone: the DOM. Whatever needs structure (title, byline, body)
is parsed by lxml from the slices these functions return.
"""

from __future__ import annotations

import html as html_lib
import re
import warnings
from dataclasses import dataclass, field

# --- element slicing ----------------------------------------------------------------------

_TAG_NAME = re.compile(r"<([A-Za-z][\w:-]*)")


def element_span(text: str, ident: str, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
    """``(start, end)`` of the element whose ``id`` is ``ident``: from ``<`` of its start tag
    to just after its matching end tag (or the end of ``text`` when the page never closes it).

    Nesting is counted on the element's own tag name only; tags inside comments or scripts
    in the body are rare enough to be ignored (a miscount only makes the slice longer).
    """
    stop = len(text) if end is None else end
    for quote in ('"', "'"):
        needle = f"id={quote}{ident}{quote}"
        pos = text.find(needle, start, stop)
        while pos != -1:
            lt = text.rfind("<", max(0, pos - 2000), pos)
            if lt != -1 and ">" not in text[lt:pos]:
                m = _TAG_NAME.match(text, lt)
                if m:
                    return lt, _matching_end(text, lt, m.group(1).lower(), stop)
            pos = text.find(needle, pos + 1, stop)
    return None


_VOID = frozenset({"img", "br", "hr", "meta", "link", "input", "source", "embed", "wbr", "area", "col", "param"})
_OPEN_CLOSE: dict[str, re.Pattern[str]] = {}


def _matching_end(text: str, lt: int, tag: str, stop: int) -> int:
    gt = text.find(">", lt)
    if gt == -1:
        return stop
    if tag in _VOID or text[gt - 1] == "/":
        return gt + 1
    pat = _OPEN_CLOSE.get(tag)
    if pat is None:
        pat = _OPEN_CLOSE[tag] = re.compile(rf"<(/?){re.escape(tag)}[\s>/]", re.IGNORECASE)
    depth = 1
    for m in pat.finditer(text, gt + 1, stop):
        if m.group(1):
            depth -= 1
            if depth == 0:
                close = text.find(">", m.end() - 1)
                return close + 1 if close != -1 else stop
        else:
            depth += 1
    return stop


# --- JavaScript strings -------------------------------------------------------------------

_JS_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|u\{[0-9a-fA-F]{1,6}\}|[\s\S])")
_JS_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _js_char(m: re.Match[str]) -> str:
    s = m.group(1)
    if s[0] == "x" and len(s) == 3:
        return chr(int(s[1:], 16))
    if s[0] == "u" and len(s) > 1:
        try:
            return chr(int(s[1:].strip("{}"), 16))
        except ValueError:
            return s
    return _JS_SIMPLE.get(s, s)


#: WeChat's own JsDecode() undoes these escapes (after the JS parser undid the literal's own)
_JSDECODE = (
    ("\\x5c", "\\"), ("\\x0d", "\r"), ("\\x22", '"'), ("\\x26", "&"),
    ("\\x27", "'"), ("\\x3c", "<"), ("\\x3e", ">"), ("\\x0a", "\n"),
)


def js_string(raw: str) -> str:
    """The value of a JavaScript string literal's body (``\\xHH``, ``\\uHHHH``, ``\\n`` ...)."""
    if "\\" not in raw:
        return raw
    try:
        # fast path (C codec, ~20x faster than the regex on a 400 KB body): Python's escapes
        # are JavaScript's except ``\\/`` and ``\\u{...}``, handled by the slow path
        if "\\u{" in raw:
            raise ValueError
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            s = raw.replace("\\/", "/").encode("latin-1", "backslashreplace").decode("unicode_escape")
        if any("\ud800" <= c <= "\udfff" for c in s if c >= "\ud800"):
            s = s.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        return s
    except (UnicodeError, ValueError, DeprecationWarning, SyntaxWarning):
        return _JS_ESCAPE.sub(_js_char, raw)


def js_decode(raw: str) -> str:
    """``JsDecode('<raw>')`` as WeChat's page evaluates it: the literal, then JsDecode's escapes."""
    s = js_string(raw)
    if "\\x" in s:
        for esc, ch in _JSDECODE:
            s = s.replace(esc, ch)
    return s


# --- the metadata variables ---------------------------------------------------------------

#: the anchor of the metadata block: ``var ct = "1762747210"`` / ``window.ct = '1762338600'``
_CT_ANCHOR = re.compile(r"""ct = ["'](\d{9,11})["']""")
_WINDOW_BEFORE = 24_000
_WINDOW_AFTER = 12_000
#: ``var x = "..."``, ``window.x = '...'``, ``var x = htmlDecode("...")``, ``'...'.html(false)``
_VAR = re.compile(
    r"""(?:\bvar\s+|\bwindow\.)(\w+)\s*=\s*(?:window\.\w+\s*=\s*)?(?:htmlDecode\(\s*)?"""
    r"""(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)')(\.html\(false\))?"""
)
#: variables the adapter reads (the rest of the block is ignored)
WANTED = frozenset(
    {
        "ct", "create_time", "publish_time", "nickname", "msg_title", "msg_desc", "msg_cdn_url", "msg_link",
        "copyright_stat", "_copyright_stat", "item_show_type", "real_item_show_type", "author", "biz", "sn",
        "mid", "idx", "user_name", "source_url", "msg_source_url", "title", "appmsg_type", "cdn_url_1_1",
        "cdn_url_235_1",
    }
)


def js_vars(text: str, small: int = 400_000) -> dict[str, str]:
    """The metadata variables of the page, first assignment of each name wins.

    Only a window around the ``ct`` anchor is read on a big page; a small page (under
    ``small`` characters) is read whole. Values that are empty strings are left out.
    """
    m = _CT_ANCHOR.search(text)
    if m is not None:
        regions = [(max(0, m.start() - _WINDOW_BEFORE), min(len(text), m.end() + _WINDOW_AFTER))]
    elif len(text) <= small:
        regions = [(0, len(text))]
    else:
        return {}
    out: dict[str, str] = {}
    for lo, hi in regions:
        for v in _VAR.finditer(text, lo, hi):
            name = v.group(1)
            if name not in WANTED or name in out:
                continue
            raw = v.group(2) if v.group(2) is not None else v.group(3)
            value = js_string(raw or "")
            if v.group(4) or "htmlDecode" in v.group(0):
                value = html_lib.unescape(value)
            if value.strip():
                out[name] = value.strip()
    if m is not None and "ct" not in out:
        out["ct"] = m.group(1)
    return out


# --- window.cgiDataNew --------------------------------------------------------------------

_CGI_NAME = re.compile(r"(\w+)$")
#: the body of a single-quoted JS string, unrolled (no per-character alternation)
_SQ_BODY = re.compile(r"[^'\\]*(?:\\.[^'\\]*)*")
_CGI_NUM = re.compile(r"\b(\w+): '(\d*)' \* 1")
CGI_WANTED = frozenset(
    {
        "title", "nick_name", "author", "create_time", "content_noencode", "copyright_stat", "item_show_type",
        "link", "cdn_url", "desc", "source_url", "ori_create_time", "is_user_title", "alias",
    }
)


def cgi_fields(text: str) -> dict[str, str]:
    """Top-level string and number fields of ``window.cgiDataNew`` (decoded), first wins.

    Reads from the ``cgiDataNew = {`` marker to the end of its script; returns ``{}`` when
    the page has none. Nested objects' fields with the same names are read too, but the
    top level comes first in WeChat's output, so first-wins keeps it.
    """
    start = text.find("window.cgiDataNew = {")
    if start == -1:
        return {}
    stop = text.find("</script>", start)
    stop = len(text) if stop == -1 else stop
    out: dict[str, str] = {}
    pos = text.find(": JsDecode('", start, stop)
    while pos != -1:
        name_m = _CGI_NAME.search(text, max(start, pos - 40), pos)
        body = _SQ_BODY.match(text, pos + 12, stop)
        end = body.end() if body else pos + 12
        if name_m and body:
            name = name_m.group(1)
            if name in CGI_WANTED and not out.get(name):
                out[name] = js_decode(body.group(0))
        pos = text.find(": JsDecode('", end, stop)
    for m in _CGI_NUM.finditer(text, start, stop):
        name = m.group(1)
        if name in CGI_WANTED and not out.get(name):
            out[name] = m.group(2)
    return out


_PIC_LIST = re.compile(r"picture_page_info_list\s*[:=]\s*\[")
#: tokens of a JS object literal: brackets, string literals, and the ``cdn_url:`` key
_JS_TOKEN = re.compile(
    r"""[\[\]{}]|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\bcdn_url:\s*(?:JsDecode\()?'((?:[^'\\]|\\.)*)'"""
)


def picture_urls(text: str) -> list[str]:
    """The image URLs of an image-share post: ``cdn_url`` of each entry of the first
    ``picture_page_info_list`` that has entries.

    Only the entries' own ``cdn_url`` is read (depth 2 of the list literal); the nested
    ``watermark_info`` / ``share_cover`` objects carry other images and are skipped.
    """
    for m in _PIC_LIST.finditer(text):
        urls: list[str] = []
        depth = 1
        for tok in _JS_TOKEN.finditer(text, m.end(), min(len(text), m.end() + 1_000_000)):
            t = tok.group(0)
            if t in "[{":
                depth += 1
            elif t in "]}":
                depth -= 1
                if depth == 0:
                    break
            elif tok.group(1) is not None and depth == 2:
                url = html_lib.unescape(js_decode(tok.group(1)))
                if url.startswith(("http://", "https://")):
                    urls.append(url)
        if urls:
            return _dedupe(urls)
    return []


def _dedupe(urls: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for u in urls:
        if u not in seen:
            seen.add(u)
            out.append(u)
    return out


_IS_USER_TITLE = re.compile(r"is_user_title\s*:\s*'(\d)'")


def is_user_title(text: str, start: int = 0) -> bool | None:
    """For a text-share post: did the author give it a title (``text_page_info.is_user_title``)?"""
    m = _IS_USER_TITLE.search(text, start)
    return None if m is None else m.group(1) == "1"


# --- <meta> tags --------------------------------------------------------------------------

_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


def meta_tags(head: str) -> dict[str, str]:
    """``{name or property: content}`` of the ``<meta>`` tags in ``head`` (first wins)."""
    out: dict[str, str] = {}
    for m in _META.finditer(head):
        attrs = {
            a.group(1).lower(): next(g for g in a.groups()[1:] if g is not None) for a in _ATTR.finditer(m.group(0))
        }
        key = attrs.get("property") or attrs.get("name")
        content = attrs.get("content")
        if key and content is not None and key.lower() not in out:
            out[key.lower()] = html_lib.unescape(content).strip()
    return out


_TITLE = re.compile(r"<title[^>]*>([^<]*)</title>", re.IGNORECASE)


def page_title(head: str) -> str | None:
    """The ``<title>`` text of ``head``, or None."""
    m = _TITLE.search(head)
    if m is None:
        return None
    t = " ".join(html_lib.unescape(m.group(1)).split())
    return t or None
