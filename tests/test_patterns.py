"""Every regular expression of wxclean stays linear on hostile text (no catastrophic
backtracking): long runs of the characters markup is made of, scanned with search, match and
finditer. Each pattern runs in a forked child with a hard timeout, so a regression fails the
test instead of hanging the suite."""

from __future__ import annotations

import importlib
import multiprocessing as mp
import re
import time

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.conftest import CORPUS

MD = CORPUS / "md"
needs_corpus = pytest.mark.skipif(not MD.exists(), reason="evaluation corpus not present")

MODULES = (
    "wxclean.rules",
    "wxclean.selectors",
    "wxclean.render",
    "wxclean.filters",
    "wxclean.sources",
    "wxclean.sources.decode",
    "wxclean.sources.dump",
    "wxclean.sources.inline",
    "wxclean.sources.html",
    "wxclean.sources.html_scan",
    "wxclean.sources.html_blocks",
)
SIZE = 20000
PIECES = (
    "*", "[", "![", "[a](", " ", "<a ", "`", "_", "|", "#", "-", "：", "，", "\\", "**", "](", "!", "a ", "1",
    ":", "2024-01-01 ", "<", "&#", "var ", "'", '"', "\\x", "=", "<!--", "a=", "data-", " a", "\n", "以下文章来源于",
    "__a ", "a__", "ct=",
)  # fmt: skip
BUDGET_S = 2.0  # per pattern, all attacks together; a linear pattern takes milliseconds


def _attacks() -> list[str]:
    out = []
    for p in PIECES:
        run = p * (SIZE // len(p))
        out += [run, "x" + run + "y"]
    out += ["a" + " " * SIZE + "b", "原创 " + "a " * (SIZE // 2), "> **原文链接**: " + " " * SIZE + "x"]
    return out


def _patterns() -> list[tuple[str, str]]:
    found = []
    for name in MODULES:
        mod = importlib.import_module(name)
        for attr, value in vars(mod).items():
            items = value if isinstance(value, tuple) else (value,)
            if items and all(isinstance(v, re.Pattern) for v in items):
                found.append((name, attr))
    return found


def _time_pattern(module: str, attr: str, out: mp.Queue) -> None:  # type: ignore[type-arg]
    value = getattr(importlib.import_module(module), attr)
    started = time.perf_counter()
    for pattern in value if isinstance(value, tuple) else (value,):
        for attack in _attacks():
            text: str | bytes = attack.encode("utf-8") if isinstance(pattern.pattern, bytes) else attack
            pattern.search(text)
            pattern.match(text)
            for _ in pattern.finditer(text):
                pass
    out.put(time.perf_counter() - started)


PATTERNS = _patterns()


def test_the_scan_finds_the_patterns() -> None:
    assert len(PATTERNS) > 40  # the rules module alone holds dozens


@pytest.mark.parametrize(("module", "attr"), PATTERNS, ids=[f"{m}.{a}" for m, a in PATTERNS])
def test_pattern_is_linear_on_hostile_text(module: str, attr: str) -> None:
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_time_pattern, args=(module, attr, queue))
    child.start()
    child.join(10)
    if child.is_alive():
        child.kill()
        pytest.fail(f"{module}.{attr} ran over 10 s on {SIZE}-character hostile text")
    assert child.exitcode == 0
    assert queue.get(timeout=5) < BUDGET_S


# --- look-ahead lists of rules._led patterns --------------------------------------------

try:  # the regex parser (a private module: used by this test only, never by the package)
    from re import _constants as sre_c  # type: ignore[attr-defined]
    from re import _parser as sre_p  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_constants as sre_c  # type: ignore[no-redef]
    import sre_parse as sre_p  # type: ignore[no-redef]


def _first(items: list[tuple[object, object]]) -> tuple[set[str], bool]:
    """The characters a parsed sequence can open with, and whether it can match empty."""
    out: set[str] = set()
    for op, av in items:
        if op == sre_c.LITERAL:
            return out | {chr(av)}, False  # type: ignore[arg-type]
        if op == sre_c.IN:
            chars = set()
            for kind, val in av:  # type: ignore[attr-defined]
                assert kind == sre_c.LITERAL, f"class item {kind} not handled"
                chars.add(chr(val))
            return out | chars, False
        if op == sre_c.SUBPATTERN:
            sub, empty = _first(list(av[-1]))  # type: ignore[index]
        elif op == sre_c.BRANCH:
            sub, empty = set(), False
            for alt in av[1]:  # type: ignore[index]
                s, e = _first(list(alt))
                sub |= s
                empty = empty or e
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT):
            lo, _, body = av  # type: ignore[misc]
            sub, empty = _first(list(body))
            empty = empty or lo == 0
        elif op == sre_c.AT:
            continue
        else:
            raise AssertionError(f"opening {op} not handled: list the pattern's first characters by hand")
        out |= sub
        if not empty:
            return out, False
    return out, True


@pytest.mark.parametrize("name", ["CTA", "PROMO_ANYWHERE"])
def test_led_pattern_lists_every_opening_character(name: str) -> None:
    """A look-ahead that missed an opening character would silently stop the rule matching."""
    from wxclean import rules

    pattern = getattr(rules, name).pattern
    m = re.fullmatch(r"\(\?=\[([^\]]+)\]\)\(\?:(.*)\)", pattern, re.S)
    assert m, f"{name} is not built by rules._led"
    listed, inner = set(m.group(1)), m.group(2)
    opening, empty = _first(list(sre_p.parse(inner)))
    assert not empty, f"{name} can match the empty string"
    assert opening <= listed, f"{name}'s look-ahead misses {''.join(sorted(opening - listed))}"


def _holds_one_of(items: list[tuple[object, object]], chars: set[str]) -> bool:
    """Does every match of a parsed sequence hold one of ``chars``?"""
    for op, av in items:
        if op == sre_c.LITERAL and chr(av) in chars:  # type: ignore[arg-type]
            return True
        if op == sre_c.IN and all(k == sre_c.LITERAL and chr(v) in chars for k, v in av):  # type: ignore[attr-defined]
            return True
        if op == sre_c.SUBPATTERN and _holds_one_of(list(av[-1]), chars):  # type: ignore[index]
            return True
        if op == sre_c.BRANCH and all(_holds_one_of(list(alt), chars) for alt in av[1]):  # type: ignore[index]
            return True
        if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) and av[0] >= 1 and _holds_one_of(list(av[2]), chars):  # type: ignore[index]
            return True
    return False


