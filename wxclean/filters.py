"""The filters: small pure functions ``Document -> Document`` that drop blocks and say why.

Each filter looks at one kind of debris; the phrases it matches come from
:mod:`wxclean.rules`, the order they run in from :mod:`wxclean.pipeline`. A filter never
edits a block's text: it keeps a block or drops it whole, and every drop is recorded in
``Document.removed`` with the filter's name and a reason.

Words that are chrome in one place and text in another (赞, 在看, 分享, 取消) are decided
by the block's zone (set by the source adapter from the page structure) or by what stands
around them, never by the word alone.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from itertools import compress
from operator import attrgetter

from wxclean import rules
from wxclean.model import NOTICE_STATUSES, Block, Document
from wxclean.sources.inline import read_target
from wxclean.text import join_words


def _key(text: str) -> str:
    """A block's text with all whitespace removed (what phrase rules match against).

    Cached for lines: several filters ask for the same block's key (measured: a sixth of the
    pipeline's time on the corpus dumps without the cache). A long text is not cached, so the
    cache never holds on to a huge input after its call."""
    return _line_key(text) if len(text) <= _KEY_CACHED else join_words(text, "")


_KEY_CACHED = 4096  # longer texts are keyed afresh each time


@lru_cache(maxsize=1 << 16)
def _line_key(text: str) -> str:
    return "".join(text.split())


_ZONE_OF = attrgetter("zone")
_KIND_OF = attrgetter("kind")
_POS_OF = attrgetter("pos")


def _zone(doc: Document, zone: str, name: str, reason: str) -> Document:
    zones = list(map(_ZONE_OF, doc.blocks))
    if zone not in zones:
        return doc
    return doc.drop(compress(range(len(zones)), map(zone.__eq__, zones)), name, reason)


# --- minimal: platform chrome -----------------------------------------------------------


def converter_lines(doc: Document) -> Document:
    """Drop the converter's own lines (front matter, 原文链接/Source headers); they are metadata."""
    return _zone(doc, "front", "converter_lines", "converter line (front matter or source header), kept as metadata")


def page_head(doc: Document) -> Document:
    """Drop the page head: title echo, cover, 原创, byline, account name, repost card, prompts."""
    return _zone(doc, "head", "page_head", "page head (title echo, cover, 原创, byline, account, repost card)")


def page_tail(doc: Document) -> Document:
    """Drop WeChat's tail block: like/share bar, QR prompts, dialog buttons, a11y labels."""
    return _zone(doc, "tail", "page_tail", "WeChat tail block (toolbar, dialogs, QR prompts, a11y labels)")


def notice_page(doc: Document) -> Document:
    """On a WeChat notice page (deleted, violation, verify …) drop the notice text itself.

    Leaves ordinary articles alone: it acts only when the adapter set a notice status.
    """
    if doc.meta.status not in NOTICE_STATUSES and doc.meta.status != "not_article":
        return doc
    reason = f"WeChat notice page ({doc.meta.status}), not article text"
    return doc.drop(range(len(doc.blocks)), "notice_page", reason)


_UI_MAX = max(map(len, rules.UI_LINES)) + 8


def ui_lines(doc: Document) -> Document:
    """Drop body lines that are WeChat interface text in any position (预览时标签不可点 …)."""
    drops = [
        i
        for i, b in enumerate(doc.blocks)
        if len(b.text) <= _UI_MAX and b.kind != "code" and (b.text in rules.UI_LINES or _key(b.text) in rules.UI_LINES)
    ]
    return doc.drop(drops, "ui_lines", "WeChat interface line")


def _image_problem(b: Block, relative_ok: bool) -> str | None:
    if b.kind != "image":
        return None
    url = read_target(b.url.strip())  # (as a renderer reads it: javascript&colon; has a scheme)
    if not url:
        return "image without a URL (placeholder)"
    head, sep, _ = url.partition(":")
    scheme = head.lower() if sep and "/" not in head and "?" not in head else ""
    if scheme not in ("http", "https", ""):
        return f"image with a {scheme}: URL"
    if scheme == "" and not relative_ok:
        return "image with a relative or local URL"
    alt = rules.NUMBERED_ALT.sub("", b.alt.strip())
    if alt in ("跳转二维码", "作者头像", "cover_image", "二维码", "qrcode", "QR code"):
        return f"{alt} placeholder image"
    if "qlogo.cn/mmhead" in url or "/mmhead/" in url:
        return "account avatar"
    return None


def image_placeholders(doc: Document) -> Document:
    """Drop empty image placeholders (``![]()``), QR/avatar images and images whose URL is
    not http(s) (``data:``, ``javascript:`` …). Relative paths are kept on HTML pages, where
    they are the saved page's own pictures; in dumps they point nowhere and are dropped."""
    relative_ok = doc.source_type != "dump"  # a saved page's own relative paths are its pictures
    images = [i for i, k in enumerate(map(_KIND_OF, doc.blocks)) if k == "image"]
    drops = {i: why for i in images if (why := _image_problem(doc.blocks[i], relative_ok))}
    return doc.drop(drops, "image_placeholders", drops)


