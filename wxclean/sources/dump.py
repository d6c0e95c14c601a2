"""Source adapter for markdown and plain-text dumps of WeChat pages.

Dumps come from converters that kept the page's chrome (picker-style front-matter dumps,
web clips with an English UI), from converters that kept none (wechatmp2markdown-style
bylines), or from a copy of a page's text. The adapter

1. reads the converter's own lines (front matter, ``原文链接``/``Source:`` headers) as metadata;
2. finds the *head* (title echo, cover, 原创, author and account lines, repost card,
   novel-reader prompts) and the *tail* (WeChat's toolbar, dialogs and a11y labels) by their
   position and shape, and reads the metadata they carry;
3. turns every line into blocks marked with the zone it stands in (front/head/body/tail).

It removes nothing: the filters drop the head, tail and the rest, so every input line is
either output or recorded in the audit trail. It deliberately leaves alone what it cannot
place: an unknown line inside the body stays body.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from wxclean import rules
from wxclean.model import Block, BlockKind, Document, Link, Meta, Zone, holds_content, make_block, paragraph_block
from wxclean.sources import inline
from wxclean.text import join_words, unescape

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")

# (a closing run of "#" only after a space: "### C#" is about C#)
_HEADING = re.compile(r"^(#{1,6})(?:\s+|$)(.*?)(?:\s+#+)?\s*$")
_LIST = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+(.*)$")
_QUOTE = re.compile(r"^\s{0,3}>\s?(.*)$")
_FENCE = re.compile(r"^\s{0,3}(```+|~~~+)\s*([\w+#.-]*)")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_SEP_CHARS = frozenset("|:- \t")
_HR = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_ITEM_NUMBER = re.compile(r"^\s*(\d{1,3})[.)]")  # an ordered list item's number
_FOLLOWED = re.compile(r"^(.{1,30}?)已关注")
_BLOCK_OPENERS = frozenset("#>-*+_0123456789 \t")
_PLAIN_NOT = _BLOCK_OPENERS | {"["}  # a line opening with none of these, and no image, is a paragraph
_TABLE_OPEN = re.compile(r"<table", re.IGNORECASE)
#: the first characters of a line this adapter may read as block syntax
BLOCK_LEADS = _BLOCK_OPENERS | frozenset("`~|")


#: the openings of :data:`_HEADING`, :data:`_LIST`, :data:`_QUOTE`, :data:`_FENCE`,
#: :data:`_TABLE_ROW` and :data:`_HR` in one pattern (each of those matches a line exactly
#: when its opening here does): one call where six took up to six (a test checks the two
#: agree on every corpus line)
_OPENS_BLOCK = re.compile(
    r"^(?:#{1,6}(?:\s|$)|\s{0,3}(?:[-*+]|\d{1,3}[.)])\s|\s{0,3}>|\s{0,3}(?:```|~~~)|\s*\|.*\|\s*$"
    r"|\s{0,3}(?P<hr>[-*_])(?:\s*(?P=hr)){2,}\s*$)"
)


def opens_block(line: str) -> bool:
    """Whether this adapter reads ``line`` (stripped) as block syntax, not as a paragraph: a
    heading, list item, quote, code fence, table row or horizontal rule. The renderer asks,
    to escape such a start in a paragraph's markdown."""
    if not line or line[0] not in BLOCK_LEADS:
        return False
    return _OPENS_BLOCK.match(line) is not None

#: a table row's cell edge: a "|" not escaped (renderers split cells there first)
CELL_EDGE = re.compile(r"\|(?<!\\\|)")
_FM_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s?(?P<value>.*)$")
_NAME_MAX = 40  # author and account lines are short


@dataclass
class _Scan:
    """Line-level findings: a zone per line and the metadata read on the way."""

    lines: list[str]
    zones: list[Zone]
    meta: dict[str, object] = field(default_factory=dict)


def _unquote(v: str) -> str:
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        v = v[1:-1]
    return v.strip()


def _front_matter(lines: list[str], scan: _Scan) -> int:
    """Read a ``---`` front matter block; return the index after it (0 when there is none).

    Tolerant of what breaks YAML in real dumps: titles running over several lines.
    """
    if not lines or lines[0].strip() != "---":
        return 0
    end = next((i for i in range(1, min(len(lines), 200)) if lines[i].strip() == "---"), None)
    if end is None:
        return 0
    fm: dict[str, str] = {}
    key = None
    for line in lines[1:end]:
        m = _FM_KEY.match(line)
        if m and m.group("key").lower() in _FM_KEYS:
            key = m.group("key").lower()
            fm[key] = _unquote(m.group("value"))
        elif key is not None:  # continuation of a multi-line value
            fm[key] = (fm[key] + "\n" + line.strip()).strip()
    if not fm:  # two rules around text, not front matter: no known key between them
        return 0
    for i in range(end + 1):
        scan.zones[i] = "front"
    scan.meta["front"] = fm
    return end + 1


_FM_KEYS = {
    "title", "url", "source", "date", "fetch_date", "author", "account", "nickname", "published",
    "created", "clipped", "type", "origin", "sources", "tags", "description", "cover", "link", "time",
}


def parse_date(value: str) -> datetime | None:
    """A Beijing-time datetime from the date forms dumps use; None when it is not a date."""
    value = value.strip().strip("\"'")
    if not value:
        return None
    if value.isdigit() and len(value) == 10:
        return datetime.fromtimestamp(int(value), BEIJING)
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T", 1) if len(value) > 10 else value)
    except ValueError:
        m = rules.DATE_LINE.match(value)
        if not m:
            return None
        try:
            if m.group("y"):
                y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
            else:
                mon = rules.MONTHS.get(m.group("mon")[:3].lower())
                if mon is None:
                    return None
                y, mo, d = int(m.group("y2")), mon, int(m.group("d2"))
            hh = int(m.group("H") or 0)
            mm = int(m.group("M") or 0)
            ampm = (m.group("ampm") or "").lower()
            if ampm == "pm" and hh < 12:
                hh += 12
            elif ampm == "am" and hh == 12:
                hh = 0
            dt = datetime(y, mo, d, hh, mm)
        except ValueError:
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=BEIJING)
    return dt.astimezone(BEIJING)


def _is_name(line: str) -> bool:
    """A line that can be an author or account name: short, one phrase, no sentence."""
    s = line.strip()
    if not s or len(s) > _NAME_MAX or s.startswith(("#", "!", "[", "|", ">", "```", "<")):
        return False
    if rules.PUNCT_LINE.match(s) or s.isdigit():
        return False
    return not any(c in s for c in "。！？；：，") and not s.endswith((":", "："))


def _byline_marks_follow(lines: list[str], k: int, end: int) -> bool:
    """Whether WeChat's byline marks (原创, the novel-reader prompts, the empty avatar image)
    come after line ``k``, past at most a few name lines and avatars: what tells a page's title echo from
    a body that opens with its title (as cleaned markdown does)."""
    seen = 0
    while k < end and seen < 8:
        s = lines[k].strip()
        k += 1
        if not s:
            continue
        if s in rules.ORIGINAL_MARKS or _head_mark(s):
            return True
        if s.startswith("![") and rules.AVATAR_URL.search(s) and inline.IMAGE.fullmatch(s):
            continue  # an avatar among the names (as a repost card prints it): no name, no mark
        if not _is_name(s):
            return False
        seen += 1
    return False


_NOT_WORDS = re.compile(r"[\W_]+")
_MARKS = re.compile(r"[*<>]")  # bold and angle brackets around a converter line's value
_WIDE_GAP = re.compile(r"\s{2,}")  # what separates the names of a byline


def _title_key(s: str) -> str:
    """A title compared by its words only: spaces, quotes and punctuation do not count."""
    return _NOT_WORDS.sub("", inline.plain(s))


