"""Inline markdown: split a dump line into images and text, and turn markdown into plain text.

Only the inline syntax that converters of WeChat pages emit is handled: images, links,
bold/italic markers, inline code, backslash escapes and stray inline HTML tags. Block
syntax (headings, lists, quotes, fences, tables) is the dump adapter's business.
"""

from __future__ import annotations

import re
import unicodedata
from operator import itemgetter

from wxclean import rules
from wxclean.model import Link
from wxclean.text import join_words, unescape

# Each pattern below opens with its literal and checks the character before it with a
# look-behind placed after it (``!\[(?<!\\!\[)``, not ``(?<!\\)!\[``): the engine then jumps
# from one "![" to the next instead of trying the whole pattern at every position.
# Measured on the corpus lines: searches 2x (images) to 9x (italics) faster.
# an image; the URL part may carry a "title" (wechatmp2markdown writes `![](url "")`)
# bounded parts that never hold another "[", "(" or ")": a line of ten thousand "[a](" stays
# linear to scan (a URL with nested parentheses is left as text). One level of balanced (),
# as CommonMark allows, up to eight pairs, with runs of one character class between them
# (an alternation per character, the same pattern, took 4x as long on a link line).
_URL_RUN = r"[^()\[\]\s]{0,4096}"
URL_TARGET = _URL_RUN + r"(?:\([^()\[\]\s]{0,200}\)" + _URL_RUN + "){0,8}"
_TITLE = r"(?:\s+\"[^\"\n]{0,500}\")?"  # the optional "title" after a URL
# an escaped bracket (\[ or \]) is text: it opens or closes no image or link
IMAGE = re.compile(r"!\[(?<!\\!\[)(?P<alt>[^\[\]\n]{0,500})(?<!\\)\]\((?P<url>" + URL_TARGET + ")" + _TITLE + r"\)")
# link text may hold bracketed words, as CommonMark allows (``[ [攻防实战]外网突破 ](url)``):
# up to eight balanced pairs, one level deep, none of them an image's ``![``; the classes
# never overlap, so it stays linear
LINK_TEXT = r"[^\[\]\n]{0,2000}(?:(?<!!)\[[^\[\]\n]{0,500}\][^\[\]\n]{0,2000}){0,8}"
LINK = re.compile(r"\[(?<![!\\]\[)(?P<text>" + LINK_TEXT + r")(?<!\\)\]\((?P<url>" + URL_TARGET + ")" + _TITLE + r"\)")
# an HTML tag inside a line; whether it is markup or text about HTML is decided by _strip_tags
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]{0,30})((?:\s[^<>]{0,2000})?)/?>")
_TAG_SPLIT = re.compile(f"({_TAG.pattern})")  # the same, the whole tag kept as the first group
# attributes only WeChat's editor markup carries: a tag holding one is markup, never prose
_MARKUP_ATTR = re.compile(
    r"\b(?:style|data-[\w-]{1,40}|href|src|width|height|align|valign|lang)\s{0,8}=", re.IGNORECASE
)
# formatting tags that are markup when opened and closed inside the same line
_PAIRED = frozenset({"strong", "b", "em", "i", "u", "s", "span", "font", "sup", "sub", "o:p", "section", "p", "mark"})
_EMPH = re.compile(r"(\*\*|~~)")
# ``__strong__``: a pair, the opening not inside a word and the closing not followed by one;
# an unpaired or intraword ``__`` is text (``__init`` , ``s?__biz=``, ``Lists__Po.htm``), as
# CommonMark reads it. The content holds no ``__``, so each try ends at the next one: linear.
_STRONG_UNDERSCORE = re.compile(r"__(?<![\w\\]__)(?=\S)((?:[^_\n]|_(?!_)){1,2000}?)(?<=\S)__(?!\w)")
#: what closes a ``__strong__`` pair: a line without it holds none (URLs' ``?__biz=`` open one)
_CLOSES_STRONG = re.compile(r"__(?<=\S__)(?!\w)")
# (the run of non-stars can only end before the next star: greedy finds the same end as
# lazy, without trying the closing at every character)
_ITALIC = re.compile(r"\*(?<![\w*\\]\*)(?=[^\s*])([^*\n]{1,2000})(?<=[^\s*\\])\*(?![\w*])")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
#: a code span of single backticks: a backtick of a longer run opens or closes none (as in
#: CommonMark, a run pairs only with a run of its length), nor does an escaped one (\`)
_CODE = re.compile(r"(?<![`\\])`([^`\n]+)`(?!`)")
# zero-width characters, C0 controls (but tab) and U+FFFD (what undecodable bytes became)
_INVISIBLE = re.compile(f"[{rules.ZERO_WIDTH}\ufffd{rules.CONTROLS}\x7f]+")
_ODD_SPACE = re.compile("[\u00a0\u3000]")
# a line with none of these characters has no inline markup: plain() returns it as it is
_MARKUP = re.compile(r"[\[<`*_~\\&]")