def _image_key(url: str) -> str:
    """The identity of an image URL: host and path (WeChat serves one media id under many
    queries). Plain string cuts: this runs for every image of every document."""
    return url.partition("//")[2].partition("?")[0].partition("#")[0].lower() or url


@lru_cache(maxsize=1 << 14)
def _image_format(url: str) -> str:
    """The image format WeChat names in ``wx_fmt`` (or by its ``mmbiz_gif`` path), else ""."""
    m = _WX_FMT.search(url)
    if m:
        return m.group(1).lower()
    return "gif" if "mmbiz_gif" in url else ""


_WX_FMT = re.compile(r"wx_fmt=(\w+)")


def decorative_images(doc: Document) -> Document:
    """Drop decoration: in dumps, an image repeated inside one article (a divider) and a
    second copy of the same picture; everywhere, SVG ornaments.

    A picture that stands once in the article is left alone, whatever its size; on HTML
    pages repeats are left too (the adapter sees sizes and drops dividers by them).
    """
    images = [i for i, k in enumerate(map(_KIND_OF, doc.blocks)) if k == "image"]
    if not images:
        return doc
    # on HTML pages the adapter sees sizes and classes and drops ornaments itself; a picture
    # repeated there is the author's (a recurring diagram or step marker)
    drops = _repeats(doc.blocks, images) if doc.source_type == "dump" else {}
    for i in images:
        if i not in drops and _image_format(doc.blocks[i].url) == "svg":
            drops[i] = "SVG ornament"
    return doc.drop(drops, "decorative_images", drops)


def _repeats(blocks: tuple[Block, ...], images: list[int]) -> dict[int, str]:
    """The images of a dump that repeat inside it, with why: one standing three times or more
    (or a gif twice) is a divider; a picture's second copy goes."""
    counts: dict[str, int] = {}
    for i in images:
        key = _image_key(blocks[i].url)
        counts[key] = counts.get(key, 0) + 1
    drops: dict[int, str] = {}
    seen: set[str] = set()
    for i in images:
        b = blocks[i]
        key = _image_key(b.url)
        if counts[key] > 2 or (counts[key] == 2 and _image_format(b.url) == "gif"):
            drops[i] = "image repeated inside the article (divider)"
        elif key in seen:
            drops[i] = "the same picture again"
        seen.add(key)
    return drops


def _lone_punct(b: Block) -> bool:
    s = b.text.strip()
    return b.kind == "paragraph" and 0 < len(s) <= 3 and bool(rules.PUNCT_LINE.match(s))


_PUNCT_RUN = 3  # WeChat's labels come three or more together: ：，。 at the least


def punctuation_runs(doc: Document) -> Document:
    """Drop runs of three or more lines that hold one lone punctuation mark each (：，，，。).

    One or two lone marks between paragraphs are left alone: the end of a sentence a
    converter broke at a quote or a bold word (``”`` / ``，``) is the author's.
    """
    drops: list[int] = []
    run: list[int] = []
    for i, b in enumerate(doc.blocks):
        if _lone_punct(b):
            run.append(i)
            continue
        if len(run) >= _PUNCT_RUN:
            drops.extend(run)
        run = []
    if len(run) >= _PUNCT_RUN:
        drops.extend(run)
    return doc.drop(drops, "punctuation_runs", "run of lone punctuation lines (accessibility labels)")


def _blank(b: Block) -> bool:
    """A block with neither text nor markup (a horizontal rule, an image or media is not)."""
    return b.kind not in ("image", "media") and not b.text.strip() and b.md.strip() != "---"


def empty_blocks(doc: Document) -> Document:
    """Drop blocks with neither text nor markup (what is left of stripped markup)."""
    drops = [i for i, b in enumerate(doc.blocks) if _blank(b)]
    return doc.drop(drops, "empty_blocks", "no visible text")


#: how far back from the body's end :func:`trailing_bar` looks (a tail is a few dozen lines)
_TRAILING_REACH = 80