def _converter_lines(lines: list[str], start: int, scan: _Scan) -> int:
    """Mark converter header lines (``> **原文链接**: …``, ``Source: …``) before the body."""
    i = start
    while i < len(lines):
        s = lines[i].strip()
        if not s:
            i += 1
            continue
        m = rules.CONVERTER_LINE.match(s)
        if not m:
            break
        _converter_value(s, m, scan.meta)
        scan.zones[i] = "front"
        i += 1
    return i


def _converter_value(s: str, m: re.Match[str], meta: dict[str, object]) -> None:
    """Keep what a converter header line says: the article's address, title or time."""
    value = _MARKS.sub("", m.group("value")).strip()
    if value.startswith("http"):
        meta.setdefault("url", value)
    elif m.group("key") == "Title":  # a reader service's header: the title, as front matter gives it
        front = meta.setdefault("front", {})
        if value and isinstance(front, dict):
            front.setdefault("title", value)
    elif "time" in s.lower() or "时间" in s:
        meta.setdefault("date_line", value)


def tail_start(lines: list[str]) -> int:
    """Where WeChat's tail block starts in ``lines`` (``len(lines)`` when there is none), by
    the rule the adapter zones a dump with (the filters use it on what is left at the end)."""
    return _find_tail(lines, 0, [line.strip() for line in lines])[0]


def _fence_end(lines: list[str], i: int, fence: str) -> int:
    """The index of the line that closes the code fence ``fence`` opened at line ``i``
    (``len(lines)`` when none does)."""
    j = i + 1
    while j < len(lines) and not lines[j].strip().startswith(fence):  # (as long as the opening, or longer)
        j += 1
    return j


def _table_end(lines: list[str], i: int) -> int:
    """The index of the line that closes the raw HTML table opened at line ``i``
    (``len(lines)`` when none does)."""
    j = i
    while j < len(lines) and "</table>" not in lines[j].lower():
        j += 1
    return j


# an article card a converter split over lines: "[![](cover)" / (blank lines) / "title](url)"
_CARD_OPEN = re.compile(r"\[!\[[^\[\]\n]{0,500}\]\([^()\[\]\s]{0,4096}(?:\s+\"[^\"\n]{0,500}\")?\)")
_CARD_TARGET = re.compile(r"<?https?://[^()\[\]\s<>]{1,4096}>?\)")  # the "url)" that closes the card
_CARD_TITLE = 500
_CARD_GAP = 3  # blank lines a converter leaves between the card's two halves


_SETEXT_H1 = re.compile(r" {0,3}={3,}\s*")


def _setext_titles(lines: list[str]) -> None:
    """Turn, in place, each first-level heading written in the setext style (a line of text
    underlined by a line of ``===``, as reader services write the title) into ``# text``; the
    underline is left blank. Lines of ``---`` are left alone: a converter's rule or the front
    matter's fence, not a heading."""
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if line.lstrip()[:1] in ("`", "~") and (fm := _FENCE.match(line)):
            i = _fence_end(lines, i, fm.group(1)) + 1  # code is left as it is
            continue
        if i and line.startswith(("=", " ")) and _SETEXT_H1.fullmatch(line):
            above = lines[i - 1].strip()
            if above and not opens_block(above):
                lines[i - 1] = "# " + above
                lines[i] = ""
        i += 1


def _join_split_cards(lines: list[str]) -> None:
    """Join, in place, each article card whose link a converter split over lines: the line
    ``[![](cover)`` and the next non-blank line ``title](url)`` become one line
    ``[![](cover)title](url)`` (the second line is left blank). Other lines are untouched."""
    n = len(lines)
    for i, line in enumerate(lines):
        s = line.strip()
        if not s.startswith("[![") or not _CARD_OPEN.fullmatch(s):
            continue
        k = i + 1
        while k < n and k - i <= _CARD_GAP and not lines[k].strip():
            k += 1
        if k < n and k - i <= _CARD_GAP and _card_close(close := lines[k].strip()):
            lines[i] = s + close
            lines[k] = ""


def _card_close(s: str) -> bool:
    """``title](https://…)``: a card's second half, its title free of brackets."""
    k = s.find("](")
    return 0 < k <= _CARD_TITLE and "[" not in s[:k] and "]" not in s[:k] and bool(_CARD_TARGET.fullmatch(s, k + 2))


def _split_mixed(lines: list[str]) -> list[str]:
    """The lines with each plain line that holds images and text split into one line per
    piece, as the output writes them (so that cleaning the output again reads the same lines
    in the same zones). Lines in code fences and HTML tables, table rows, and lines that open
    a heading, list or quote are left whole."""
    mixed = {
        i: pieces
        for i, line in enumerate(lines)
        if "![" in line and "](" in line and (s := line.strip()) and s[0] not in _BLOCK_OPENERS and s[0] != "|"
        and (pieces := inline.mixed_pieces(s))
        # (a text piece that would open a block on a line of its own, a fence above all, stays
        # in its line: split off, it would turn what follows into code)
        and not any(kind == "text" and opens_block(raw) for kind, _, _, _, raw in pieces)
    }
    if not mixed:  # the usual dump: images stand on lines of their own
        return lines
    out: list[str] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        s = line.strip()
        end = i + 1
        if s[:1] in ("`", "~") and (fm := _FENCE.match(line)):
            end = _fence_end(lines, i, fm.group(1)) + 1
        elif "<" in s and _TABLE_OPEN.search(s):
            end = _table_end(lines, i) + 1
        elif i in mixed:
            out.extend(piece[4] for piece in mixed[i])
            i += 1
            continue
        out.extend(lines[i:end])
        i = end
    return out


def _find_tail(lines: list[str], start: int, stripped: list[str], fenced: bool = True) -> tuple[int, str | None]:
    """Index where WeChat's tail block starts (len(lines) when none) and the tail's account name.

    The tail opens at a tail marker after which at least four of every five lines are known
    tail lines; empty shells carry only the short bar, found by scanning back from the end.
    """
    n = len(lines)
    if fenced:  # (``fenced=False``: the caller knows no line holds a fence)
        start = max(start, _after_code(lines, start))  # the tail is never code, nor before code
    nonblank = list(map(bool, stripped))
    tail = n
    # the first marker whose remainder is mostly tail lines: counted from the end back to the
    # first marker of all, each marker checked against the lines from it to the end
    first_marker = next((i for i in range(start, n) if stripped[i] in rules.TAIL_START), n)
    name = _tail_name(stripped, first_marker)  # the follow bars repeat the account's name
    tail_lines = rules.TAIL_LINES  # (most lines of a tail: known without a call)
    total = ok = words = 0  # from line i to the end: lines, known tail lines, interface words
    for i in range(n - 1, first_marker - 1, -1):
        s = stripped[i]
        if not s:
            continue
        total += 1
        if s in tail_lines:
            ok += 1
            words += 0 if rules.PUNCT_LINE.match(s) else 1  # (not images or punctuation)
        elif s == name or _tail_known(s):
            ok += 1
        # the account name is the one free line a tail has; anything more and this is text
        if s in rules.TAIL_START and words >= 2 and (ok >= 0.8 * total or total - ok <= 1):
            tail = i  # (the last found going back is the first going forward)
    # backward: a run of known tail lines at the end (the short bar of empty shells)
    j, run = _bar_run(stripped, nonblank, start, n)
    if run >= rules.BAR_MIN_WORDS and j < tail:
        tail = j
    if tail < n:
        tail = _swallow_before(stripped, nonblank, start, tail)
    account = None
    for i in range(tail, n):
        if stripped[i] in ("轻触阅读原文", "轻触查看原文"):
            rest = [stripped[k] for k in _nonblank(lines, i + 1, n, 2)]
            if len(rest) >= 2 and rest[0].startswith("![") and _is_name(rest[1]) and rest[1] not in rules.TAIL_LINES:
                account = rest[1]
            elif rest and _is_name(rest[0]) and rest[0] not in rules.TAIL_LINES:
                account = rest[0]  # text copied from a page: the avatar left no line
            break
    if account is None:
        for i in range(tail, n):
            if "已关注" in stripped[i]:  # the English-UI clip's "<account>已关注LikeShare…" line
                m = _FOLLOWED.match(stripped[i])
                if m:
                    account = m.group(1)
                    break
    return tail, account


