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