def trailing_bar(doc: Document) -> Document:
    """Drop WeChat's tail chrome (bar words 赞 / 在看 / ×, Scan to Follow, dialog buttons, lone
    punctuation) that ends the body once the filters before removed what stood after it, by
    the same rule the dump adapter finds a tail with; so cleaning the output again finds
    nothing more to remove.

    Looks only at the last one-line paragraphs, headings, images and media placeholders of
    the body (a media block is one ``[视频: name](url)`` line, read back as one); leaves alone
    anything the adapter's rule would not call a tail (fewer than two interface words, or
    free text among them)."""
    from wxclean import render
    from wxclean.sources.dump import tail_start

    blocks = doc.blocks
    k = len(blocks)
    while (
        k > 0
        and len(blocks) - k < _TRAILING_REACH
        and blocks[k - 1].kind in ("paragraph", "image", "heading", "media")  # (lines the tail rule reads)
        and "\n" not in blocks[k - 1].md.strip()
    ):
        k -= 1
    if k == len(blocks):
        return doc
    # the rule needs a tail marker among the lines or a bar line at the very end (a marker,
    # plain words, is a line's markdown only where it is the block's text)
    last = render.block_markdown(blocks[-1], len(blocks) == 1).strip()
    if not rules.bar_line(last) and not any(b.text.strip() in rules.TAIL_START for b in blocks[k:]):
        return doc
    # the lines as the markdown writes them (a paragraph's "```" escaped: it opens no code)
    lines = [render.block_markdown(b, k + j == 0).strip() for j, b in enumerate(blocks[k:])]
    t = tail_start(lines)
    if k + t >= len(blocks):
        return doc
    return doc.drop(range(k + t, len(blocks)), "trailing_bar", "WeChat tail chrome left at the end of the body")


def title_heading(doc: Document) -> Document:
    """An article with no title whose body, once cleaned, opens with a first-level heading:
    that heading is its title (as the first ``# line`` of a dump is), moved to the metadata.

    Leaves alone articles that have a title, picture and text posts (whose text carries no
    title of its own) and notices; a page that is no WeChat article (kind ``other``) is read
    like an article, as its markdown is when cleaned again."""
    m = doc.meta
    if m.title is not None or m.kind not in ("article", "other") or m.status != "ok" or not doc.blocks:
        return doc
    k = 0  # (past pictures a page keeps and its markdown, read as a dump, would not)
    page_only = _page_only_pictures(doc)
    while k in page_only:
        k += 1
    first = doc.blocks[k] if k < len(doc.blocks) else None
    if first is None or first.kind != "heading" or first.level != 1 or not first.text.strip():
        return doc
    return doc.drop([k], "title_heading", "the article's title (a first-level heading opening the body)").with_meta(
        title=" ".join(first.text.split())
    )


def _page_only_pictures(doc: Document) -> set[int]:
    """The pictures a page keeps that its markdown, cleaned again as a dump, loses: those
    ``image_placeholders`` drops from a dump only (a relative path) and those
    ``decorative_images`` drops from a dump only (repeats). None on a dump."""
    if doc.source_type == "dump":
        return set()
    images = [i for i, k in enumerate(map(_KIND_OF, doc.blocks)) if k == "image"]
    lost = {i for i in images if _image_problem(doc.blocks[i], relative_ok=False)}
    return lost | set(_repeats(doc.blocks, images))


_HEAD_REACH = 24  # blocks read for a copied head: the dump reader's head is in its first 40 lines


def copied_head(doc: Document) -> Document:
    """Drop a page head copied into the top of the body: under the title (or, with none, a
    title line over it), 原创, the byline's names, its date and place, as the dump reader
    reads a head. Its metadata fills what the document does not know yet (title, account,
    author, 原创, date); what it knows stays.

    Runs on the cleaned body, so that the markdown, read again, holds no head to remove:
    without it, a page whose text opens with a date line lost that line only when cleaned
    twice. Leaves alone notices, picture and text posts, and dumps where no filter removed
    a line above the first one kept (the adapter read their head from those lines, and reads
    what a head prints under a byline as the head's)."""
    from wxclean import render
    from wxclean.sources import dump

    if doc.source_type == "dump" and not _top_removed(doc):
        return doc
    for _ in range(_HEAD_ROUNDS):
        m = doc.meta
        if m.status != "ok" or m.kind not in ("article", "other") or not doc.blocks:
            return doc
        lines = [render.title_line(m.title)] if m.title else []
        shown: list[int] = []  # the block of each body line
        stop = _HEAD_REACH
        page_only = _page_only_pictures(doc)
        for i, b in enumerate(doc.blocks[:_HEAD_REACH]):
            if i in page_only:
                continue  # (gone from the markdown read again)
            md = render.block_markdown(b, not shown)
            if i >= stop or b.kind in ("code", "table") or "\n" in md:
                break  # (never a head's line; written as more than one line)
            if md:
                lines.append(md)
                shown.append(i)
            if len(b.text) > _HEAD_LINE_MAX:  # the head ends before it: what the reader
                stop = min(stop, i + _LOOK_AHEAD)  # looks at past its end is near
        taken, head = dump.opening_head(lines, 1 if m.title else 0)
        if not taken:
            return doc
        known = {k: v for k in _HEAD_FIELDS if getattr(m, k) is None and (v := getattr(head, k)) is not None}
        doc = doc.drop(shown[:taken], "copied_head", "a page head (title, 原创, byline, date) copied into the body")
        doc = doc.with_meta(**known) if known else doc
    return doc


