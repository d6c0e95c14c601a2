"""Renderers: a filtered Document becomes an Article (text, markdown, images, links, dict).

Rendering never drops content: what the filters kept is what the Article shows. It adds
the title to the markdown (as ``# title``) but never to ``text``.
"""

from __future__ import annotations

import re

from wxclean import rules
from wxclean.model import Article, Block, Document, Image, Link, Removal
from wxclean.sources.dump import BLOCK_LEADS, CELL_EDGE, media_placeholder, opens_block
from wxclean.sources.inline import LINK_TEXT, URL_TARGET, read_target, unbracket
from wxclean.text import percent


def text_of(blocks: tuple[Block, ...]) -> str:
    """Plain text: one block per paragraph, paragraphs separated by a blank line."""
    parts = []
    for b in blocks:
        text = b.text
        if b.kind == "image" or not text or text.isspace():
            continue
        if b.kind in ("code", "table"):
            parts.append(text.strip("\n"))
        elif "\n" not in text:
            parts.append(text.strip())
        else:  # lines broken inside one paragraph (<br>) read as paragraphs of their own
            parts.extend(line.strip() for line in text.split("\n") if line.strip())
    return "\n\n".join(parts)


_TICKS = re.compile(r"`+")
# a link or image; a link's text may hold bracketed words (an image's alt none) and the
# target one level of balanced parentheses, as CommonMark allows and the dump reader reads
# them (inline.LINK, inline.IMAGE)
_MD_TARGET = re.compile(
    r"(?<!\\)(!?)\[((?<=!\[)[^\[\]\n]{0,2000}|(?<!!\[)" + LINK_TEXT + r")(?<!\\)\]\([ \t]{0,20}"
    r"(" + URL_TARGET + r")((?:\s+\"[^\"\n]{0,500}\")?)\)"
)
# a reference definition "[ref]: target": one whose target is not safe (:func:`safe_url`),
# no renderer may use
_REF_DEF = re.compile(r"^( {0,3})\[([^\[\]\n]{1,999})\]:(?=[ \t]*<?([^\s<>]{0,4096}))", re.M)


# one link or image and nothing else, its text free of brackets and "<", its target http(s)
# with no parenthesis, space or bracket: already safe (simple classes: fast on long URLs)
_PLAIN_TARGET = re.compile(r"!?\[[^\[\]<\n\\]{0,2000}\]\(https?://[^\s()<>\[\]\\]{1,4096}\)")
_STRAY_TARGET = re.compile(r"\]\((?=[ \t]*<?([^\s()<>]{1,4096}))")  # "](target": escaped when the target is not safe


def safe_markdown(md: str) -> str:
    """Markdown that cannot turn into live HTML when rendered: ``<`` outside code spans
    becomes ``&lt;`` (no tag, no ``<javascript:…>`` autolink), and a link or image whose
    target is not http(s) or a relative path keeps its text only.

    Code blocks are not passed here; their content is shown verbatim by any renderer.
    """
    if _PLAIN_TARGET.fullmatch(md):  # the common image or link: nothing to neutralise
        return md
    if "](" in md:
        md = _MD_TARGET.sub(_safe_target, md)
        # a stray "](scheme:" left (no opening bracket, or markup the pattern does not take):
        # escape its parenthesis so no renderer can read a link there
        md = _STRAY_TARGET.sub(_stray_target, md)
    if "]:" in md:
        md = _REF_DEF.sub(_ref_def, md)
    if "<" not in md:
        return md
    out: list[str] = []
    pos = 0
    for start, end in code_spans(md):
        out.append(md[pos:start].replace("<", "&lt;"))
        out.append(md[start:end])
        pos = end
    out.append(md[pos:].replace("<", "&lt;"))
    return "".join(out)


def code_spans(md: str) -> list[tuple[int, int]]:
    """The code spans of one block's markdown, where every renderer agrees they are: each
    line's backtick runs pair off in order, each with the next, of the same length.

    Any other arrangement (an odd run out, a pair of unequal runs, a run after a backslash, a
    cell's edge ``|`` between a pair) gives no spans at all, so that the caller escapes every
    ``<`` of the block: CommonMark pairs a run with the next run *of its length*, across lines
    and over other runs, and a table renderer splits cells first, so no simpler reading is
    safe. (A pattern that took
    ```` ```<b>` ```` for a code span left its ``<b>`` live.)"""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in md.split("\n"):
        runs = [(m.start(), m.end()) for m in _TICKS.finditer(line)]
        if len(runs) % 2:
            return []
        for (s1, e1), (s2, e2) in zip(runs[::2], runs[1::2], strict=True):
            if e1 - s1 != e2 - s2 or (s1 > 0 and line[s1 - 1] == "\\") or CELL_EDGE.search(line, e1, s2):
                return []
            spans.append((offset + s1, offset + e2))
        offset += len(line) + 1
    return spans