def _swallow_before(stripped: list[str], nonblank: list[bool], start: int, tail: int) -> int:
    """Where the tail starts once it takes the lines just before it that belong to it: the
    punctuation lines, or a run of bar lines holding a bar's worth of words (left at the
    body's end, that run would be read as the bar when the output is cleaned again)."""
    k, words = _bar_run(stripped, nonblank, start, tail)
    if words >= rules.BAR_MIN_WORDS:
        return k
    while tail > start and (not nonblank[tail - 1] or rules.PUNCT_LINE.match(stripped[tail - 1])):
        tail -= 1
    return tail


def _bar_run(stripped: list[str], nonblank: list[bool], start: int, end: int) -> tuple[int, int]:
    """Where the run of bar lines (and blank lines) that ends at ``end`` starts, not before
    ``start``, and how many bar words it holds."""
    k, words = end, 0
    while k > start and (not nonblank[k - 1] or rules.bar_line(stripped[k - 1])):
        k -= 1
        words += rules.bar_words(stripped[k])
    return k, words


def _after_code(lines: list[str], start: int) -> int:
    """The index after the last code fence's closing line (``len(lines)`` when it is never
    closed), or ``start`` when there is no fence."""
    after = start
    i = start
    while i < len(lines):
        s = lines[i]
        fm = _FENCE.match(s) if "```" in s or "~~~" in s else None
        if fm:
            i = _fence_end(lines, i, fm.group(1))
            after = min(i + 1, len(lines))
        i += 1
    return after


def _tail_name(stripped: list[str], first: int) -> str | None:
    """The account's name as the tail prints it: the first name line after 轻触阅读原文."""
    for i in range(first, len(stripped)):
        if stripped[i] in ("轻触阅读原文", "轻触查看原文"):
            for k in _nonblank(stripped, i + 1, len(stripped), 2):
                s = stripped[k]
                if not s.startswith("!"):
                    return s if _is_name(s) and s not in rules.TAIL_LINES else None
            return None
    return None


def _tail_known(s: str) -> bool:
    if not s:
        return True
    if s in rules.TAIL_LINES or rules.PUNCT_LINE.match(s) or rules.BAR_COUNTS.match(s):
        return True
    if (" " in s or "](" in s) and len(s) <= rules.BAR_LINE_MAX and _tail_words(s):
        return True
    if rules.TAIL_PATTERN.match(s):
        return True
    return len(s) > 8 and rules.TAIL_UI_FRAGMENT.search(s) is not None and _ui_density(s)


def _tail_words(s: str) -> bool:
    """A tail line some converters write run together: tail words side by side (``× 分析``,
    ``视频 小程序 赞 …``) or as links to nowhere (``[取消](javascript:;)[允许](javascript:;)``,
    ``[Got It](javascript:;)``, an empty ``[](javascript:;)``)."""
    if "](" in s:
        s = inline.LINK.sub(r" \g<text> ", s)
    visible = s.strip()
    return not visible or rules.bar_words(visible) > 0


def _ui_density(s: str) -> bool:
    """A run-together UI line: several UI fragments glued without sentence punctuation."""
    hits = sum(1 for fr in rules.TAIL_UI_FRAGMENTS if fr in s)
    return hits >= 2 or (hits >= 1 and "。" not in s[:-1])


def _head(lines: list[str], start: int, tail: int, scan: _Scan, account_hint: str | None) -> int:
    """Mark the head block from ``start``; return the index where the body starts."""
    meta = scan.meta
    fm: dict[str, str] = meta.get("front", {})  # type: ignore[assignment]
    title = fm.get("title") or None
    i = start
    end = min(tail, len(lines))
    evidence = False  # a cover, 原创, byline or known account: this is a WeChat page head

    def skip_blank(k: int) -> int:  # (blank lines, and empty headings: "#" alone shows nothing)
        while k < end and (not (s := lines[k].strip()) or (len(s) <= 6 and s.strip("#") == "")):
            scan.zones[k] = "head" if scan.zones[k] == "body" else scan.zones[k]
            k += 1
        return k

    i = skip_blank(i)
    # title heading(s) and the cover image, in any order, up to the first other line
    seen_title = False
    after_cover = False
    title_lines = 0
    while i < end:
        s = lines[i].strip()
        hm = _HEADING.match(s)
        cm = rules.CONVERTER_LINE.match(s) if seen_title else None
        if cm:
            _converter_value(s, cm, meta)
            scan.zones[i] = "front"
            i = skip_blank(i + 1)
            continue
        # one title heading, and one echo of it (after the cover; or right under it when the
        # byline's marks follow, as 2026 pages print it), no more: a third is the body's
        allowed = title_lines == 0 or (
            title_lines == 1
            and (
                (meta.get("cover") is not None and after_cover)
                or (
                    hm is not None
                    and title is not None
                    and _same_title(hm.group(2), title)
                    and _byline_marks_follow(lines, i + 1, end)
                )
            )
        )
        echo = allowed and meta.get("cover") is not None
        if hm and hm.group(1) == "#" and allowed and (title is None or echo or _same_title(hm.group(2), title)):
            if title is None:
                title = inline.plain(hm.group(2))
            meta.setdefault("title_heading", inline.plain(hm.group(2)))
            # multi-line titles continue on the following plain lines (text posts)
            k = i + 1
            # (a continuation is one of the title's lines: a line that is part of one, such as
            # the account's name, or the avatar's image, with no words, is not)
            more = {_title_key(t) for t in (title or "").split("\n")[1:]} - {""} if title and "\n" in title else set()
            while more:  # (blank lines between them or not)
                j = k
                while j < end and not lines[j].strip():
                    j += 1
                if j >= end or _title_key(lines[j]) not in more:
                    break
                k = j + 1
            if k > i + 1:
                meta["caption_lines"] = True  # a text post's text, printed as a title of several lines
            for z in range(i, k):
                scan.zones[z] = "head"
            title_lines += k - i
            seen_title = True
            i = skip_blank(k)
            continue
        im = inline.IMAGE.fullmatch(s)
        if im and _cover(im):
            meta["cover"] = im.group("url")
            after_cover = True
            scan.zones[i] = "head"
            evidence = True
            i = skip_blank(i + 1)
            continue
        if im and (seen_title or title) and "/300?" in im.group("url") and rules.AVATAR_URL.search(im.group("url")):
            # picture and text posts put the account avatar (300 px) right under the title
            # (under the converter's title line when the title's heading is missing)
            meta["post_avatar"] = True
            scan.zones[i] = "head"
            i = skip_blank(i + 1)
            continue
        if seen_title and title and (fm or meta.get("url")) and _title_key(s) == _title_key(title) and not hm:
            scan.zones[i] = "head"  # a plain title echo (web clips)
            i = skip_blank(i + 1)
            continue
        if (_over_echo(s) or (after_cover and _ADDRESS_BITS.match(s))) and _echo_next(lines, i + 1, end, title):
            # interface words, marks or empty images over the title's heading or its echo; or,
            # under the cover, the rest of its address (a stray bracket in it ended the image)
            scan.zones[i] = "head"
            i = skip_blank(i + 1)
            continue
        break
    if not seen_title and title is None:
        # no title heading, no title in the converter's lines: text copied from a page may
        # still open with its title and byline (whether a converter's address came first or
        # not: cleaned, the copy has none, and must read the same)
        return _plain_head(lines, i, end, scan, account_hint, tail < len(lines))
    if title:
        meta["title"] = title
    # the picture / text-post layout: avatar (/300), account, punctuation lines, then the tail
    head_start = i
    # byline (wechatmp2markdown) right after the title, or after empty images there (the
    # avatar's placeholder: gone from the cleaned output, the byline is right under the title)
    while i < end and rules.EMPTY_IMAGE.fullmatch(lines[i].strip()):
        b = next(_nonblank(lines, i + 1, end, 1), end)
        if b >= end or _byline(lines[b]) is None:
            break
        scan.zones[i] = "head"
        i = skip_blank(i + 1)
    if i < end:
        byline = _byline(lines[i])
        if byline is not None:
            orig, parts, date = byline
            meta["published_line"] = date
            meta["original"] = orig
            if len(parts) >= 2:
                meta["author"] = parts[0]
                meta["account"] = parts[-1]
            elif parts:
                meta["account"] = parts[0]
            scan.zones[i] = "head"
            # (what a head prints under its byline is the head's: read again under the title
            # alone, a date or 原创 there would be)
            return _trailing_head(lines, i + 1, end, scan)
        # a rendered byline on one line (原创 author account date place), as a reader service
        # or a copy from the page writes it, its account as a link and its date in italics
        text = inline.plain(lines[i].strip()).replace("_", " ")  # (italics in _…_ too)
        copied = _plain_byline(text, account_hint) if text else None
        # 原创 opens it, or names come before its date (a line opening with a date is the body's)
        if copied is not None and (copied[0] or (copied[3] and not text.startswith(copied[3]))):
            meta.update(original=copied[0], account=copied[2])
            if copied[1]:
                meta["author"] = copied[1]
            if copied[3]:
                meta["published_line"] = copied[3]
            scan.zones[i] = "head"
            return _trailing_head(lines, i + 1, end, scan)
    # 原创, names, dates, places, novel prompts, empty images, repost card
    names: list[int] = []  # line indices of author / account candidates
    names_done = False  # the prompts under the account line (在小说阅读器读本章 …) came: no more names
    k = i
    window_end = min(end, i + 40)
    while k < window_end:
        s = lines[k].strip()
        if not s:
            k += 1
            continue
        if s in rules.ORIGINAL_MARKS:
            meta["original"] = True
            evidence = True
        elif _head_mark(s):
            evidence = evidence or not rules.EMPTY_IMAGE.fullmatch(s)
            names_done = bool(names)
        elif rules.DATE_LINE.match(s) and len(s) < 40:
            meta.setdefault("date_line", s)
        elif rules.REPOST_FROM.match(s):
            break
        elif names and s in rules.IP_REGIONS:
            pass  # the region under the names (IP 属地): no name
        elif _is_name(s) and len(names) < _HEAD_NAMES and not names_done and not _starts_body(s):
            names.append(k)
        else:
            break
        k += 1
    # decide which name lines are head lines: up to the account line
    acc_idx = None
    for cand in (account_hint, fm.get("source"), fm.get("account")):
        if cand:
            hits = [n for n in names if lines[n].strip() == cand]
            if hits:
                acc_idx = hits[-1]
                meta["account"] = cand
                evidence = True
                break
    if acc_idx is None and evidence and names:
        # no known account: WeChat prints [author lines] then the account; keep it to what fits
        cut = [n for n in names if n < _first_nonhead(lines, i, k)]
        if cut:
            acc_idx = cut[-1]
            meta["account"] = lines[acc_idx].strip()
    if acc_idx is None and not evidence:
        # no account and no head marks: a date / place line after a plain title echo still is head
        body = i
        for z in range(head_start, k):
            s = lines[z].strip()
            if not s or rules.DATE_LINE.match(s) or _head_mark(s):
                scan.zones[z] = "head"
                body = z + 1
            else:
                break
        return body
    last = acc_idx if acc_idx is not None else i - 1
    # every line from i to the account line, plus head-only lines after it
    authors = [lines[n].strip() for n in names if acc_idx is not None and n < acc_idx]
    authors = [a for a in authors if a != meta.get("account")] or authors
    if authors and "author" not in meta:
        meta["author"] = authors[0]
    for z in range(i, last + 1):
        scan.zones[z] = "head"
    return _trailing_head(lines, last + 1, end, scan)