_HEAD_ROUNDS = 3  # a head taken under no title gives one: the lines under it are read again


def _top_removed(doc: Document) -> bool:
    """Did a filter remove a body line inside the opening that :func:`copied_head` reads (a
    call to action over a date line, a notice between a title line and its echo)? Then the
    markdown opens, under its title, with lines the adapter did not read side by side."""
    if not doc.blocks:
        return False
    last = doc.blocks[min(len(doc.blocks), _HEAD_REACH) - 1].pos
    return any(r.pos < last and r.where == "body" for r in doc.removed)


_HEAD_LINE_MAX = 200  # no line of a head is longer (a byline is the longest)
_LOOK_AHEAD = 4  # blocks the dump reader reads past a head's end (the hover card under a byline)
_HEAD_FIELDS = ("title", "account", "author", "original", "published")


# --- standard: the author's editorial boilerplate ----------------------------------------

_SPLIT_WORDS = frozenset({"在看", "赞", "分享", "收藏", "点赞", "转发", "点在看", "喜欢"})


def split_cta(doc: Document) -> Document:
    """Drop a call to like/在看 that a converter split into lone lines (“ / 在看 / ” 或 " / 赞 / ”吧~),
    or a call set one character per line (点 / 击 / 上 / 方 / 关 / 注).

    Only a run of short lines around a lone 在看/赞, or of one- to three-character lines,
    whose joined text reads as a call to action.
    """
    blocks = doc.blocks
    # the lines short enough to be a piece of either shape (one pass over the document)
    short = [i for i, b in enumerate(blocks) if len(b.text) <= 12 and b.kind == "paragraph"]
    drops: set[int] = set()
    for i in short:
        text = blocks[i].text
        if i in drops or len(text) > 8 or not _SPLIT_CHARS.search(text) or _bare(text) not in _SPLIT_WORDS:
            continue
        # (blocks left empty by stripped markup stand between the pieces unseen: a cleaned
        # copy has none, and must read the same)
        lo, taken = i, 0  # up to four pieces on each side
        while lo > 0 and taken < 4 and _fragment_or_blank(blocks[lo - 1]):
            lo -= 1
            taken += not _blank(blocks[lo])
        hi, taken = i, 0
        while hi + 1 < len(blocks) and taken < 4 and _fragment_or_blank(blocks[hi + 1]):
            hi += 1
            taken += not _blank(blocks[hi])
        while lo < i and _blank(blocks[lo]):
            lo += 1
        while hi > i and _blank(blocks[hi]):
            hi -= 1
        pieces = [blocks[k].text for k in range(lo, hi + 1) if not _blank(blocks[k])]
        joined = _key("".join(pieces))
        bare = [_bare(t) for t in pieces]
        bar = sum(w in _SPLIT_WORDS for w in bare) >= 2 and all(w in _SPLIT_WORDS or w in _JOINERS for w in bare)
        if (len(pieces) > 1 and rules.CTA.search(joined)) or _SPLIT_CALL.search(joined) or bar:
            # a call to action, or a bar of its words alone (喜欢 / 分享 / or / 在看)
            drops.update(range(lo, hi + 1))
    drops.update(_vertical_calls(blocks, short))
    return doc.drop(drops, "split_cta", "call to 在看/点赞 split into lone lines")


def _vertical_calls(blocks: tuple[Block, ...], short: list[int]) -> list[int]:
    """Runs of at least four lines of one to three characters each (a call set one character
    per line: 点 / 击 / 上 / 方 / 公众号 / 关 / 注) whose joined text reads as a call to action.
    ``short`` holds the indices of the short paragraphs, in order."""
    out: list[int] = []
    run: list[int] = []
    for i in short:
        if not 0 < len(_key(blocks[i].text)) <= 3:
            continue
        # a run ends where its next line is longer or no paragraph (empty blocks are passed over)
        if run and not all(_blank(blocks[k]) for k in range(run[-1] + 1, i)):
            out.extend(_vertical_call(blocks, run))
            run = []
        run.append(i)
    out.extend(_vertical_call(blocks, run))
    return out


def _vertical_call(blocks: tuple[Block, ...], run: list[int]) -> list[int]:
    joined = _key("".join(blocks[k].text for k in run))
    return run if len(run) >= 4 and rules.CTA.search(joined) else []


_SPLIT_CHARS = re.compile("[看赞享藏转欢]")  # a character every word of _SPLIT_WORDS holds
_JOINERS = frozenset({"or", "OR", "和", "与", "或", "&", "/", "|"})  # what joins the words of a split bar
_SPLIT_CALL = re.compile(r"点(个|下|一下)?\W*(在看|赞)")
_QUOTES = "“”\"'「」『』"
_CALL_WORD = re.compile(r"点个?|觉得|吧")  # a word of a split call (点个 / 觉得 / 吧)


