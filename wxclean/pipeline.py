"""Filters and the Pipeline that runs them; the whole default pipeline is listed here.

A :class:`Filter` is a named, pure function ``Document -> Document`` with one sentence saying
what it removes. A :class:`Pipeline` is an immutable ordered tuple of filters with unique
names. ``default_pipeline(level)`` is the list below, cut at the level asked for:

* ``minimal``: platform chrome and placeholders only (page head and tail, notices, UI lines,
  empty and QR image placeholders, punctuation runs);
* ``standard`` (default): also the author's editorial boilerplate (calls to action, END
  markers, related-article lists, subscription / 投稿 / 交流群 notices, follow banners).

Filters that judge a block by its neighbours are marked ``settles``: after the list,
:meth:`Pipeline.run` runs them again where later filters removed some of those neighbours.

The filter functions live in :mod:`wxclean.filters`; the phrases and patterns they match
live in :mod:`wxclean.rules`.

A user filter is a :class:`Filter` (or a function wrapped by :func:`block_filter`) added with
``Pipeline.add``::

    @wxclean.block_filter("no_ads", reason="sponsored line")
    def no_ads(block, doc):
        return "广告" in block.text

    art = wxclean.clean(page, pipeline=wxclean.default_pipeline().add(no_ads))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from wxclean import filters as f
from wxclean.model import Block, Document, by_fields

Level = Literal["minimal", "standard"]
LEVELS: tuple[Level, ...] = ("minimal", "standard")


@dataclass(frozen=True, slots=True)
class Filter:
    """A named step: ``func(doc) -> doc``; ``reason`` says what it removes and why.

    ``settles``: the filter judges a block by its neighbours (a split call's pieces, an image
    at the body's edge, the lines at its end), which filters after it may remove; the
    pipeline runs it again once they have (see :meth:`Pipeline.run`).
    """

    name: str
    func: Callable[[Document], Document]
    reason: str
    level: Level = "minimal"
    settles: bool = False

    def __call__(self, doc: Document) -> Document:
        return self.func(doc)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return by_fields(self)


@dataclass(frozen=True, slots=True)
class _BlockPredicate:
    """Adapts ``pred(block, doc) -> bool | str | None`` to a whole-document filter.

    A true value drops the block; a string is used as the recorded reason.
    """

    pred: Callable[[Block, Document], bool | str | None]
    name: str
    reason: str
    zones: tuple[str, ...]

    def __call__(self, doc: Document) -> Document:
        drops: dict[int, str] = {}
        for i, b in enumerate(doc.blocks):
            if b.zone in self.zones:
                verdict = self.pred(b, doc)
                if verdict:
                    drops[i] = verdict if isinstance(verdict, str) else self.reason
        return doc.drop(drops, self.name, drops)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return by_fields(self)


def block_filter(
    name: str, reason: str, *, level: Level = "standard", zones: tuple[str, ...] = ("body",)
) -> Callable[[Callable[[Block, Document], bool | str | None]], Filter]:
    """Decorator: turn ``pred(block, doc)`` into a :class:`Filter` that drops the blocks it flags.

    The predicate returns a true value (or a reason string) to drop a block; it only sees
    blocks of the given ``zones`` (the article body by default).
    """

    def wrap(pred: Callable[[Block, Document], bool | str | None]) -> Filter:
        return Filter(name, _BlockPredicate(pred, name, reason, zones), reason, level)

    return wrap


@dataclass(frozen=True, slots=True)
class Pipeline:
    """An immutable, ordered list of filters with unique names."""

    filters: tuple[Filter, ...]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for flt in self.filters:
            if not isinstance(flt, Filter):
                raise TypeError(f"a Pipeline holds Filter objects, got {type(flt).__name__}")
            if flt.name in seen:
                raise ValueError(f"duplicate filter name {flt.name!r}")
            seen.add(flt.name)

    @property
    def names(self) -> tuple[str, ...]:
        """The filter names, in the order they run."""
        return tuple(flt.name for flt in self.filters)

    def __iter__(self) -> Iterator[Filter]:
        return iter(self.filters)

    def __len__(self) -> int:
        return len(self.filters)

    def without(self, *names: str) -> Pipeline:
        """A copy without the named filters; an unknown name raises ``KeyError``."""
        unknown = set(names) - set(self.names)
        if unknown:
            raise KeyError(f"no filter named {', '.join(sorted(unknown))}; have {', '.join(self.names)}")
        return Pipeline(tuple(flt for flt in self.filters if flt.name not in names))

    def add(self, flt: Filter, *, before: str | None = None, after: str | None = None) -> Pipeline:
        """A copy with ``flt`` inserted before or after a named filter (default: at the end)."""
        items = list(self.filters)
        if before is not None and after is not None:
            raise ValueError("give before or after, not both")
        anchor = before if before is not None else after
        if anchor is None:
            items.append(flt)
        else:
            if anchor not in self.names:
                raise KeyError(f"no filter named {anchor!r}")
            pos = self.names.index(anchor) + (0 if before is not None else 1)
            items.insert(pos, flt)
        return Pipeline(tuple(items))

    def run(self, doc: Document) -> Document:
        """Apply every filter in order, then settle: a filter that judges blocks by their
        neighbours (``settles``) runs again, in order, when filters after it removed
        something since it last ran; at most :data:`SETTLE_ROUNDS` more times. Cleaning the
        output again then finds the same neighbours, and removes nothing more."""
        for _, done in self.explain(doc):
            doc = done
        return doc

    def explain(self, doc: Document) -> Iterable[tuple[str, Document]]:
        """Apply the filters one by one (the settling runs of :meth:`run` included),
        yielding ``(name, document after it)``."""
        ran: dict[str, int] = {}  # settling filter -> removals there were when it last ran
        for flt in self.filters:
            doc = flt(doc)
            if flt.settles:
                ran[flt.name] = len(doc.removed)
            yield flt.name, doc
        settling = [flt for flt in self.filters if flt.settles]
        for _ in range(SETTLE_ROUNDS):
            if all(ran[flt.name] == len(doc.removed) for flt in settling):
                return
            for flt in settling:
                if ran[flt.name] < len(doc.removed):  # something went since it looked
                    doc = flt(doc)
                    ran[flt.name] = len(doc.removed)
                    yield flt.name, doc

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return by_fields(self)


#: how many more times at most the settling filters run after the pipeline (on the 600
#: corpus dumps: not at all for 275, one round of one to five filters for 323, two rounds for 2)
SETTLE_ROUNDS = 3

# The default pipeline, in order. Each line: name, function, what it removes.
_DEFAULT: tuple[Filter, ...] = (
    Filter("converter_lines", f.converter_lines, "front matter and converter header lines; their data is metadata"),
    Filter("page_head", f.page_head, "page head: title echo, cover, 原创 mark, byline, account name, repost card"),
    Filter("page_tail", f.page_tail, "WeChat's tail block: toolbars, dialogs, QR prompts, a11y labels"),
    Filter("notice_page", f.notice_page, "a WeChat notice (deleted, violation, verify ...) is no article text"),
    Filter("ui_lines", f.ui_lines, "WeChat interface lines that can never be article text"),
    Filter("image_placeholders", f.image_placeholders, "empty, QR-code, avatar and UI-icon images"),
    Filter("decorative_images", f.decorative_images, "dividers repeated inside the article and SVG ornaments"),
    Filter("split_cta", f.split_cta, "a call to 点赞/在看 split into lone lines", "standard", settles=True),
    Filter("call_to_action", f.call_to_action, "calls to follow, share, like, 在看 or scan a QR code", "standard"),
    Filter("end_marker", f.end_marker, "END / THE END markers closing the article", "standard"),
    Filter("related_articles", f.related_articles, "往期推荐/推荐阅读 lists, article cards", "standard", settles=True),
    Filter("promo_notices", f.promo_notices, "投稿, 转载, 交流群, 知识星球 and subscription notices", "standard"),
    Filter("promo_section", f.promo_section, "closing self-promotion (加入社区, 关于我们)", "standard", settles=True),
    Filter("disclaimer", f.disclaimer, "the account's standing disclaimer (免责声明)", "standard"),
    Filter("follow_images", f.follow_images, "banner and QR images of follow blocks", "standard", settles=True),
    # last, once every other removal is made: what those removals left side by side or at
    # the end (lone punctuation lines, the bar words) reads the same when cleaned again
    Filter("empty_blocks", f.empty_blocks, "blocks left with no visible text"),
    Filter("trailing_bar", f.trailing_bar, "WeChat bar words and punctuation left at the body's end", settles=True),
    Filter("punctuation_runs", f.punctuation_runs, "runs of lines holding a lone punctuation mark", settles=True),
    Filter("title_heading", f.title_heading, "a first-level heading opening an untitled body is its title"),
    Filter("copied_head", f.copied_head, "a page head (原创, byline, date) copied into the top of the body"),
)


# one Pipeline per level, built once: a Pipeline is immutable, so every call may share it
_BY_LEVEL: dict[str, Pipeline] = {
    level: Pipeline(tuple(flt for flt in _DEFAULT if flt.level in LEVELS[: k + 1])) for k, level in enumerate(LEVELS)
}


def default_pipeline(level: str = "standard") -> Pipeline:
    """The default pipeline for ``level`` (``"minimal"`` or ``"standard"``)."""
    try:
        return _BY_LEVEL[level]
    except (KeyError, TypeError):
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}") from None


def resolve_pipeline(level: str, pipeline: Pipeline | None) -> Pipeline:
    """The pipeline a call asked for: ``pipeline`` itself, or the default one for ``level``.

    Raises ``ValueError`` for an unknown level and ``TypeError`` for a non-Pipeline.
    """
    if pipeline is None:
        return default_pipeline(level)
    if not isinstance(pipeline, Pipeline):
        raise TypeError(f"pipeline must be a wxclean.Pipeline, not {type(pipeline).__name__}")
    return pipeline