def _echo_next(lines: list[str], start: int, end: int, title: str | None) -> bool:
    """Is the next line from ``start`` on the title again, as a heading (past blank lines,
    the cover and interface words or marks, within a few lines)?"""
    for k in _nonblank(lines, start, end, _ECHO_REACH):
        s = lines[k].strip()
        if _over_echo(s) or ((im := inline.IMAGE.fullmatch(s)) and _cover(im)):
            continue
        hm = _HEADING.match(s)
        return hm is not None and title is not None and _same_title(hm.group(2), title)
    return False


_ECHO_REACH = 8


def _interface(s: str) -> bool:
    """A line of WeChat's interface words or of punctuation alone."""
    return s in rules.UI_LINES or s in rules.TAIL_LINES or rules.PUNCT_LINE.match(s) is not None


def _over_echo(s: str) -> bool:
    """A line WeChat's head may print over the title's heading or its echo: interface words,
    punctuation alone, a head mark (原创, the novel-reader prompts), an empty image placeholder."""
    return _interface(s) or _head_mark(s)  # (the empty image placeholder is a head mark)


def _marks_head(s: str) -> bool:
    """原创, a head mark or a short date line: what a head prints under its byline."""
    return s in rules.ORIGINAL_MARKS or _head_mark(s) or (rules.DATE_LINE.match(s) is not None and len(s) < 40)


def _head_mark(s: str) -> bool:
    """A line WeChat's head prints among the byline's (原创, the novel-reader prompts, 已付费 …),
    or an image with no address: the empty avatar, written ``![]()`` or with its alt text
    (``![图片]()``), as converters differ."""
    return s in rules.HEAD_LINES or (s[:2] == "![" and rules.EMPTY_IMAGE.fullmatch(s) is not None)


def _cover(im: re.Match[str]) -> bool:
    return rules.NUMBERED_ALT.sub("", im.group("alt")) == "cover_image"


def _trailing_head(lines: list[str], body: int, end: int, scan: _Scan, rendered: str | None = None) -> int:
    """Where the body starts after the head's last named line at ``body - 1``: past that line
    printed again, a byline (printed twice, or split in two), novel prompts, empty images,
    原创, date and place lines (and interface words over 原创 or a date), a repost or share
    card and a 编者荐语 label. ``rendered`` is
    the account's name when the head is a rendered page copied as text: then the name
    printed again, its hover card (微信号 / 功能介绍) and the words a rendered head prints
    (发表于, 收录于合集, 昨天) are head lines too."""
    meta = scan.meta
    named = lines[body - 1].strip() if body > 0 else ""  # printed twice, it is the head's again
    title = meta.get("title")
    echo_of = title if isinstance(title, str) else None
    z = body
    while z < end:
        s = lines[z].strip()
        again = _byline(s) if s else None  # a byline once more (printed twice, or split in two)
        if (
            not s
            or s == named
            or again is not None
            or _marks_head(s)
            or s in rules.IP_REGIONS  # (the region WeChat prints after the date)
            or (rendered is not None and _rendered_head_line(s, rendered))
        ):
            if s in rules.ORIGINAL_MARKS:
                meta["original"] = True
            if s and rules.DATE_LINE.match(s):
                meta.setdefault("date_line", s)
            if again is not None:
                meta.setdefault("published_line", again[2])
            scan.zones[z] = "head"
            z += 1
            body = z
            continue
        if _over_echo(s):
            k = next(_nonblank(lines, z + 1, end, 1), end)
            if (k < end and _marks_head(lines[k].strip())) or _echo_next(lines, z + 1, end, echo_of):
                # interface words over 原创, a date or the title's echo: under the title's heading
                # alone, as the output reads, they are the head's (the echo stays the body's too)
                scan.zones[z] = "head"
                z += 1
                body = z
                continue
        rm = rules.REPOST_FROM.match(s)
        if rm:
            z = _repost_card(lines, z, end, scan, rm)
            body = z
            continue
        im = inline.IMAGE.fullmatch(s)
        if im and rules.AVATAR_URL.search(im.group("url")) and z == body:
            share_end = _share_card(lines, z, end, scan)
            if share_end > z:
                body = z = share_end
                continue
        if rules.EDITOR_NOTE_LABEL.match(s):
            # 编者荐语 label, the reposter's comment (body), then the repost card
            scan.zones[z] = "head"
            body = z + 1
            for r in _nonblank(lines, z + 1, end, 30):
                rm = rules.REPOST_FROM.match(lines[r].strip())
                if rm:
                    _repost_card(lines, r, end, scan, rm)
                    break
        break
    return body


