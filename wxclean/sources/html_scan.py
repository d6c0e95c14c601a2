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

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field

from wxclean.text import unescape

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


_SURROGATE = re.compile(r"[\ud800-\udfff]")  # (escapes, not literal surrogates: mypyc compiles this module)
#: a backslash before anything but an escape Python reads without a warning
_ODD_ESCAPE = re.compile(r"""\\[^\\'"abfnrtvxuUN0-3\n]""")


def js_string(raw: str) -> str:
    """The value of a JavaScript string literal's body (``\\xHH``, ``\\uHHHH``, ``\\n`` ...)."""
    if "\\" not in raw:
        return raw
    try:
        # fast path (C codec, ~20x faster than the regex on a 400 KB body): Python's escapes
        # are JavaScript's except ``\\/`` and ``\\u{...}``, handled by the slow path
        if "\\u{" in raw:
            raise ValueError
        body = raw.replace("\\/", "/")
        if _ODD_ESCAPE.search(body) is None:  # no escape Python warns about: skip catch_warnings (5 us a call)
            s = body.encode("latin-1", "backslashreplace").decode("unicode_escape")
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                s = body.encode("latin-1", "backslashreplace").decode("unicode_escape")
        # surrogate pairs written as two escapes (``\\ud83d\\ude00``) are joined; a raw without
        # ``\\ud`` has none (a per-character scan of the result took 9 ms on 390 KB)
        if ("\\ud" in raw or "\\uD" in raw) and _SURROGATE.search(s):
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
#: (spaced or minified, ``ct="…"``; the literal first and the look-behind after it, so that
#: the regex engine jumps from one "ct" to the next: 25x faster than the look-behind first)
_CT_ANCHOR = re.compile(r"""ct(?<![\w$]ct)\s{0,8}=\s{0,8}["'](\d{9,11})["']""")
_WINDOW_BEFORE = 24_000
_WINDOW_AFTER = 12_000
#: ``var x = "..."``, ``window.x = '...'``, ``var x = htmlDecode("...")``, ``'...'.html(false)``
#: (string bodies unrolled, no alternation per character: on the 13 KB variable block of a
#: 2025 page, 0.32 ms -> 0.20 ms)
_VAR = re.compile(
    r"""(?:\bvar\s+|\bwindow\.)(\w+)\s*=\s*(?:window\.\w+\s*=\s*)?(?:htmlDecode\(\s*)?"""
    r"""(?:"([^"\\\n]*(?:\\.[^"\\\n]*)*)"|'([^'\\\n]*(?:\\.[^'\\\n]*)*)')(\.html\(false\))?"""
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


def _var_matches(text: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
    """``_VAR.finditer(text, lo, hi)``, but tried only where ``var`` or ``window.`` starts.

    The pattern opens with an alternation, so the regex engine would try it at every
    position of the window; ``str.find`` of the two words is a C scan (measured on the
    36 KB window of a 2025 page: 2.0 ms -> 0.3 ms)."""
    nv = text.find("var", lo, hi)
    nw = text.find("window.", lo, hi)
    while nv != -1 or nw != -1:
        p = nv if nw == -1 or (nv != -1 and nv < nw) else nw
        m = _VAR.match(text, p, hi)
        nxt = m.end() if m is not None else p + 1
        if m is not None:
            yield m
        if nv != -1 and nv < nxt:
            nv = text.find("var", nxt, hi)
        if nw != -1 and nw < nxt:
            nw = text.find("window.", nxt, hi)


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
        for v in _var_matches(text, lo, hi):
            name = v.group(1)
            if name not in WANTED or name in out:
                continue
            raw = v.group(2) if v.group(2) is not None else v.group(3)
            value = js_string(raw or "")
            # WeChat decodes these values as HTML (``.html(false)``, htmlDecode) and escapes
            # them so even where it does not say so; a page saved in a legacy encoding writes
            # what the encoding lacks as character references (``&#32534;``)
            if "&" in value:
                value = unescape(value)
            if value.strip():
                out[name] = value.strip()
    if m is not None and "ct" not in out:
        out["ct"] = m.group(1)
    return out


# --- window.cgiDataNew --------------------------------------------------------------------

CGI_WANTED = frozenset(
    {
        "title", "nick_name", "author", "create_time", "content_noencode", "copyright_stat", "item_show_type",
        "link", "cdn_url", "desc", "source_url", "ori_create_time", "is_user_title", "alias",
    }
)


def _sq_end(text: str, pos: int, stop: int) -> int:
    """End of the body of a single-quoted JS string that starts at ``pos``: the first ``'``
    not escaped by a backslash, or a backslash before a line break (a string cannot hold
    one), or ``stop``.

    ``str.find`` of the quote instead of a regex over the body: a ``content_noencode`` body
    is 50-400 KB with quotes escaped as ``\\x27``, so this is one or two ``find`` calls
    (measured on a 392 KB body: 3.7 ms -> 0.05 ms).
    """
    q = text.find("'", pos, stop)
    while q != -1:
        k = q
        while k > pos and text[k - 1] == "\\":
            k -= 1
        if (q - k) % 2 == 0:
            break
        q = text.find("'", q + 1, stop)
    end = stop if q == -1 else q
    nl = text.find("\\\n", pos, end)
    if nl == -1:
        nl = text.find("\\\r", pos, end)
    if nl != -1:
        k = nl
        while k > pos and text[k - 1] == "\\":
            k -= 1
        end = nl if (nl - k) % 2 == 0 else end
    return end


#: ``name: JsDecode('`` and ``name: '123' * 1`` written backwards (see :func:`cgi_fields`),
#: for the wanted names only (a name is whole: no word character before it). Naming them in
#: the pattern leaves the other fields (nine in ten) to the regex engine: cgi_fields on the
#: 20 KB script of a 2025 text post, 0.25 ms -> 0.10 ms.
_CGI_NAMES_REV = "|".join(sorted((n[::-1] for n in CGI_WANTED), key=len, reverse=True))
_CGI_STR_REV = re.compile(r"'\(edoceDsJ :(" + _CGI_NAMES_REV + r")(?!\w)")
_CGI_NUM_REV = re.compile(r"1 \* '(\d*)' :(" + _CGI_NAMES_REV + r")(?!\w)")


#: the fields whose value is HTML (read by the HTML adapter, its entities with it)
CGI_HTML = frozenset({"content_noencode"})
#: ``window.cgiDataNew = {`` (spaced or minified)
_CGI_MARKER = r"window\.cgiDataNew\s{0,8}=\s{0,8}\{"
_CGI = re.compile(_CGI_MARKER)


def cgi_fields(text: str) -> dict[str, str]:
    """Top-level string and number fields of ``window.cgiDataNew`` (decoded), first wins.

    Reads from the ``cgiDataNew = {`` marker to the end of its script; returns ``{}`` when
    the page has none. Nested objects' fields with the same names are read too, but the
    top level comes first in WeChat's output, so first-wins keeps it.
    """
    m = _CGI.search(text)
    if m is None:
        return {}
    start = m.start()
    stop = text.find("</script>", start)
    stop = len(text) if stop == -1 else stop
    out: dict[str, str] = {}
    # The field names are read from the reversed script by regexes that start with a literal
    # (``'(edoceDsJ :`` is ``: JsDecode('`` backwards), which the regex engine scans for in C:
    # each match then carries the name that ends at it, with no Python loop over the fields.
    # Measured on the 20-100 KB scripts of the 2025 pages: 1.2-7 ms -> 0.1-0.3 ms.
    rev = text[start:stop][::-1]
    for m in reversed(list(_CGI_STR_REV.finditer(rev))):
        name = m.group(1)[::-1]
        if not out.get(name):
            body = stop - m.start()  # rev[i] is text[stop - 1 - i]
            value = js_decode(text[body : _sq_end(text, body, stop)])
            if "&" in value and name not in CGI_HTML:  # (as the variables above; HTML is parsed as such)
                value = unescape(value)
            out[name] = value
    for m in reversed(list(_CGI_NUM_REV.finditer(rev))):
        name = m.group(2)[::-1]
        if not out.get(name):
            out[name] = m.group(1)[::-1]
    return out


_PIC_LIST = re.compile(r"picture_page_info_list\s*[:=]\s*\[")
#: tokens of a JS object literal: brackets, string literals, and the ``cdn_url:`` key. Every
#: branch opens with a literal character, so the regex engine skips to those characters in C
#: (``c(?<!\wc)`` is ``\bc``), and string bodies are unrolled: 4x faster than the plain
#: alternation (measured on the 35 KB of a 2025 image-share page: 1.8 ms -> 0.4 ms).
_SQ = r"""[^'\\]*(?:\\.[^'\\]*)*"""
_JS_TOKEN = re.compile(
    r"\[|\]|\{|\}|'" + _SQ + r"""'|"[^"\\]*(?:\\.[^"\\]*)*"|c(?<!\wc)dn_url:\s*(?:JsDecode\()?'(""" + _SQ + ")'"
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
                url = unescape(js_decode(tok.group(1)))
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
# a name starts at a boundary and every part is bounded: linear on a run of letters or quotes
_ATTR = re.compile(
    r"""(?<![\w:-])([\w:-]{1,60})\s{0,20}=\s{0,20}"""
    r"""(?:"([^"]{0,8192})"|'([^']{0,8192})'|([^\s"'>]{1,8192}))"""
)


def meta_tags(head: str) -> dict[str, str]:
    """``{name or property: content}`` of the ``<meta>`` tags in ``head`` (first wins)."""
    out: dict[str, str] = {}
    for m in _META.finditer(head):
        attrs = {a.group(1).lower(): a.group(a.lastindex or 0) for a in _ATTR.finditer(m.group(0))}
        key = attrs.get("property") or attrs.get("name")
        content = attrs.get("content")
        if key and content is not None and key.lower() not in out:
            out[key.lower()] = unescape(content).strip()
    return out


_TITLE = re.compile(r"<title[^>]*>([^<]*)</title>", re.IGNORECASE)


def page_title(head: str) -> str | None:
    """The ``<title>`` text of ``head``, or None."""
    m = _TITLE.search(head)
    if m is None:
        return None
    t = " ".join(unescape(m.group(1)).split())
    return t or None


# --- locating the parts of a page in its bytes --------------------------------------------

#: elements whose content is raw text: a ``<`` inside them opens no tag
_RAW_TAGS = frozenset({b"script", b"style", b"textarea", b"title", b"xmp"})
_B_TAG = re.compile(rb"<([A-Za-z][A-Za-z0-9:-]*)")
_LETTERS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
#: first letters of the tags whose names the walk reads (body, meta, script, style, textarea, title, xmp)
_NAMED = frozenset(b"bBmMsStTxX")
#: ``id="js_content"`` as any serializer may write it: quoted or not, ``ID``, spaces around ``=``
#: (not ``data-id=…``)
_B_CONTENT_ID = re.compile(rb"""(?<![\w-])(?i:id)\s{0,20}=\s{0,20}(?:"js_content"|'js_content'|js_content(?![\w-]))""")
_B_CT = re.compile(rb"""ct = ["'](\d{9,11})["']""")  # as every template writes it: searched per script
_B_CT_ANY = re.compile(_CT_ANCHOR.pattern.encode())  # spaced or minified: searched once, over the page
_B_CGI = re.compile(_CGI_MARKER.encode())
_B_PIC = b"picture_page_info_list"
#: WeChat's data scripts open with their data, after at most a few helper functions: ``ct``
#: sits 0.6-1.6 KB into its script, ``cgiDataNew`` 0.4 KB, the picture list 1 KB, in every
#: template of 2016-2025; only this much of each script is searched.
_PROBE = 4096
_B_OPEN_CLOSE: dict[bytes, re.Pattern[bytes]] = {}


@dataclass
class PageScan:
    """Where the parts of an HTML page are, found in its bytes by one forward walk.

    The walk jumps from ``<`` to ``<`` (``bytes.find`` of one byte is a ``memchr``: 10-30x
    faster than searching a longer pattern, and a 2-4 MB WeChat page has only 1-4 thousand
    ``<``): it reads the tag name of each start tag, skips comments and the content of
    ``script``/``style`` elements (only ``</script`` ends one), and records

    * ``body``: the offset of the ``<body`` tag (-1 when there is none);
    * ``metas``: the ``<meta>`` tags before the body;
    * ``content``: the span of the element with ``id="js_content"`` (the walk resumes after
      its matching end tag: the article body is never walked tag by tag), and ``content_cut``:
      the element is never closed (the span then runs to the end of the page);
    * ``vars_at``, ``cgi_at``, ``pic_at``: the scripts that hold the metadata variables
      (``ct = "<unix time>"``), ``window.cgiDataNew`` and ``picture_page_info_list``, found
      by searching only the opening :data:`_PROBE` bytes of each script;
    * ``raw``: the script and style contents after the body (left out of the byline region).

    The walk is lazy: each ``want_*`` method walks on only until its part is found, so a page
    is walked up to its last needed part and no further (measured on the corpus's 2.3-3.7 MB
    2025 pages: 0.2-0.7 ms, where the former ``rfind`` of each anchor from the page end took
    3-10 ms). When a part is not where the templates put it, the ``want_*`` methods fall back
    to one search of the whole page, as the adapter always did.

    What it deliberately leaves alone: decoding (only the slices read are decoded, by
    :meth:`text`) and anything inside the article body.
    """

    data: bytes
    encoding: str = "utf-8"
    errors: str = "strict"
    body: int = -1
    metas: list[tuple[int, int]] = field(default_factory=list)
    content: tuple[int, int] | None = None
    content_cut: bool = False
    vars_at: tuple[int, int, int] | None = None  # (script start, script end, position of ct)
    cgi_at: tuple[int, int] | None = None  # (the cgiDataNew marker, end of its script)
    pic_at: tuple[int, int] | None = None  # (the picture list name, end of its script)
    raw: list[tuple[int, int]] = field(default_factory=list)
    scripts: list[tuple[int, int]] = field(default_factory=list)
    _probed: dict[str, int] = field(default_factory=dict)
    _pos: int = 0
    _done: bool = False
    _full: dict[str, bool] = field(default_factory=dict)

    # -- decoding
    def text(self, lo: int = 0, hi: int | None = None) -> str:
        """The decoded bytes ``lo:hi`` (cut by the caller before a ``<`` or a newline)."""
        return self.data[lo:hi].decode(self.encoding, self.errors)

    # -- the walk
    def _step(self) -> None:
        """Walk on to the next event (the body tag, ``#js_content``, the end of a script) or
        to the end of the page."""
        data = self.data
        find = data.find
        n = len(data)
        i = self._pos
        while True:
            i = find(b"<", i)
            if i == -1 or i + 1 >= n:
                self._done, self._pos = True, n
                return
            c = data[i + 1]
            if c == 0x21:  # "!": comment, doctype, conditional comment
                if data.startswith(b"<!--", i):
                    e = find(b"-->", i + 4)
                    i = n if e == -1 else e + 3
                else:
                    i += 2
                continue
            if c not in _LETTERS:  # an end tag, or a "<" that opens nothing
                i += 1
                continue
            gt = find(b">", i + 2)
            if gt == -1:
                self._done, self._pos = True, n
                return
            if self.content is None and find(b"js_content", i, gt) != -1 and _B_CONTENT_ID.search(data, i, gt):
                m = _B_TAG.match(data, i)
                end = _b_matching_end(data, gt, m.group(1).lower() if m else b"div")
                self.content_cut = end < 0  # never closed: the page was cut inside the body
                end = n if end < 0 else end
                self.content, self._pos = (i, end), end
                return
            if c not in _NAMED:  # only body, meta and raw-text tags matter: no name to read
                i = gt + 1
                continue
            m = _B_TAG.match(data, i)
            name = m.group(1).lower() if m else b""
            if self.body < 0:
                if name == b"body":
                    self.body, self._pos = i, gt + 1
                    return
                if name == b"meta":
                    self.metas.append((i, gt + 1))
            i = gt + 1
            if name in _RAW_TAGS and data[gt - 1] != 0x2F:
                close = _b_raw_end(data, i, name)
                if name != b"title" and self.body >= 0:
                    self.raw.append((i, close))
                if name == b"script":
                    self.scripts.append((i, close))
                    self._pos = close + 2
                    return
                i = close + 2

    def _probe(self, anchor: str) -> None:
        """Search the opening of each script passed and not yet searched for ``anchor``
        (``"vars"``, ``"cgi"`` or ``"pic"``); the first script that has it wins."""
        k = self._probed.get(anchor, 0)
        data = self.data
        while k < len(self.scripts) and self._anchor(anchor) is None:
            lo, hi = self.scripts[k]
            k += 1
            top = min(hi, lo + _PROBE)
            if anchor == "vars":
                m = _B_CT.search(data, lo, top)
                if m is not None:
                    self.vars_at = (lo, hi, m.start())
            elif anchor == "cgi":
                # the short needle first: ``find`` of "cgiDataNew" is 3x faster than of the marker
                at = data.find(b"cgiDataNew", lo, top)
                if at != -1 and (m := _B_CGI.search(data, max(lo, at - 7), top)) is not None:
                    self.cgi_at = (m.start(), hi)
            else:
                at = data.find(_B_PIC, lo, top)
                if at != -1:
                    self.pic_at = (at, hi)
        self._probed[anchor] = k

    def _anchor(self, anchor: str) -> tuple[int, ...] | None:
        return self.vars_at if anchor == "vars" else self.cgi_at if anchor == "cgi" else self.pic_at

    def _want(self, anchor: str) -> None:
        """Walk on until a script with ``anchor`` at its opening is passed, or to the end."""
        while True:
            self._probe(anchor)
            if self._anchor(anchor) is not None or self._done:
                return
            self._step()

    # -- the parts
    def want_body(self) -> int:
        """Offset of the ``<body`` tag, -1 when the page has none (a fragment)."""
        while self.body < 0 and not self._done:
            self._step()
        return self.body

    def want_content(self) -> tuple[int, int] | None:
        """Span of the ``#js_content`` element, from its ``<`` to after its end tag."""
        while self.content is None and not self._done:
            self._step()
        return self.content

    def want_vars(self) -> tuple[int, int] | None:
        """Byte range of the metadata variables: the script that holds the ``ct`` anchor,
        at most 24 KB before and 12 KB after the anchor; None when the page has no anchor."""
        self._want("vars")
        if self.vars_at is None and not self._full.get("vars"):
            self._full["vars"] = True
            m = _B_CT_ANY.search(self.data)  # not at the opening of a script: search the whole page
            if m is not None:
                self.vars_at = (0, len(self.data), m.start())
        if self.vars_at is None:
            return None
        lo, hi, ct = self.vars_at
        start = lo if ct - 24_000 <= lo else self._break_after(ct - 24_000)
        end = hi if ct + 12_000 >= hi else self._break_before(ct + 12_000)
        return start, end

    def want_cgi(self) -> tuple[int, int] | None:
        """Byte range of ``window.cgiDataNew = {...}`` up to the end of its script."""
        self._want("cgi")
        if self.cgi_at is None and not self._full.get("cgi"):
            self._full["cgi"] = True
            m = _B_CGI.search(self.data)
            if m is not None:
                k = m.start()
                stop = self.data.find(b"</script>", k)
                self.cgi_at = (k, len(self.data) if stop == -1 else stop)
        return self.cgi_at

    def cut_at(self, span: tuple[int, int] | None) -> bool:
        """Whether the page ends inside ``span``: a script (``cgi_at``, ``pic_at``) or the
        body (``content``) that runs to the end of the page unclosed, as a cut page's does.
        With no ``span`` (the part was not found), whether the page was cut short before it
        (:meth:`cut_short`)."""
        if span is None:
            return self.cut_short()
        if span == self.content:
            return self.content_cut
        return span[1] >= len(self.data)

    def cut_short(self) -> bool:
        """Whether the page is an HTML document (a doctype, ``<html>``, ``<head>`` or ``<body>``
        opens it) that does not close its body or document (``</body>``, ``</html>``) in its
        last 64 KB and after the body's start, as every saved WeChat page does: a cut download.
        A fragment never is."""
        if self.body < 0:
            top = self.data[:4096].lower()
            if b"<html" not in top and b"<head" not in top and b"<!doctype" not in top:
                return False
        # after the body's start, or with no body after the last comment: a comment in the
        # head may hold the end tags (as a trap)
        lo = max(len(self.data) - 65536, self.body, self.content[1] if self.content else 0)
        if self.body < 0:
            lo = max(lo, self.data.rfind(b"-->", lo) + 3)
        tail = self.data[lo:].lower()
        return b"</body" not in tail and b"</html" not in tail

    def want_pic(self) -> tuple[int, int] | None:
        """Byte range of the script that holds ``picture_page_info_list``, from that name on."""
        self._want("pic")
        return self.pic_at

    def meta_text(self) -> str:
        """The page's ``<meta>`` tags (those of the first 20 KB when there is no body)."""
        body = self.want_body()
        tags = self.metas if body >= 0 else [(a, b) for a, b in self.metas if a < 20_000]
        return "".join(self.text(a, b) for a, b in tags)

    def byline_text(self, lo: int, hi: int) -> str:
        """The markup between ``lo`` and ``hi`` with the script and style contents left out."""
        for a, b in self.raw:
            if a < lo < b:
                lo = b
        lo = self.data.find(b"<", lo, hi)
        if lo == -1:
            return ""
        parts = []
        for a, b in self.raw:
            if lo <= a and b <= hi:
                parts.append(self.text(lo, a))
                lo = b
        parts.append(self.text(lo, hi))
        return "".join(parts)

    def _break_after(self, pos: int) -> int:
        """The first newline or ``<`` at or after ``pos``: a cut there never splits a
        multi-byte character (in UTF-8, GB18030 or Big5 neither byte is ever a trail byte)."""
        k = self.data.find(b"\n", pos, pos + 4096)
        if k == -1:
            k = self.data.find(b"<", pos)
        return len(self.data) if k == -1 else k

    def _break_before(self, pos: int) -> int:
        """The last newline or ``<`` before ``pos`` (see :meth:`_break_after`)."""
        k = self.data.rfind(b"\n", max(0, pos - 4096), pos)
        if k == -1:
            k = self.data.rfind(b"<", 0, pos)
        return max(k, 0)


def _b_raw_end(data: bytes, i: int, name: bytes) -> int:
    """Offset of the ``</name`` that ends a raw-text element opened before ``i`` (or the end)."""
    find = data.find
    k = len(name) + 2
    last = len(data) - 1
    while True:
        i = find(b"<", i, last)
        if i == -1:
            return len(data)
        if data[i + 1] == 0x2F and data[i + 2 : i + k].lower() == name:
            return i
        i += 1


def _b_matching_end(data: bytes, gt: int, tag: bytes) -> int:
    """Offset just after the end tag matching the start tag that ends at ``gt`` (same-name
    nesting counted; -1 when the element is never closed)."""
    if tag.decode("ascii") in _VOID or data[gt - 1] == 0x2F:
        return gt + 1
    pat = _B_OPEN_CLOSE.get(tag)
    if pat is None:
        pat = _B_OPEN_CLOSE[tag] = re.compile(rb"<(/?)" + re.escape(tag) + rb"[\s>/]", re.IGNORECASE)
    depth = 1
    for m in pat.finditer(data, gt + 1):
        if m.group(1):
            depth -= 1
            if depth == 0:
                close = data.find(b">", m.end() - 1)
                return close + 1 if close != -1 else -1
        else:
            depth += 1
    return -1