def _bare(text: str) -> str:
    """A split line's word without its quote marks and joining word (“赞”和 -> 赞)."""
    return _key(text).strip(_QUOTES).removesuffix("和").removesuffix("与").strip(_QUOTES + "、，,")


def _fragment_or_blank(b: Block) -> bool:
    return _blank(b) or _short_fragment(b)


def _short_fragment(b: Block) -> bool:
    """A piece of a split call: short, no full sentence, with a quote mark or a call word."""
    s = b.text.strip()
    if b.kind != "paragraph" or not 0 < len(s) <= 14 or s.endswith(("。", "！", "？", ".", "!", "?")):
        return False
    word = _bare(s)
    if word in _SPLIT_WORDS or word in _JOINERS:
        return True
    return any(c in s for c in _QUOTES + "~～") or _CALL_WORD.search(s) is not None


def call_to_action(doc: Document) -> Document:
    """Drop short lines asking to follow, share, like, star or scan (点击蓝字关注, 长按识别二维码 …)."""
    drops = [
        i
        for i, b in enumerate(doc.blocks)
        if b.kind in ("paragraph", "heading", "quote") and b.zone == "body" and rules.call_to_action(b.text)
    ]
    return doc.drop(drops, "call_to_action", "call to action (follow / share / like / scan)")


def end_marker(doc: Document) -> Document:
    """Drop END / THE END / 全文完 marker lines."""
    drops = [
        i
        for i, b in enumerate(doc.blocks)
        if b.kind in ("paragraph", "heading", "list") and len(b.text) <= 40 and rules.END_MARKER.match(_key(b.text))
    ]
    return doc.drop(drops, "end_marker", "END marker")


_ORDINALS = re.compile(r"[\d\W_]+")  # numbers, bullets and separators around a list item's link


def _list_item(b: Block) -> bool:
    """A line of a related-articles list: a link (or an image) and little else besides its
    number and bullets; or a table whose every row links to a WeChat article."""
    if b.kind == "image":
        return True
    if not b.links:
        return _cut_post_link(b)
    rest = _key(b.text)
    for link in b.links:
        rest = rest.replace(_key(link.text), "", 1)
    if len(rest) <= 4 or not _ORDINALS.sub("", rest):
        return True
    if b.kind == "table":  # rows of "01 | title | ► 点击阅读": a link to a post on every row
        rows = sum(1 for row in b.text.split("\n") if row.strip())
        return sum(1 for link in b.links if _WECHAT_POST in link.url) >= max(2, rows)
    return False


def _cut_post_link(b: Block) -> bool:
    """The dump's last line: a link to a WeChat post that the converter cut inside its URL
    (the block keeps only the link's text), with at most its number before it."""
    m = rules.CUT_LINK.search(b.raw.rstrip())
    return m is not None and _WECHAT_POST in m.group(0) and not _ORDINALS.sub("", b.raw[: m.start()])


_WECHAT = "mp.weixin.qq.com"  # where WeChat serves its posts (and its other pages)
_WECHAT_POST = _WECHAT + "/s"  # a post's own address


def _ornament(b: Block) -> bool:
    """A paragraph with no letter or digit at all (✦, ———, ···): a divider between items."""
    return (
        b.kind == "paragraph"
        and bool(b.text.strip())
        and not _ORDINALS.sub("", b.text)
        and not any(c.isdigit() for c in b.text)
    )


def _post_title(b: Block) -> bool:
    """A numbered line naming another post (``1.内部VIP知识星球福利介绍``): short, no sentence."""
    t = b.text.strip()
    return (
        b.kind in ("paragraph", "list", "heading")
        and len(t) <= 60
        and bool(rules.NUMBERED_TITLE.match(t))
        and "。" not in t[:-1]
    )


def _related_run(blocks: tuple[Block, ...], i: int, header: str) -> int:
    """The end of the related-articles list under the header at ``i`` (``i + 1`` when there
    is none): linked items, images and cover cards, with the dividers and bold group labels
    between them; under a header naming the account's earlier posts (往期…), also a run of
    at least two numbered post titles whose links the converter lost."""
    n = len(blocks)
    j = i + 1
    while j < n and (
        _list_item(blocks[j])
        or (_ornament(blocks[j]) and j + 1 < n and _list_item(blocks[j + 1]))
        or (_bold_label(blocks[j]) and j + 1 < n and _list_item(blocks[j + 1]) and bool(blocks[j + 1].links))
    ):
        j += 1
    items = range(i + 1, j)
    if any(blocks[k].links for k in items) or sum(blocks[k].kind == "image" for k in items) >= 2:
        return j
    if rules.PAST_POSTS.match(header):
        k = i + 1
        while k < n and _post_title(blocks[k]):
            k += 1
        if k - i - 1 >= 2:
            return k
    return i + 1