def normalise_line(line: str) -> str:
    """NBSP and ideographic spaces to one space; zero-width characters, control characters
    and U+FFFD removed; NFC. Visible text is left as it is.

    Each step runs only when a quick search says it is needed (most lines need none).
    """
    if line.isascii() and line.isprintable():
        return line.rstrip()
    if _INVISIBLE.search(line):
        line = _INVISIBLE.sub("", line)
    if _ODD_SPACE.search(line):
        line = _ODD_SPACE.sub(" ", line)
    if not unicodedata.is_normalized("NFC", line):
        line = unicodedata.normalize("NFC", line)
    return line.rstrip()


def normalise_lines(text: str) -> list[str]:
    """The text's lines, each through :func:`normalise_line` (right-stripped).

    The odd spaces are replaced in the whole text at once (two C-level ``str.replace``);
    then only lines that are still not all printable (zero-width and control characters), or
    that hold U+FFFD, need any work: on the corpus that is one dump in thirty. Measured: 1.6x
    faster than checking every line of the 266 dumps with a NBSP, and far faster than one
    regex pass over the text.
    """
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "\u00a0" in text:
        text = text.replace("\u00a0", " ")
    if "\u3000" in text:
        text = text.replace("\u3000", " ")
    lines = text.split("\n")
    fffd = "\ufffd" in text
    probe = "".join(lines)
    if "\t" in probe:  # a tab is kept, though not "printable"
        probe = probe.replace("\t", "")
    if not fffd and probe.isprintable():  # the usual dump: one C-level check for all lines
        return list(map(str.rstrip, lines))
    for i, line in enumerate(lines):
        if line.isprintable() and not (fffd and "\ufffd" in line):
            lines[i] = line.rstrip()
        else:
            lines[i] = normalise_line(line)
    return lines


# replacements by a group, as C-level callables: a template such as r"\1" is expanded in
# Python for every match (3.11), 3.5x slower on a line of a million escapes
_GROUP_1 = itemgetter(1)
_LINK_TEXT_OF = itemgetter("text")


def plain(md: str) -> str:
    """The visible text of an inline-markdown string: link text kept, syntax dropped."""
    if not _MARKUP.search(md):
        return join_words(md) if "  " in md or "\t" in md else md.strip()
    # each step only when its marker is there: most lines with markup hold one kind of it
    s = IMAGE.sub("", md) if "![" in md and "](" in md else md
    if "__" in s and _CLOSES_STRONG.search(s):  # (before the links become text: a pair next
        # to one, ``__参考阅读__[…](…)``, is a pair; an opening alone, ``?__biz=``, is none)
        s = _STRONG_UNDERSCORE.sub(_GROUP_1, s)
    if "](" in s:
        s = LINK.sub(_LINK_TEXT_OF, s)
    if "&lt;" in s:  # before the tags: wxclean's own markdown writes a "<" as "&lt;"
        s = s.replace("&lt;", "<")
    if "<" in s:
        s = _strip_tags(s)
    if "`" in s:
        s = _CODE.sub(_GROUP_1, s)
    if "**" in s or "~~" in s:
        s = _EMPH.sub("", s)
    if "*" in s:
        s = _ITALIC.sub(_GROUP_1, s)
    if "\\" in s:
        s = _ESCAPE.sub(_GROUP_1, s)
    if "&" in s:  # last: what any other character reference stands for is text, never markup
        s = unescape(s)  # (as CommonMark reads it: "&#92;[" is a backslash and a bracket)
    return join_words(s)


