"""The document model every source adapter produces and every filter consumes.

A :class:`Document` is metadata plus an ordered tuple of :class:`Block` objects and the
audit trail of what was removed so far. Everything here is immutable: a filter returns a
new Document (``doc.drop(...)``, ``doc.with_meta(...)``) and never edits one in place, so
filters stay pure functions and a pipeline can be replayed or explained step by step.

The model knows nothing about WeChat; the rules that decide what is debris live in
:mod:`wxclean.rules` and the filters in :mod:`wxclean.filters`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from itertools import compress
from typing import Any, Literal, NamedTuple

BlockKind = Literal["heading", "paragraph", "image", "list", "quote", "code", "table", "media"]
Zone = Literal["front", "head", "body", "tail"]
Kind = Literal["article", "image_share", "text_share", "video", "audio", "notice", "other"]
Status = Literal[
    "ok",
    "empty",
    "verify",
    "deleted",
    "violation",
    "blocked",
    "migrated",
    "deregistered",
    "expired",
    "unavailable",
    "not_article",
]
#: statuses that mean "WeChat showed a notice instead of the article"
NOTICE_STATUSES: frozenset[str] = frozenset(
    {"verify", "deleted", "violation", "blocked", "migrated", "deregistered", "expired", "unavailable"}
)


@dataclass(frozen=True, slots=True)
class Image:
    """A content image: its URL, alt text and caption (empty strings when absent)."""

    url: str
    alt: str = ""
    caption: str = ""

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return by_fields(self)


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink inside the kept content."""

    url: str
    text: str = ""

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return by_fields(self)


class Removal(NamedTuple):
    """One entry of the audit trail: which filter removed what, and why (an immutable
    named tuple, cheap to build: a dump records one per removed line).

    ``where`` is the block's zone (front/head/body/tail) or, for the HTML path, the
    element selector that matched; ``text`` is the removed text as it stood in the input.
    """

    filter: str
    reason: str
    text: str
    kind: str = "paragraph"
    where: str = "body"
    pos: int = -1

    def to_dict(self) -> dict[str, str | int]:
        """The entry as a JSON-safe dict."""
        return self._asdict()


class Block(NamedTuple):
    """One unit of the body in reading order (an immutable named tuple).

    ``text`` is the plain text (what ``Article.text`` shows), ``md`` the markdown form
    (what ``Article.markdown`` shows). ``url`` is the image or media URL. ``zone`` tells
    where the adapter found the block (``front`` for converter lines, ``head``/``tail`` for
    the page chrome around the article, ``body`` otherwise); filters decide by it.
    ``links`` are the hyperlinks inside the block. ``level`` is the heading level (for a
    list item, its number when ordered, 0 when not). ``pos`` is the block's ordinal in the
    adapter's output, so a filter can ask what stood next to a block before other filters
    removed things. A named tuple rather than a frozen dataclass: a dump makes one per line,
    and a frozen dataclass costs five times as much to build. Copy with ``b._replace(...)``.
    """

    kind: BlockKind
    text: str
    md: str
    zone: Zone = "body"
    url: str = ""
    alt: str = ""
    level: int = 0
    links: tuple[Link, ...] = ()
    source: str = ""  # the block's input text (dump line(s)), kept for the audit trail
    pos: int = -1  # the block's ordinal in the adapter's output (stable across filters)
    ratio: float = 0.0  # an image's height / width when the page gives its size; 0.0 unknown

    @property
    def raw(self) -> str:
        """The input text of this block, or its markdown when the adapter kept none."""
        return self.source or self.md


@dataclass(frozen=True, slots=True)
class Meta:
    """Article metadata. ``None`` means unknown."""

    title: str | None = None
    account: str | None = None
    author: str | None = None
    published: datetime | None = None
    original: bool | None = None
    source_account: str | None = None
    kind: Kind = "article"
    status: Status = "ok"
    truncated: bool = False
    url: str | None = None
    cover: str | None = None
    description: str | None = None

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return by_fields(self)