def related_articles(doc: Document) -> Document:
    """Drop 往期推荐 / 推荐阅读 headers and the list of article links under them (with the
    dividers and group labels inside the list; numbered titles without links only under a
    往期… header).

    A header with no list after it is left alone; so is a numbered list of titles without
    links under 推荐阅读 (it may recommend books).
    """
    blocks = doc.blocks
    drops: list[int] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind in ("paragraph", "heading") and len(b.text) <= 40 and rules.RELATED_HEADER.match(key := _key(b.text)):
            j = _related_run(blocks, i, key)
            if j > i + 1:
                drops.extend(range(i, j))
                i = j
                continue
        if _article_card(b):
            j, cards = _card_run(blocks, i)
            if cards >= 2:  # a run of linked cover images: other articles of the account
                start = i
                while start > 0 and i - start < _CAPTIONS and _split_link_line(blocks[start - 1]):
                    start -= 1  # the first card's own title and date lines
                labelled = start > 0 and (blocks[start - 1].kind == "heading" or _bold_label(blocks[start - 1]))
                drops.extend(range(start - 1 if labelled else start, j))
                i = j
                continue
        i += 1
    return doc.drop(drops, "related_articles", "related-articles list (往期推荐 / 推荐阅读 / article cards)")


_CAPTIONS = 2  # a card's own lines beside its image: its title and its date


def _card_run(blocks: tuple[Block, ...], i: int) -> tuple[int, int]:
    """The end of the run of article cards from ``i`` and how many cards it holds. Between
    two cards may stand one or two short lines, the cards' titles and dates; when each card
    is followed by one such line, the last card's line belongs to the run too. Blocks left
    empty by stripped markup (a converter's raw ``<section>``) stand between them unseen."""
    n = len(blocks)
    j, cards, gaps = i, 0, []
    while j < n:
        if _article_card(blocks[j]):
            j, cards = j + 1, cards + 1
            continue
        k, captions = j, 0
        while k < n and (_blank(blocks[k]) or (captions < _CAPTIONS and _card_caption(blocks[k]))):
            captions += not _blank(blocks[k])
            k += 1
        if k == j or k >= n or not _article_card(blocks[k]):
            break
        gaps.append(captions)
        j = k
    if gaps and set(gaps) == {1} and j < n and _card_caption(blocks[j]):
        j += 1  # "card / its title" pairs: the last title
    return j, cards


def _card_caption(b: Block) -> bool:
    """A short line between two article cards: a title (bare, or linked to a WeChat post as
    the card is) or a date."""
    t = b.text.strip()
    if b.kind != "paragraph" or not 0 < len(t) <= 60:
        return False
    if b.links:  # a linked title may be a question or an exclamation
        return all(_WECHAT in link.url for link in b.links)
    return not t.endswith(("。", "！", "？"))


def _split_link_line(b: Block) -> bool:
    """A line of a card whose link a converter split over lines: ``[标题`` (the link's stray
    opening bracket, never closed on the line) or the card's date."""
    t = b.text.strip()
    return b.kind == "paragraph" and (
        (t.startswith("[") and "]" not in t and len(t) <= 61) or bool(rules.DATE_LINE.match(t))
    )


def _article_card(b: Block) -> bool:
    """An image linking to a WeChat article (a cover card of another post)."""
    return b.kind == "image" and any(_WECHAT in link.url for link in b.links)


def _bold_label(b: Block) -> bool:
    """A short paragraph that is bold as a whole (a section label in WeChat posts), written
    ``**…**`` or, as some converters write it, ``__…__``."""
    md = b.md.strip()
    return b.kind == "paragraph" and len(b.text) <= 24 and md[:2] == md[-2:] and md[:2] in ("**", "__")


def promo_notices(doc: Document) -> Document:
    """Drop short 投稿 / 转载 / 交流群 / 知识星球 / subscription notices: a line that opens
    with such a phrase, or a very short one holding it. A sentence that mentions 投稿 or
    知识星球 in passing is left alone."""
    blocks = doc.blocks
    drops: list[int] = []
    for i, b in enumerate(blocks):
        if (
            b.kind in ("paragraph", "heading", "quote")
            and len(b.text) <= 2 * rules.PROMO_MAX_LEN
            and rules.PROMO_TRIGGER.search(b.text)
            and _promo(_key(b.text))
        ):
            drops.append(i)
            if b.text.rstrip().endswith(("：", ":")) and i + 1 < len(blocks) and _bare_url(blocks[i + 1]):
                drops.append(i + 1)  # 试用地址： / https://… : the address a converter set on its own line
    return doc.drop(drops, "promo_notices", "投稿 / 转载 / 交流群 / subscription notice")


def _bare_url(b: Block) -> bool:
    """A paragraph that is one web address and nothing else."""
    return b.kind == "paragraph" and bool(rules.BARE_URL.fullmatch(b.text.strip()))