def _strip_tags(s: str) -> str:
    """Remove the HTML markup converters leave inside a line, keep tags that are text.

    Markup: ``<br>``; a tag with an attribute only editor markup has (``style=``,
    ``data-…=``, ``href=``, ``src=`` …); a bare formatting tag (``<strong>``, ``<span>`` …)
    closed later in the same line, and the closing tags of what was removed. Everything else
    (``<p>`` or ``<img onerror>`` in a sentence about HTML, ``<pod-name>``) stays as text.
    """
    # one C-level split: text, then per tag (whole tag, "/" or "", name, attributes, text)
    parts = _TAG_SPLIT.split(s)
    wholes, closes, attrs = parts[1::5], parts[2::5], parts[4::5]
    if not wholes:
        return s
    names = [name.lower() for name in parts[3::5]]
    last_close = {name: k for k, (close, name) in enumerate(zip(closes, names, strict=True)) if close}
    keep = [True] * len(wholes)
    opened: dict[str, int] = {}
    for k, (close, name, attr) in enumerate(zip(closes, names, attrs, strict=True)):
        if close:
            continue
        markup = name == "br" or (attr and _MARKUP_ATTR.search(attr))
        paired = not attr and name in _PAIRED and last_close.get(name, -1) > k
        if markup or paired:
            keep[k] = False
            opened[name] = opened.get(name, 0) + 1
    if not opened:
        return s
    for k, (close, name) in enumerate(zip(closes, names, strict=True)):
        if close and opened.get(name, 0) > 0:
            keep[k] = False
            opened[name] -= 1
    out = [parts[0]]
    for whole, kept, text in zip(wholes, keep, parts[5::5], strict=True):
        if kept:
            out.append(whole)
        out.append(text)
    return "".join(out)


def unbracket(url: str) -> str:
    """A link or image target without the angle brackets CommonMark allows around it
    (``![](<https://…>)``, as some converters write every target)."""
    return url[1:-1] if len(url) > 2 and url[0] == "<" and url[-1] == ">" else url


# a backslash escape of any ASCII punctuation (CommonMark's, wider than _ESCAPE's)
_BACKSLASHED = re.compile(r"\\([!-/:-@\[-`{-~])")


def read_target(url: str) -> str:
    """A link or image target as a markdown renderer reads it: without angle brackets
    around it, its backslash escapes and character references decoded (so
    ``javascript&colon;…`` and ``&#106;avascript:…`` show their scheme)."""
    url = unbracket(url)
    if "&" in url or "\\" in url:
        url = unescape(_BACKSLASHED.sub(_GROUP_1, url))
    return url


def links(md: str) -> tuple[Link, ...]:
    """The http(s) links of an inline-markdown string, in order."""
    if "](" not in md:
        return ()
    out = []
    for m in LINK.finditer(md):
        url = unbracket(m.group("url"))
        if url.startswith(("http://", "https://")):
            out.append(Link(url, plain(m.group("text"))))
    return tuple(out)


# an image, optionally wrapped in a link: [![alt](img)](href), or an article card whose link
# holds the image and the title: [![alt](img)title](href)
# (simple character classes, no alternation per character: fast on long URLs)
_ANY_IMAGE = re.compile(
    r"\[!\[(?<!\\\[!\[)(?P<alt>[^\[\]\n]{0,500})(?<!\\)\]\((?P<url>[^()\[\]\s]{0,4096})(?:\s+\"[^\"\n]{0,500}\")?\)"
    r"(?P<ltext>[^\[\]\n]{0,500})\]"
    r"\((?P<href>[^()\[\]\s]{0,4096})\)"
    r"|!\[(?<!\\!\[)(?P<alt2>[^\[\]\n]{0,500})(?<!\\)\]\((?P<url2>[^()\[\]\s]{0,4096})(?:\s+\"[^\"\n]{0,500}\")?\)"
)