@dataclass(frozen=True, slots=True)
class Document:
    """Metadata, blocks in reading order and the removals made so far."""

    meta: Meta = field(default_factory=Meta)
    blocks: tuple[Block, ...] = ()
    removed: tuple[Removal, ...] = ()
    source_type: str = "dump"  # dump | html | fragment | binary

    def drop(self, indices: Any, filter_name: str, reason: str | dict[int, str]) -> Document:
        """Return a copy without the blocks at ``indices``, each removal recorded.

        ``reason`` is one reason for all, or a mapping index -> reason.
        """
        gone = set(indices)
        if not gone:
            return self
        idx = sorted(gone)
        blocks = self.blocks
        # (a dump drops one block per chrome line: this runs tens of thousands of times a corpus)
        if isinstance(reason, dict):
            new = [_removal(blocks[i], filter_name, reason[i]) for i in idx]
        else:
            new = [_removal(blocks[i], filter_name, reason) for i in idx]
        if idx[-1] - idx[0] + 1 == len(idx):  # one run (a zone, a closing section): two slices
            kept = blocks[: idx[0]] + blocks[idx[-1] + 1 :]
        else:
            keep = [True] * len(blocks)
            for i in idx:
                keep[i] = False
            kept = tuple(compress(blocks, keep))
        return Document(self.meta, kept, self.removed + tuple(new), self.source_type)

    def with_meta(self, **changes: Any) -> Document:
        """Return a copy whose metadata has ``changes`` applied."""
        return replace(self, meta=replace(self.meta, **changes))

    def with_blocks(self, blocks: tuple[Block, ...]) -> Document:
        """Return a copy with ``blocks`` (used by filters that rewrite, not remove)."""
        return Document(self.meta, blocks, self.removed, self.source_type)

    def record(self, *removals: Removal) -> Document:
        """Return a copy with extra audit entries (for text cut inside a block)."""
        return Document(self.meta, self.blocks, self.removed + removals, self.source_type)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return by_fields(self)


_tuple_new = tuple.__new__


def by_fields(obj: Any) -> tuple[Any, tuple[Any, ...]]:
    """``__reduce__`` of a frozen dataclass: rebuilt by its constructor from its fields.

    Pickle and ``copy`` would otherwise set the fields one by one, which a frozen class
    compiled by mypyc refuses (``FrozenInstanceError``); this way both builds behave alike."""
    return type(obj), tuple(getattr(obj, f.name) for f in fields(obj))


def _removal(b: Block, filter_name: str, reason: str) -> Removal:
    """The audit entry of a dropped block: filter, reason, its input text (``Block.raw``),
    kind, zone and position."""
    return _tuple_new(Removal, (filter_name, reason, b.source or b.md, b.kind, b.zone, b.pos))


def holds_content(blocks: Iterable[Block]) -> bool:
    """Whether any of ``blocks`` shows something: text or an image."""
    return any(b.text or b.kind == "image" for b in blocks)


def make_block(
    kind: BlockKind,
    text: str,
    md: str,
    zone: Zone = "body",
    url: str = "",
    alt: str = "",
    level: int = 0,
    links: tuple[Link, ...] = (),
    source: str = "",
    pos: int = -1,
) -> Block:
    """``Block(...)``, built without the named tuple's Python-level ``__new__`` (the adapters
    make one per line of a dump and per paragraph of a page)."""
    return _tuple_new(Block, (kind, text, md, zone, url, alt, level, links, source, pos, 0.0))


def paragraph_block(
    text: str, md: str, zone: Zone, links: tuple[Link, ...] = (), source: str = "", pos: int = -1
) -> Block:
    """A paragraph :func:`make_block`."""
    return make_block("paragraph", text, md, zone, "", "", 0, links, source, pos)


_BLANKS = re.compile(r"\n{3,}")


@dataclass(frozen=True, slots=True)
class Article:
    """The cleaned article: text, markdown, metadata, media and the audit trail.

    ``text`` holds the body only (no title), paragraphs separated by one blank line;
    ``markdown`` the same body as markdown. ``to_dict()`` is JSON-safe.
    """

    text: str
    markdown: str
    title: str | None
    account: str | None
    author: str | None
    published: datetime | None
    original: bool | None
    source_account: str | None
    kind: Kind
    status: Status
    truncated: bool
    url: str | None
    cover: str | None
    images: tuple[Image, ...]
    links: tuple[Link, ...]
    removed: tuple[Removal, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict with the field names as keys; ``published`` in ISO 8601 with offset."""
        out: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name == "published":
                out[f.name] = v.isoformat() if v is not None else None
            elif f.name == "images":
                out[f.name] = [{"url": i.url, "alt": i.alt, "caption": i.caption} for i in v]
            elif f.name == "links":
                out[f.name] = [{"url": link.url, "text": link.text} for link in v]
            elif f.name == "removed":
                out[f.name] = [r.to_dict() for r in v]
            else:
                out[f.name] = v
        return out

    def explain(self) -> dict[str, int]:
        """Count of removed blocks per filter name, in first-seen order."""
        counts: dict[str, int] = {}
        for r in self.removed:
            counts[r.filter] = counts.get(r.filter, 0) + 1
        return counts

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return by_fields(self)