def _promo(key: str) -> bool:
    """A notice line: one of :data:`rules.PROMO_ANYWHERE` in a line of up to
    ``PROMO_MAX_LEN`` characters, or an invitation to join a paid group
    (:data:`rules.PROMO_JOIN`) in one of up to twice that; or a :data:`rules.PROMO` phrase
    opening the line or filling most of a very short one."""
    if len(key) > rules.PROMO_MAX_LEN:
        return len(key) <= 2 * rules.PROMO_MAX_LEN and bool(rules.PROMO_JOIN.search(key))
    if rules.PROMO_ANYWHERE.search(key):
        return True
    m = rules.PROMO.search(key)
    return m is not None and (m.start() <= rules.PROMO_LEAD or len(key) <= rules.PROMO_SHORT)


_SECTION_TITLE = 30  # a section's title is short: a long "heading" is a paragraph set large


def promo_section(doc: Document) -> Document:
    """Drop a closing self-promotion section: from a heading such as 加入安全社区 / 关于我们 /
    欢迎加入 in the second half of the body to the body's end; or the account's sign-off, its
    name on a line of its own near the end with only slogan lines after it.

    Only a short heading (or a bold label line) opens such a section; a paragraph that merely
    mentions 星球 or 社群, even set as a heading, is left alone.
    """
    blocks = doc.blocks
    n = len(blocks)
    for i, b in enumerate(blocks):
        if i < n // 2 or b.zone != "body":
            continue
        key = _key(b.text)
        if (b.kind == "heading" or _bold_label(b)) and len(key) <= _SECTION_TITLE and rules.PROMO_SECTION.search(key):
            return doc.drop(range(i, n), "promo_section", "closing self-promotion section (community, about us)")
    sign_off = _sign_off(blocks, doc.meta.account)
    if sign_off < n:
        return doc.drop(range(sign_off, n), "promo_section", "the account's sign-off: its name and slogan lines")
    return doc


_SIGN_OFF_REACH = 5  # the account's name stands among the body's last few lines
_SLOGAN_MAX = 24  # a slogan line is short


def _sign_off(blocks: tuple[Block, ...], account: str | None) -> int:
    """Where the account's closing sign-off starts (``len(blocks)`` when there is none): a line
    that is the account's name among the body's last lines, with only short slogan lines
    (网罗圈内热点 专注网络安全 / 实时资讯一手掌握！) or images after it."""
    n = len(blocks)
    if not account or not n:
        return n
    name = _key(account)
    for i in range(max(0, n - _SIGN_OFF_REACH), n):
        b = blocks[i]
        named = _names_account(b, name) if b.kind in ("paragraph", "heading") else ""
        if named:
            rest = blocks[i + 1 :]
            slogans = [r for r in rest if r.kind != "image"]
            # a label that only holds the name (a signature) needs a slogan under it
            if all(map(_slogan, slogans)) and (named == "name" or slogans):
                return i
    return n


def _slogan(b: Block) -> bool:
    """A short line of words after the account's name; a date under a name is a letter's
    signature, not a slogan."""
    return b.kind == "paragraph" and len(_key(b.text)) <= _SLOGAN_MAX and not rules.DATE_LINE.match(b.text)


def _names_account(b: Block, name: str) -> str:
    """``"name"`` when the line is the account's name alone; ``"label"`` when it is a short
    bold label holding the name (``**奇安信代码卫士 (codesafe)**``), never a sentence; else ""."""
    key = _key(b.text)
    if key == name:
        return "name"
    if name and name in key and _bold_label(b) and not key.endswith(("。", "！", "？")):
        return "label"
    return ""


def disclaimer(doc: Document) -> Document:
    """Drop the account's standing disclaimer (免责声明 …) and the paragraph under its heading."""
    blocks = doc.blocks
    drops: list[int] = []
    for i, b in enumerate(blocks):
        if "明" not in b.text:  # every disclaimer heading says 声明 or 申明
            continue
        key = _key(b.text)
        if not rules.DISCLAIMER.match(key):
            continue
        drops.append(i)
        if len(key) <= 12 and i + 1 < len(blocks) and rules.DISCLAIMER_BODY.search(blocks[i + 1].text):
            drops.append(i + 1)
    return doc.drop(drops, "disclaimer", "the account's standing disclaimer")


_EDITORIAL_FILTERS = frozenset(
    {"split_cta", "call_to_action", "end_marker", "related_articles", "promo_notices", "promo_section", "disclaimer"}
)