#: a line of an address's characters alone (no space, no CJK, no other punctuation)
_ADDRESS_BITS = re.compile(r"^[A-Za-z0-9%./?=&()\[\]\\_~:#+-]{1,200}$")
_HEAD_NAMES = 4  # name lines a head holds at most (authors and the account)
_PLAIN_TITLE_MAX = 64  # a title is one short line
#: the date (and the IP place) a rendered page prints in its byline: 2025年11月14日 08:00 上海
_PAGE_DATE = re.compile(r"\d{4}(?:-\d{1,2}-\d{1,2}|年\d{1,2}月\d{1,2}日)(?:\s+\d{1,2}:\d{2})?")


def _plain_head(lines: list[str], i: int, end: int, scan: _Scan, account: str | None, has_tail: bool) -> int:
    """The head of text copied from a page, with no markup: the title line (maybe twice) and
    the byline under it (``原创 author account date``), then what a rendered head prints
    under it (the account again, its hover card, the date, a repost card). Read only when the
    title is one short line and the byline says it is one: it opens with 原创, it names the
    account the page's tail names, the account's hover card follows it, or the title is
    printed twice over a byline that opens with the date or whose name is echoed. Returns
    where the body starts (``i`` when there is no such head)."""
    # the lines read as the output prints them (a link's text, no markup: cleaned again, they
    # read the same); passed over: images (the cover), lines with no text left, interface
    # words and calls to action, which a cleaned copy may have dropped
    idx: list[int] = []
    shown: list[str] = []
    for k in _nonblank(lines, i, end, 8):
        raw = lines[k].strip()
        if raw[:1] in ("`", "~") and _FENCE.match(raw):
            break  # code is never a head's
        if raw and not raw.startswith("![") and (t := inline.plain(raw)) and not _passed_over(t):
            idx.append(k)
            shown.append(t)
            if len(idx) == 3:
                break
    if len(idx) < 2:
        return i
    title = shown[0]
    if len(title) > _PLAIN_TITLE_MAX or title.endswith("。") or opens_block(lines[idx[0]].strip()):
        return i
    if not _is_title_line(title):
        return i
    at = 2 if shown[1] == title and len(idx) > 2 else 1  # the title printed twice
    found = _plain_byline(shown[at], account)
    if found is None:
        return i
    orig, author, acc, date = found
    after = [
        t for k in _nonblank(lines, idx[at] + 1, end, 5) if (t := inline.plain(lines[k])) and not _passed_over(t)
    ][:2]
    evidence = (
        orig  # 原创 opens the byline
        or (has_tail and acc == account)  # the page's tail names the same account
        or bool(after and rules.PROFILE_CARD_LINE.match(after[-1] if after[0] == acc else after[0]))  # hover card
        or (at == 2 and (bool(date and shown[at].startswith(date)) or (bool(after) and after[0] == acc != title)))
    )
    if not evidence:  # (the last: title printed twice, then a byline that opens with the date or an
        # echoed name other than the title's)
        return i
    meta = scan.meta
    meta["title"] = title
    meta["original"] = orig
    meta["account"] = acc
    if author:
        meta["author"] = author
    if date:
        meta["published_line"] = date
    for z in range(i, idx[at] + 1):
        scan.zones[z] = "head"
    return _trailing_head(lines, idx[at] + 1, end, scan, rendered=acc)


def _nonblank(lines: list[str], start: int, end: int, n: int) -> Iterator[int]:
    """The indices of the first ``n`` non-blank lines from ``start`` (before ``end``): a
    window that reads the same whether blank lines separate the lines or not (cleaned
    markdown puts one between every two), searched over at most ``8 * n`` lines."""
    for k in range(start, min(end, start + 8 * n)):
        if lines[k].strip():
            yield k
            n -= 1
            if n == 0:
                return


def _passed_over(s: str) -> bool:
    """A line of WeChat's interface words alone (赞, ×, 在小说阅读器中沉浸阅读 …), of
    punctuation alone, or a call to action: what the filters drop, or no title."""
    # (a punctuation line: a divider, or a table's |---| line, is no title)
    return _interface(s) or _head_mark(s) or rules.call_to_action(s)


def _rendered_head_line(s: str, account: str) -> bool:
    """A line only a rendered head prints under its byline: the account's name again, its
    hover card (微信号 / 功能介绍), 发表于, 收录于合集, or the date in words (昨天)."""
    return s == account or s in rules.RENDERED_HEAD_WORDS or bool(rules.PROFILE_CARD_LINE.match(s))


def _is_title_line(s: str) -> bool:
    """A line that can be a title: not a date, not a lone mark, not an image or link line."""
    return not rules.DATE_LINE.match(s) and not rules.PUNCT_LINE.match(s) and not s.startswith(("![", "[", "<"))


def _plain_byline(s: str, account: str | None) -> tuple[bool, str | None, str, str | None] | None:
    """``(原创?, author, account, date)`` of a rendered page's byline copied as text
    (``原创 阮一峰 阮一峰的网络日志 2025年11月14日 08:00 上海``, with the date first as 2018
    pages print it, or only the account's name), or None. The names are one to four short
    phrases; the account is the one the tail names when it is among them, else the last."""
    if len(s) > 100:
        return None
    orig = s.startswith("原创") and (len(s) == 2 or s[2].isspace())
    rest = s[2:].strip() if orig else s
    date = None
    m = _PAGE_DATE.search(rest)
    if m is not None:
        date = m.group(0)
        after = rest[m.end() :].split()
        if (len(after) > 1 or (after and not _is_place(after[0]))) and m.start() != 0:
            return None  # text after the date that is no place: not a byline
        rest = rest[: m.start()] + " " + (rest[m.end() :] if m.start() == 0 else "")
    names = rest.split()
    if not names or len(names) > 4 or not all(map(_byline_name, names)) or "原创" in names:
        return None  # (原创 opens a byline or is not in it: "往期推荐 原创 …" is a line of a list)
    acc = account if account and account in names else names[-1]
    others = [n for n in names if n != acc]
    return orig, (others[0] if others else None), acc, date


def _byline_name(s: str) -> bool:
    """A name in a copied byline: a short phrase with a letter (a list's number "1." is none),
    no interface word."""
    return len(s) <= 20 and _is_name(s) and any(c.isalpha() for c in s) and s not in rules.TAIL_LINES


def _byline(line: str) -> tuple[bool, list[str], str] | None:
    """A wechatmp2markdown byline ``[原创 ]author  account   YYYY-MM-DD HH:MM``: (原创?, the
    names, the date), or None. The date is found at the line's end first, so the search stays
    linear on any line."""
    s = line.strip()
    if len(s) > 200:
        return None
    m = rules.BYLINE_DATE.search(s)
    if m is None:
        return None
    names = s[: m.start()].strip()
    orig = names.startswith("原创") and (len(names) == 2 or names[2].isspace())
    if orig:
        names = names[2:].strip()
    if not orig and "  " not in s:
        return None  # fields are separated by runs of spaces; a lone date line is no byline
    return orig, [p for p in _WIDE_GAP.split(names) if p], m.group(0).strip()


def _is_place(s: str) -> bool:
    """A short word after a byline's date on the same line: its place. (A line of its own
    is a place only when it names a region, ``rules.IP_REGIONS``: there no date vouches
    for it.)"""
    return 1 <= len(s) <= 8 and _is_name(s) and not any(ch.isdigit() for ch in s)


def _first_nonhead(lines: list[str], i: int, k: int) -> int:
    return k


def _starts_body(s: str) -> bool:
    """Lines that open an article rather than name its author (01, 一、, 导语 …)."""
    return bool(_BODY_OPENING.match(s))