def _stray_target(m: re.Match[str]) -> str:
    return m.group(0) if safe_url(m.group(1)) else "]\\("


def _ref_def(m: re.Match[str]) -> str:
    # (a target on the next line, as CommonMark allows, is not looked at: escaped all the same)
    return m.group(0) if m.group(3) and safe_url(m.group(3)) else f"{m.group(1)}\\[{m.group(2)}]:"


def _safe_target(m: re.Match[str]) -> str:
    target = m.group(3)
    bare = unbracket(target)
    if bare != target and safe_url(bare):
        # a target in angle brackets, written without them (the "<" would be escaped below)
        return f"{m.group(1)}[{m.group(2)}]({quoted_url(bare)}{m.group(4)})"
    if safe_url(target) or not target:
        return m.group(0)
    return "" if m.group(1) else m.group(2)


def literal_start(md: str) -> str:
    """A paragraph's markdown with block syntax at the start of a line escaped (``\\#``,
    ``1\\.``, ``\\>`` …), so that text such as “# 不是标题” or a lone ``` reads back as the
    paragraph it is. Leaves every other character alone."""
    if "\n" in md:
        return "\n".join(map(literal_start, md.split("\n")))
    body = md.lstrip()
    if not opens_block(body):  # the dump reader's own rule: what it reads back is what is escaped
        return md
    lead = md[: len(md) - len(body)]
    if body[0].isdigit():  # "1. " -> "1\. ": the number stays, the list marker goes
        k = len(body) - len(body.lstrip("0123456789"))
        return f"{lead}{body[:k]}\\{body[k:]}"
    return f"{lead}\\{body}"


_COLONS = {":": "&#58;", "：": "&#65306;"}


def _no_header(md: str) -> str:
    """The body's first block, under the title or opening the markdown, as no dump reader
    reads a converter's header: a rule as ``***`` (``---`` would open front matter), and a
    first line such as ``原文链接：…`` or ``Title: …`` with its colon as a character
    reference (rendered the same)."""
    if md == "---":
        return "***"
    first, nl, rest = md.partition("\n")
    m = rules.CONVERTER_LINE.match(first)
    if m is None:
        return md
    k = min((i for i in (first.find(":", m.end("key")), first.find("：", m.end("key"))) if i >= 0), default=-1)
    if k < 0:
        return md
    return first[:k] + _COLONS[first[k]] + first[k + 1 :] + nl + rest


def title_line(title: str) -> str:
    """The markdown's first line: ``# title``, on one line."""
    return safe_markdown("# " + " ".join(title.split()))


def block_markdown(b: Block, first: bool = False) -> str:
    """One block's markdown as :func:`markdown_of` writes it ("" for a block it leaves out,
    one with nothing to show); ``first``: the body's first block."""
    md = b.md.strip("\n")
    if not md or md.isspace():
        return ""
    kind = b.kind
    if kind == "paragraph" and b.text and (md[0] in BLOCK_LEADS or "\n" in md):
        md = literal_start(md)
    if kind != "code" and ("](" in md or "<" in md or "]:" in md):  # safe_markdown's own triggers
        md = safe_markdown(md)
    if first and kind != "code":
        md = _no_header(md)
    if md.startswith("[") and kind != "media" and media_placeholder().match(md):
        # a link whose text is a media label ([视频](url)) as a character reference, rendered
        # the same: the dump reader takes [视频](url) for a media block of this renderer's
        md = f"[&#{ord(md[1])};{md[2:]}"
    return md