@pytest.mark.parametrize(
    ("trigger", "names"),
    [("CTA_TRIGGER", ["CTA"]), ("PROMO_TRIGGER", ["PROMO", "PROMO_ANYWHERE", "PROMO_JOIN"])],
)
def test_trigger_holds_a_character_of_every_alternative(trigger: str, names: list[str]) -> None:
    """The filters run a phrase pattern only on lines where its trigger class matches: an
    alternative with none of the trigger's characters would never fire."""
    from wxclean import rules

    chars = set(re.fullmatch(r"\[([^\]]+)\]", getattr(rules, trigger).pattern).group(1))  # type: ignore[union-attr]
    for name in names:
        parsed = list(sre_p.parse(getattr(rules, name).pattern))
        items = parsed[1:] if parsed[0][0] == sre_c.ASSERT else parsed  # a _led pattern: past its look-ahead
        branch = len(items) == 1 and items[0][0] == sre_c.BRANCH
        alternatives = [list(alt) for alt in items[0][1][1]] if branch else [items]  # type: ignore[index]
        for alt in alternatives:
            assert _holds_one_of(alt, chars), f"{name}: an alternative holds none of {trigger}'s characters: {alt!r}"


@given(st.text(alphabet=" \t#>-*+_`~|.)0123456789a：", max_size=12))
@example("- - -")
@example("1) x")
@example("####### x")
def test_opens_block_pattern_agrees_with_the_block_patterns(line: str) -> None:
    """The one pattern behind ``opens_block`` says what the six block patterns say."""
    from wxclean.sources import dump

    six = (dump._HEADING, dump._LIST, dump._QUOTE, dump._FENCE, dump._TABLE_ROW, dump._HR)
    assert (dump._OPENS_BLOCK.match(line) is not None) == any(p.match(line) for p in six)


@needs_corpus
def test_opens_block_pattern_agrees_on_every_corpus_line() -> None:
    from wxclean.sources import dump

    six = (dump._HEADING, dump._LIST, dump._QUOTE, dump._FENCE, dump._TABLE_ROW, dump._HR)
    for path in sorted(MD.glob("*.md")):
        for line in path.read_text("utf-8", "replace").split("\n"):
            for s in (line, line.strip()):
                assert (dump._OPENS_BLOCK.match(s) is not None) == any(p.match(s) for p in six), (path.name, s)