_BODY_OPENING = re.compile(
    r"^(\d{1,2}(?:$|[\s.、．)）])|[一二三四五六七八九十]+[、.．]|前言|导语|摘要|编者按|引言|背景)"
)


def _same_title(a: str, title: str) -> bool:
    """Whether ``a`` reads as ``title`` (its words the same, or one the start of the other
    when long); an empty title, or one of no words, is nobody's."""
    ka, kt = _title_key(a), _title_key(title)
    return ka != "" and kt != "" and (ka == kt or (len(ka) > 8 and (kt.startswith(ka) or ka.startswith(kt))))


def _share_card(lines: list[str], z: int, end: int, scan: _Scan) -> int:
    """Mark an old-style article-share card: avatar, source account, shared title, 原创, 阅读全文.

    Returns the index after the card, or ``z`` when the lines do not end in 阅读全文.
    """
    k = z + 1
    seen: list[int] = [z]
    while k < end and len(seen) < 8:
        s = lines[k].strip()
        if s:
            seen.append(k)
            if s in rules.SHARE_CARD_END:
                for idx in range(z, k + 1):
                    scan.zones[idx] = "head"
                names = [lines[i].strip() for i in seen[1:-1] if _is_name(lines[i])]
                names = [n for n in names if n not in rules.ORIGINAL_MARKS]
                if names:
                    scan.meta["source_account"] = names[0]
                return k + 1
        k += 1
    return z


def _repost_card(lines: list[str], z: int, end: int, scan: _Scan, rm: re.Match[str]) -> int:
    """Mark the repost card (以下文章来源于X ，作者Y / avatar / **X** / . / description)."""
    meta = scan.meta
    src = rm.group("src")
    meta["source_account"] = src
    if rm.group("author"):
        meta["card_author"] = rm.group("author")
    scan.zones[z] = "head"
    z += 1
    steps = 0
    while z < end and steps < 8:
        s = lines[z].strip()
        steps += bool(s)  # (lines with text: blank lines between them or not, the card reads the same)
        am = rules.REPOST_AUTHOR.match(s)
        if not s:
            scan.zones[z] = "head"
        elif am:
            meta["card_author"] = am.group("author")
            scan.zones[z] = "head"
        elif inline.IMAGE.fullmatch(s) and rules.AVATAR_URL.search(s):
            scan.zones[z] = "head"
        elif inline.plain(s) == src or s in (".", "。"):
            scan.zones[z] = "head"
            if s in (".", "。"):
                # the account's one-line description follows the dot
                d = z + 1
                while d < end and not lines[d].strip():
                    scan.zones[d] = "head"
                    d += 1
                if d < end and not lines[d].strip().startswith(("!", "#")) and len(lines[d].strip()) <= 200:
                    scan.zones[d] = "head"
                    return d + 1
                return d
        else:
            return z
        z += 1
    return z


def _blocks(lines: list[str], zones: list[Zone], stripped: list[str]) -> list[Block]:
    """Turn lines into blocks, each in the zone of its first line and numbered in order."""
    out: list[Block] = []
    i, n = 0, len(lines)
    while i < n:
        raw = lines[i]
        s = stripped[i]
        zone = zones[i]
        if not s:
            i += 1
            continue
        if zone == "front" or zone == "tail":
            # the converter's lines and WeChat's tail are removed whole: kept as plain lines
            # for the audit, with no inline parsing (a third of a picker dump's lines)
            out.append(paragraph_block(s, s, zone, (), raw, len(out)))
            i += 1
            continue
        first = s[0]
        fm = _FENCE.match(raw) if first in "`~" else None
        if fm and zone == "body":
            fence = fm.group(1)
            j = _fence_end(lines, i, fence)
            inner = [k for k in range(i + 1, j) if stripped[k]] if fence[0] == "`" and not fm.group(2) else []
            if inner and all(stripped[k].startswith("!") and inline.IMAGE.fullmatch(stripped[k]) for k in inner):
                # a converter fenced an image (a divider gif) in a bare ``` fence: the image,
                # not code (code written as images comes in a ~~~ fence: fenced_code)
                for k in inner:
                    out.extend(_line_blocks(lines[k], zone, len(out), stripped[k]))
                i = j + 1
                continue
            code = "\n".join(lines[i + 1 : j])
            src = "\n".join(lines[i : min(j + 1, n)])
            md = f"{fence}{fm.group(2)}\n{code}\n{fence}"
            out.append(Block("code", code.strip("\n"), md, zone, alt=fm.group(2), source=src, pos=len(out)))
            i = j + 1
            continue
        if "<" in s and zone == "body" and _TABLE_OPEN.search(s):
            j = _table_end(lines, i)
            src = "\n".join(lines[i : min(j + 1, n)])
            out.extend(b._replace(pos=len(out)) for b in _html_table(src, zone))
            i = j + 1
            continue
        if first == "|" and zone == "body" and _TABLE_ROW.match(s):
            j = i
            while j < n and _TABLE_ROW.match(lines[j].strip()):
                j += 1
            out.append(_md_table(lines[i:j], zone)._replace(pos=len(out)))
            i = j
            continue
        if first not in _PLAIN_NOT and "![" not in s:  # a plain paragraph: _line_blocks' first case, inline
            out.append(paragraph_block(inline.plain(s), s, zone, inline.links(s), raw, len(out)))
        else:
            out.extend(_line_blocks(raw, zone, len(out), s))
        i += 1
    return out


@lru_cache(maxsize=1)
def media_placeholder() -> re.Pattern[str]:
    """``[视频: name](url)`` and the like: the placeholder lines media blocks render as."""
    from wxclean.selectors import MEDIA

    labels = "|".join(sorted(map(re.escape, set(MEDIA.values())), key=len, reverse=True))
    return re.compile(r"^\[(" + labels + r")(?:[:：][^\[\]\n]{0,500})?\](?:\(([^()\s]{0,4096})\))?$")


def _line_blocks(raw: str, zone: Zone, pos: int, s: str = "") -> list[Block]:
    """Blocks of one line, numbered from ``pos``: images split out of text, heading, list and
    quote kept as such. ``s`` is the line stripped, when the caller has it."""
    s = s or raw.strip()
    c = s[0]
    if c == "[" and (mm := media_placeholder().match(s)):
        # wxclean's own markdown for audio, video and cards: a media block, no text
        return [make_block("media", "", s, zone, mm.group(2) or "", mm.group(1), 0, (), raw, pos)]
    if c not in _BLOCK_OPENERS and "![" not in s:  # the common case: a plain paragraph
        return [paragraph_block(inline.plain(s), s, zone, inline.links(s), raw, pos)]
    kind: BlockKind = "paragraph"
    level = 0
    body = s
    # only lines opening with one of these characters can be a heading, rule, quote or list,
    # and (the line is stripped) each only with its own: # heading, > quote, - * + or a
    # digit list item, - * _ rule
    hm = _HEADING.match(s) if c == "#" else None
    if c not in _BLOCK_OPENERS:
        pass
    elif hm:
        kind, level, body = "heading", len(hm.group(1)), hm.group(2)
    elif c in "-*_" and _HR.match(s):
        return [make_block("paragraph", "", "---", zone, source=raw, pos=pos)]
    else:
        qm = _QUOTE.match(s) if c == ">" else None
        lm = _LIST.match(s) if c in "-*+" or "0" <= c <= "9" else None
        if qm:
            kind, body = "quote", qm.group(1)
        elif lm:
            kind, body = "list", lm.group(1)
            number = _ITEM_NUMBER.match(s)
            level = int(number.group(1)) if number else 0
    out: list[Block] = []
    pieces = inline.split_images(body)
    for piece_kind, a, b, href, piece_raw in pieces:
        if piece_kind == "image":
            md = f"![{a}]({b})"
            link = (Link(href, ""),) if href.startswith(("http://", "https://")) else ()
            if link:
                md = f"[{md}]({href})"
            source = raw if len(pieces) == 1 else piece_raw
            out.append(make_block("image", inline.plain(a), md, zone, b, a, 0, link, source, pos + len(out)))
        else:
            text = inline.plain(a)
            if kind == "list" and level:
                text = f"{level}. {text}"  # an ordered item's number is part of what it says
            if kind == "heading":
                md = "#" * level + " " + a
            elif kind == "quote":
                md = "> " + a
            elif kind == "list":
                md = list_item_md(a, level)
            else:
                md = a
            source = raw if len(pieces) == 1 else piece_raw
            links = inline.links(a)
            out.append(make_block(kind, text, md, zone, "", "", level, links, source, pos + len(out)))
    if not pieces:
        out.append(make_block("paragraph", "", s, zone, source=raw, pos=pos))
    return out