def markdown_of(title: str | None, blocks: tuple[Block, ...]) -> str:
    """Markdown: ``# title`` then the blocks; list items of one list stay together. Every
    block but code goes through :func:`safe_markdown`."""
    parts: list[str] = []
    if title:
        parts.append(title_line(title))
    items: list[str] = []  # the items of the list being read, joined once it ends (linear)
    first = True  # the body's first block, right under the title (or opening the markdown)
    for b in blocks:
        md = block_markdown(b, first)
        if not md:
            continue
        first = False
        if b.kind == "list":
            items.append(md)
            continue
        if items:
            parts.append("\n".join(items))
            items = []
        parts.append(md)
    if items:
        parts.append("\n".join(items))
    return "\n\n".join(parts)


def images_of(blocks: tuple[Block, ...]) -> tuple[Image, ...]:
    """Content images (http(s), or a saved page's relative path; never ``data:`` or other
    schemes), with the caption line that follows one, if any."""
    out: list[Image] = []
    for i, b in enumerate(blocks):
        if b.kind != "image" or not safe_url(b.url):
            continue
        caption = ""
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if nxt is not None and nxt.kind == "paragraph" and len(nxt.text) <= 60 and rules.CAPTION.match(nxt.text):
            caption = nxt.text
        alt = b.alt if b.alt not in ("图片", "image", "null") else ""
        out.append(Image(quoted_url(b.url), alt, caption))
    return tuple(out)


def safe_url(url: str) -> bool:
    """An http(s) URL, or a relative path with no scheme (a saved page's own picture), read
    as a markdown renderer reads a link's target (:func:`~wxclean.sources.inline.read_target`:
    ``javascript&colon;…`` and ``javascript&#58;…`` have a scheme)."""
    if url.startswith(("http://", "https://")):
        return True
    url = read_target(url)
    if url.startswith(("http://", "https://")):
        return True
    return bool(url) and not url.startswith("//") and ":" not in url.split("/", 1)[0].split("?", 1)[0]


#: what a URL never holds as it is (RFC 3986): spaces, controls, quotes, angle brackets ...
_URL_UNSAFE = re.compile(r'[\x00-\x20"<>\\^`{|}\x7f]')


def quoted_url(url: str) -> str:
    """``url`` with the characters a URL never holds as they are percent-encoded (``"`` as
    ``%22``, ``<`` as ``%3C`` ...), so a URL is safe to put in an attribute or a markdown link
    as it is; everything else (``%`` escapes, non-ASCII paths) is left as it is."""
    return _URL_UNSAFE.sub(percent, url) if _URL_UNSAFE.search(url) else url


def links_of(blocks: tuple[Block, ...]) -> tuple[Link, ...]:
    """The http(s) links of the kept blocks, in reading order, their URLs quoted (:func:`quoted_url`)."""
    return tuple(
        Link(quoted_url(link.url), link.text) if _URL_UNSAFE.search(link.url) else link
        for b in blocks
        for link in b.links
        if link.url.startswith(("http://", "https://"))
    )


def web_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL (quoted, :func:`quoted_url`; a protocol-relative
    ``//host/…`` read as https), else None: the Article's own address and cover are never
    ``javascript:``, ``data:`` or a local path."""
    u = (url or "").strip()
    if u.startswith("//"):
        u = "https:" + u
    return quoted_url(u) if u[:8].lower().startswith(("http://", "https://")) else None


def _meta_urls(doc: Document) -> tuple[str | None, str | None, tuple[Removal, ...]]:
    """The Article's ``url`` and ``cover``, and an audit entry for each one left out."""
    m = doc.meta
    url, cover = web_url(m.url), web_url(m.cover)
    gone = tuple(
        Removal("unsafe_url", f"the article's {name} is not an http(s) URL", value, "meta", name)
        for name, value, kept in (("url", m.url, url), ("cover", m.cover, cover))
        if value and value.strip() and kept is None
    )
    return url, cover, gone


def article(doc: Document) -> Article:
    """Build the Article from a filtered Document."""
    m = doc.meta
    blocks = doc.blocks
    url, cover, unsafe = _meta_urls(doc)
    return Article(
        text=text_of(blocks),
        markdown=markdown_of(m.title, blocks),
        title=m.title,
        account=m.account,
        author=m.author,
        published=m.published,
        original=m.original,
        source_account=m.source_account,
        kind=m.kind,
        status=m.status,
        truncated=m.truncated,
        url=url,
        cover=cover,
        images=images_of(blocks),
        links=links_of(blocks),
        removed=doc.removed + unsafe if unsafe else doc.removed,
    )