def follow_images(doc: Document) -> Document:
    """Drop images of follow blocks: animated banners at the body's start or end, an image
    right under a removed call to action (the QR code under 长按识别), and a banner at the
    body's edge right over one.

    An image under kept article text is never touched.
    """
    blocks = doc.blocks
    kinds = list(map(_KIND_OF, blocks))
    images = [i for i, k in enumerate(kinds) if k == "image"]
    if not images:
        return doc
    editorial = {r.pos for r in doc.removed if r.filter in _EDITORIAL_FILTERS}
    # what a reader sees as text: blank blocks (dropped last, by empty_blocks) do not count
    text_idx = [i for i, (k, b) in enumerate(zip(kinds, blocks, strict=True)) if k != "image" and not _blank(b)]
    first_text = text_idx[0] if text_idx else len(blocks)
    last_text = text_idx[-1] if text_idx else -1
    image_pos = {r.pos for r in doc.removed if r.kind == "image"} | {blocks[i].pos for i in images}
    positions = list(map(_POS_OF, blocks))  # ascending: filters only remove

    def kind_at(pos: int) -> str | None:
        k = bisect_left(positions, pos)
        return kinds[k] if k < len(positions) and positions[k] == pos else None

    neighbours = _TextNeighbours(image_pos)
    drops: dict[int, str] = {}
    for i in images:
        b = blocks[i]
        edge = i < first_text or i > last_text
        texts_before = bisect_left(text_idx, i)
        near_edge = texts_before <= 2 or len(text_idx) - texts_before <= 2
        before, after = neighbours(b.pos)
        before2, _ = neighbours(before)
        reused = _reused_template(b.url)
        if i + 1 < len(blocks) and _caption(blocks[i + 1]):
            continue  # a captioned picture is the article's
        if edge and _image_format(b.url) == "gif":
            drops[i] = "animated banner at the article's edge"
        elif before in editorial or (near_edge and before2 in editorial and kind_at(before) != "heading"):
            drops[i] = "image under a follow / call-to-action line (QR code, banner)"
        elif i > last_text >= 0 and _closing(editorial, blocks[last_text].pos, b.pos, doc.source_type):
            drops[i] = "image after the article's last line, among the closing boilerplate"
        elif 0 < b.ratio < rules.STRIP_RATIO and (texts_before <= 1 or len(text_idx) - texts_before <= 1):
            drops[i] = "strip banner at the article's start or end (three times as wide as high)"
        elif near_edge and after in editorial and (reused or _image_format(b.url) == "gif"):
            drops[i] = "banner over a follow / call-to-action line"
        elif (reused == "bare" and doc.source_type == "dump") or (reused == "copied" and edge):
            drops[i] = "template image reused from another post (banner, QR code)"
        elif i > 0 and _qr_prompt(blocks[i - 1]):
            drops[i] = "QR code under its prompt"
    return doc.drop(drops, "follow_images", drops)


def _caption(b: Block) -> bool:
    return b.kind == "paragraph" and len(b.text) <= 60 and bool(rules.CAPTION.match(b.text))


def _reused_template(url: str) -> str:
    """How a WeChat image URL shows it was pasted from another rendered post, if it does.

    ``"bare"``: a CDN path with no query at all (no ``wx_fmt``), as old templates carry;
    ``"copied"``: the rendered page's lazy-load parameter (``wx_lazy``) came along.
    Fresh uploads carry neither. Images elsewhere than WeChat's CDN: ``""``.
    """
    rest = url.partition("//")[2]
    host, _, tail = rest.partition("/")
    if not host.endswith(("qpic.cn", "qlogo.cn")):
        return ""
    query = tail.partition("?")[2]
    if not query:
        return "bare"
    if "wx_lazy=" in query:
        return "copied"
    return ""


def _qr_prompt(b: Block) -> bool:
    """A short line that introduces a QR code (扫码…, 二维码…, …群号)."""
    return b.kind in ("paragraph", "heading") and len(b.text) <= 60 and bool(rules.QR_PROMPT.search(b.text))


def _closing(editorial: set[int], last_text: int, pos: int, source_type: str) -> bool:
    """Is an image after the article's last kept line part of the closing boilerplate?

    On an HTML page only when editorial stood between that line and the image; in a dump
    (which has no sizes or classes to tell a banner by) when the article had any editorial.
    """
    if source_type == "dump":
        return bool(editorial)
    return any(last_text < p < pos for p in editorial)


class _TextNeighbours:
    """Input positions of the nearest non-image blocks before and after a position, looking
    past adjacent images (a banner and a QR code often stand together). Each run of adjacent
    images is walked once, so ten thousand images in a row cost linear time."""

    def __init__(self, image_pos: set[int]) -> None:
        self.before: dict[int, int] = {}
        self.after: dict[int, int] = {}
        for p in sorted(image_pos):
            if p - 1 not in image_pos:  # the first image of a run: walk the run once
                end = p
                while end + 1 in image_pos:
                    end += 1
                for q in range(p, end + 1):
                    self.before[q] = p - 1
                    self.after[q] = end + 1

    def __call__(self, pos: int) -> tuple[int, int]:
        """(nearest non-image position before ``pos``, nearest after); ``pos`` need not be an image."""
        before = self.before.get(pos - 1, pos - 1) if pos - 1 in self.before else pos - 1
        after = self.after.get(pos + 1, pos + 1) if pos + 1 in self.after else pos + 1
        return before, after