def fenced_code(code: str, language: str = "") -> str:
    """Code as a fenced block, its fence longer than any run of the fence's character inside
    (which would close it early). Code of image lines alone, with no language, is fenced with
    tildes: a bare backtick fence around images is a converter's, and read as the images."""
    images = not language and all(inline.IMAGE.fullmatch(x.strip()) for x in code.split("\n") if x.strip())
    mark = "~" if images else "`"
    fence = mark * max(3, 1 + max(map(len, re.findall(f"{mark}+", code)), default=0))
    return f"{fence}{language}\n{code}\n{fence}"


def list_item_md(md: str, number: int = 0) -> str:
    """A list item's line: ``N. text``, or ``- text`` with a text of dashes escaped (``- ---``
    is a rule to a markdown reader, not an item)."""
    if number:
        return f"{number}. {md}"
    if md.strip() and not md.strip(" \t-"):
        md = "\\" + md.lstrip()
    return "- " + md


def _md_table(rows: list[str], zone: Zone) -> Block:
    cells = []
    for r in rows:
        if "--" in r and set(r) <= _TABLE_SEP_CHARS:  # the |---|:--:| line (no regex: linear)
            continue
        parts = [c.strip() for c in CELL_EDGE.split(r.strip().strip("|"))]
        cells.append(parts)
    return _table_block(cells, zone, "\n".join(rows), links=tuple(link for r in rows for link in inline.links(r)))


def _table_block(cells: list[list[str]], zone: Zone, source: str, links: tuple[Link, ...] = ()) -> Block:
    cells = [[inline.plain(c) for c in row] for row in cells]
    cells = [row for row in cells if any(row)]
    text = "\n".join(" ".join(c for c in row if c) for row in cells)
    return Block("table", text, table_md(cells), zone, links=links, source=source)


def table_md(rows: list[list[str]]) -> str:
    """A markdown table of the cells' markdown, the first row its header, short rows padded."""
    width = max((len(r) for r in rows), default=0)
    md_rows = []
    for k, row in enumerate(rows):
        md_rows.append(_table_row(row + [""] * (width - len(row))))
        if k == 0:
            md_rows.append("|" + " --- |" * width)
    return "\n".join(md_rows)


def _table_row(cells: list[str]) -> str:
    """A table row of cells' markdown: ``|`` escaped in them; a row that would read as the
    line under the header (dashes and colons only) with its first dash escaped."""
    row = "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"
    if "--" in row and set(row) <= _TABLE_SEP_CHARS:
        return row.replace("-", "\\-", 1)
    return row


def _html_table(src: str, zone: Zone) -> list[Block]:
    """A raw HTML table inside a dump, as a table block (its text kept even if it is broken)."""
    from lxml import html as lxml_html
    from lxml.html import HtmlElement

    try:
        # the table in a document's body: what fragment_fromstring(create_parent=…) reads,
        # without moving the parsed nodes under a new parent (measured: a third of the time)
        page: HtmlElement = lxml_html.document_fromstring(f"<html><body>{src}</body></html>")
        root = page.body
    except Exception:  # unparseable markup: keep its visible text as a paragraph
        text = inline.plain(src)
        return [Block("paragraph", text, text, zone, source=src)] if text else []
    rows = []
    for tr in root.iter("tr"):
        row = [join_words(c.text_content()) for c in tr if c.tag in ("td", "th")]
        rows.append(row)
    if not rows:
        text = join_words(root.text_content())
        return [Block("paragraph", text, text, zone, source=src)] if text else []
    links = tuple(
        Link(a.get("href", ""), a.text_content().strip())
        for a in root.iter("a")
        if a.get("href", "").startswith(("http://", "https://"))
    )
    return [_table_block(rows, zone, src, links)]


def parse(text: str) -> Document:
    """Parse a markdown/text dump into a Document whose blocks carry their zone."""
    scan, stripped, tail, tail_account = _zones(text)
    meta = _meta(scan, tail_account, tail < len(scan.lines))
    blocks = tuple(_blocks(scan.lines, scan.zones, stripped))
    return classify(Document(meta=meta, blocks=blocks, source_type="dump"), scan)


def _zones(text: str, find_tail: bool = True) -> tuple[_Scan, list[str], int, str | None]:
    """The dump's lines, each in its zone, with the metadata read on the way; the lines
    stripped; where the tail starts and the account it names (``find_tail=False``: no tail
    is looked for, for the opening of a body)."""
    if "\r" in text:  # (one scan: two replaces would scan the whole text twice for nothing)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = inline.normalise_lines(text)
    if "[![" in text:
        _join_split_cards(lines)
    if "\n==" in text:
        _setext_titles(lines)
    lines = _split_mixed(lines)
    scan = _Scan(lines, ["body"] * len(lines))
    start = _front_matter(lines, scan)
    start = _converter_lines(lines, start, scan)
    stripped = list(map(str.strip, lines))
    fenced = "`" in text or "~" in text  # (a fence's characters: normalising makes none)
    tail, tail_account = _find_tail(lines, start, stripped, fenced) if find_tail else (len(lines), None)
    for i in range(tail, len(lines)):
        scan.zones[i] = "tail"
    body = _head(lines, start, tail, scan, tail_account)
    if any(scan.zones[k] == "head" and lines[k].strip() for k in range(start, body)):
        _stray_head_marks(lines, body, tail, scan)
    return scan, stripped, tail, tail_account


def _stray_head_marks(lines: list[str], body: int, end: int, scan: _Scan) -> None:
    """A head mark (``rules.HEAD_LINES``: 听全文, 已付费, 原创 …) that opens the body, or
    follows a few short name-like lines there under a dated byline, is the head's too, as
    it is right under the head (:func:`_trailing_head`): a page prints it in its head, and a
    converter may write it under the reposter's 编者荐语 label or below lines the head did
    not claim. Kept, it would open the cleaned output, where cleaning again reads it as the
    head's mark and the name lines above it as the byline's (the same reading as
    :func:`_head`'s, so that the output holds no such pair).

    What it leaves alone: the name lines themselves (the body's opening stays as it is), an
    empty image (``![]()``, a placeholder wherever it stands), any mark after the body's
    first other line, and text with no head (where no head is read the second time either;
    the caller runs it only under a head)."""
    # (name lines are passed only under a byline with its date: without one, they may be
    # the byline's names, and the mark with them a head copied into the body: copied_head)
    most = _HEAD_NAMES if scan.meta.get("published_line") else 0
    names = 0
    for k in _nonblank(lines, body, end, _HEAD_NAMES + 4):
        s = lines[k].strip()
        if s in rules.HEAD_LINES and s[:2] != "![":
            if scan.zones[k] == "body":
                scan.zones[k] = "head"
                if s in rules.ORIGINAL_MARKS:
                    scan.meta["original"] = True  # (as under the head: _trailing_head)
        elif names < most and _is_name(s) and not _starts_body(s):
            names += 1
        else:
            return