_LINK_TAIL = re.compile(r"\]\((<?https?://[^()\s<>]{1,4096}>?)\)")
#: what is left on either side of an image that bold or struck-through markup wrapped
#: (``**![](a)**``, ``__![](a)__``): markup, no text ("" too: nothing at all)
_MARKS_AROUND = frozenset({"", "**", "__", "~~"})


def split_images(md: str) -> list[tuple[str, str, str, str, str]]:
    """Split a line into ordered pieces ``("image", alt, url, href, raw)`` and
    ``("text", md, "", "", raw)``; ``raw`` is the piece exactly as it stands in the line.

    ``href`` is the link around an image (``[![](img)](href)``, or the ``](href)`` that
    closes, right after the image, a link opened on an earlier line), else "". A card whose
    link holds the image and a title (``[![](img)title](href)``) gives the image and the
    linked title, their ``raw`` each written as its own link. Text pieces that hold nothing
    visible are dropped.
    """
    if "![" not in md or "](" not in md:  # no image without both (a run of "![" is text)
        text = md.strip()
        return [("text", text, "", "", text)] if text else []
    if len(md) > 4 and md[:2] == md[-2:] and md[:2] in _MARKS_AROUND and md[:2] not in md[2:-2]:
        md = md[2:-2]  # a line bold or struck through as a whole (one span), images and all: the markup goes
    pieces: list[tuple[str, str, str, str, str]] = []
    pos = 0
    for m in _ANY_IMAGE.finditer(md):
        before = md[pos : m.start()].strip()
        tail = _LINK_TAIL.match(md, m.end()) if m.group("href") is None else None
        if tail and before.endswith("["):
            # "[![](img)](href)" whose href holds a "]" (which _ANY_IMAGE's linked form
            # refuses): the "[" opens the link that "](href)" closes, no text of its own
            before = before[:-1].strip()
        if before not in _MARKS_AROUND and plain(before):
            pieces.append(("text", before, "", "", before))
        pos = m.end()
        if m.group("href") is not None:
            alt, url, href, title = m.group("alt", "url", "href", "ltext")
            url, href = unbracket(url), unbracket(href)
            if not title.strip():
                pieces.append(("image", alt, url, href, m.group(0)))
                continue
            # a card: the image and its title, each linked, one piece each (as the output writes them)
            pieces.append(("image", alt, url, href, f"[![{alt}]({url})]({href})"))
            pieces.append(("text", f"[{title.strip()}]({href})", "", "", f"[{title.strip()}]({href})"))
        elif tail:
            # the end of a link whose "[" opened before the image (lines before in a converter's
            # card: "[title" / date / image): the link is the image's, its target no text
            url = unbracket(m.group("url2"))
            pieces.append(("image", m.group("alt2"), url, unbracket(tail.group(1)), m.group(0) + tail.group(0)))
            pos = tail.end()
        else:
            pieces.append(("image", m.group("alt2"), unbracket(m.group("url2")), "", m.group(0)))
    rest = md[pos:]
    if rest.strip() not in _MARKS_AROUND and (plain(rest) or not pieces):
        pieces.append(("text", rest.strip(), "", "", rest.strip()))
    return pieces


def mixed_pieces(md: str) -> list[tuple[str, str, str, str, str]] | None:
    """The pieces (:func:`split_images`) of a line that holds images and text; None for a
    line of images only (the usual case, told by one match) or of text only."""
    if (m := _ANY_IMAGE.fullmatch(md)) and not (m.group("ltext") or "").strip():
        return None
    pieces = split_images(md)
    kinds = {piece[0] for piece in pieces}
    return pieces if kinds == {"text", "image"} else None