def opening_head(lines: list[str], title_lines: int = 0) -> tuple[int, Meta]:
    """How many of ``lines`` (no blank ones, read as a dump with a blank line between each
    two) this adapter takes, from the first, for a page's head or a converter's lines, past
    the first ``title_lines``, and the metadata it reads there. 0 when it takes none, or when
    the lines do not come back one for one (a line it would join to or split from another).
    The lines are a body's opening, with no tail after them: none is looked for."""
    scan, _, tail, tail_account = _zones("\n\n".join(lines), find_tail=False)
    if len(scan.lines) != 2 * len(lines) - 1:
        return 0, Meta()
    n = 0
    while n < len(lines) and scan.zones[2 * n] in ("head", "front"):
        n += 1
    if n <= title_lines:
        return 0, Meta()
    return n - title_lines, _meta(scan, tail_account, tail < len(scan.lines))


def _meta(scan: _Scan, tail_account: str | None, has_tail: bool) -> Meta:
    m = scan.meta
    fm: dict[str, str] = m.get("front", {})  # type: ignore[assignment]
    published = None
    for key in ("published_line", "date_line"):
        if m.get(key):
            published = parse_date(str(m[key]))
            if published:
                break
    if published is None:
        for key in ("published", "date", "created", "time"):
            if fm.get(key):
                published = parse_date(fm[key])
                if published:
                    break
    account = m.get("account") or tail_account
    author = m.get("author") or m.get("card_author")
    url = fm.get("url") or fm.get("link") or m.get("url")
    if not url and fm.get("source", "").startswith(("http://", "https://")):
        url = fm["source"]  # web clippers name the page's address "source" (feeds: their name)
    original = m.get("original")
    if original is None and (m.get("cover") or account):
        original = False  # the page head was there and carried no 原创 mark
    title = m.get("title") or fm.get("title")
    return Meta(
        title=_clean_str(title),
        account=_clean_str(account),
        author=_clean_str(author),
        published=published,
        original=original if isinstance(original, bool) else None,
        source_account=_clean_str(m.get("source_account")),
        url=_clean_str(url),
        cover=_clean_str(m.get("cover")),
        description=_clean_str(fm.get("description")),
    )


def _clean_str(v: object) -> str | None:
    if not isinstance(v, str):
        return None
    v = unescape(v).strip()
    return v or None


def notice_status(texts: list[str]) -> str | None:
    """The notice status named by the first lines of a page, or None for an article."""
    if not _any_notice().search("\n".join(texts)):  # the usual case: one scan, no phrase named
        return None
    for t in texts:
        for phrase, status in rules.NOTICES:
            if phrase in t:
                return status
    return None


@lru_cache(maxsize=1)
def _any_notice() -> re.Pattern[str]:
    """Any phrase of ``rules.NOTICES`` (which phrase decides is :func:`notice_status`'s work)."""
    return re.compile("|".join(re.escape(phrase) for phrase, _ in rules.NOTICES))


_NOTICE_LINES = 12  # a notice names itself among the first lines of the body


def _first_texts(body: list[Block], n: int) -> list[str]:
    """The first ``n`` texts of the body that the filters keep for certain: lines of
    punctuation, of WeChat's interface words or of no text at all are passed over (cleaned,
    the body has none of them, and must be read the same)."""
    out: list[str] = []
    for b in body:
        t = b.text
        if t and not _interface(t):
            out.append(t)
            if len(out) == n:
                break
    return out


def classify(doc: Document, scan: _Scan) -> Document:
    """Set ``status`` and ``kind`` from the layout: notices, empty shells, picture/text posts."""
    body = [b for b in doc.blocks if b.zone == "body"]
    status = notice_status(_first_texts(body, _NOTICE_LINES))
    if status is not None:
        return doc.with_meta(
            status=status, kind="notice", account=None, author=None, original=None, source_account=None
        )
    m = scan.meta
    has_head = bool(m.get("cover") or m.get("account") or m.get("post_avatar") or m.get("published_line"))
    tail_zone = [b for b in doc.blocks if b.zone == "tail"]
    if m.get("post_avatar") and not any(b.text for b in body):
        # a picture or text post: the "title" heading is the post's own text
        is_text = any(b.text == "轻触查看原文" for b in tail_zone)
        caption_key = _title_key(str(m.get("title_heading") or ""))
        blocks = _caption_to_body(doc.blocks) if caption_key not in rules.GENERIC_TITLES else doc.blocks
        blocks = _split_caption(blocks)
        return replace(doc, blocks=blocks).with_meta(
            kind="text_share" if is_text else "image_share",
            # (with no caption heading, the title is all the post's text there is: kept)
            title=None if is_text and m.get("title_heading") else doc.meta.title,
            original=None,
            author=None,
        )
    if m.get("caption_lines") or _text_post(str(m.get("title") or doc.meta.title or ""), body):
        # a text post without the avatar layout: the converter kept its text as a multi-line
        # title too, and printed it under the title's heading, or the body goes on from the
        # title's second line
        blocks = _split_caption(_caption_to_body(doc.blocks))
        return replace(doc, blocks=blocks).with_meta(kind="text_share", title=None, original=None, author=None)
    if not body and not has_head and (tail_zone or m.get("front")):
        return doc.with_meta(status="empty", account=None, author=None, original=None)
    if tail_zone and body and _prose_fence(body[-1]):
        # a converter that choked on a code fence: the page's tail follows the first fence it
        # met, and the article text after it is gone
        return doc.with_meta(truncated=True)
    if not tail_zone and m.get("cover") is not None and not (body and _cut_off(body[-1])):
        # a copy of the rendered page (it printed the cover) ends on WeChat's tail when it is
        # whole: with no tail, the copy stopped inside the article (or before it)
        return doc.with_meta(truncated=True, status="ok" if holds_content(body) else "empty")
    if not tail_zone and body and _cut_off(body[-1]):
        last = body[-1]
        blocks = tuple(_repair_cut(b) if b is last else b for b in doc.blocks)
        return replace(doc, blocks=blocks).with_meta(truncated=True)
    return doc


def _repair_cut(b: Block) -> Block:
    """The last line of a cut dump, its unfinished markup closed: an image cut inside its URL
    is dropped, a link cut inside its URL keeps its text (the audit keeps the raw line)."""
    md = rules.CUT_IMAGE.sub("", b.md)
    md = rules.CUT_LINK.sub(lambda m: m.group(1), md)
    if md == b.md:
        return b
    if not md.strip():
        return b._replace(kind="paragraph", text="", md="", url="")
    return b._replace(md=md, text=inline.plain(md))


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _prose_fence(last: Block) -> bool:
    """A body that ends on a code fence holding one Chinese sentence and nothing else
    (```用户A访问service1。```): prose the converter fenced before it lost the rest of the
    article (real code ending an article is code, not one line of prose)."""
    text = last.text.strip()
    return (
        last.kind == "code"
        and "\n" not in text
        and text.endswith(("。", "！", "？"))
        and len(_CJK.findall(text)) >= 4
    )


def _cut_off(last: Block) -> bool:
    """The dump ends inside the article: its last line stops on the converter's ``...``."""
    src = last.raw.rstrip()
    return src.endswith(("...", "…")) and not src.endswith(("....", "……"))


def _text_post(title: str, body: list[Block]) -> bool:
    """A title of several lines whose second line is where the body starts: a text post."""
    lines = [line for line in title.split("\n") if line.strip()]
    return len(lines) >= 2 and bool(body) and _title_key(body[0].text) == _title_key(lines[1]) != ""


def _caption_to_body(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Move a picture/text post's caption (its title heading and the lines that continue it,
    up to the account avatar) from the head to the body."""
    out: list[Block] = []
    in_caption = False
    for b in blocks:
        if b.zone == "head" and b.kind == "heading" and b.level == 1:
            in_caption = True
        elif b.zone != "head" or b.kind == "image":
            in_caption = False
        out.append(b._replace(zone="body") if in_caption else b)
    return tuple(out)


def _split_caption(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """A multi-line post caption kept in one heading becomes one paragraph per line."""
    out: list[Block] = []
    for b in blocks:
        if b.kind == "heading" and b.zone == "body" and b.level == 1:
            out.append(b._replace(kind="paragraph", md=b.text, level=0))
        else:
            out.append(b)
    return tuple(out)
