#!/usr/bin/env python3
"""Time ``wxclean.clean()`` on every corpus dump against a bare line scan of the same bytes.

    python bench/dump_speed.py [CORPUS_MD_DIR] [--repeat N]

The line scan is the least any dump cleaner does: decode the bytes, split lines, drop the
lines found in a set of known chrome lines, join the rest. A third contender, ``line
blocks``, is the least a cleaner that reads a dump into blocks does, built from wxclean's own
parts: decode (:func:`wxclean.sources.decode.decode`), normalise the lines, make one
paragraph block per non-blank line with its plain text and links, join the texts; no zones,
no block kinds, no filters, no markdown. It shows how much of ``clean()``'s time any reader
of this design spends before it decides anything. All run interleaved in one process over
all dumps, ``--repeat`` times; the report gives the total time per round (median, min, max)
and the ratios to the line scan of the medians. Ratios, not absolute timings, compare across
machines.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

import peers  # beside this file

import wxclean
from wxclean import rules
from wxclean.model import paragraph_block
from wxclean.sources import inline
from wxclean.sources.decode import decode

DEFAULT_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "md"
CHROME = rules.TAIL_LINES | rules.UI_LINES | rules.HEAD_LINES


def line_scan(data: bytes) -> str:
    """The baseline: decode, split, set lookup, join."""
    lines = data.decode("utf-8", errors="replace").split("\n")
    return "\n".join(line for line in lines if line.strip() not in CHROME)


def line_blocks(data: bytes) -> str:
    """The least a block-model reader does: decode, normalise, a block per line, join."""
    lines = map(str.strip, inline.normalise_lines(decode(data)[0]))
    blocks = [paragraph_block(inline.plain(s), s, "body", inline.links(s), s, i) for i, s in enumerate(lines) if s]
    return "\n\n".join(b.text for b in blocks)


def clean(data: bytes) -> str:
    return wxclean.clean(data).text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args(argv)
    files = sorted(a.folder.glob("*.md"))
    if not files:
        print(f"no dumps in {a.folder}", file=sys.stderr)
        return 2
    inputs = [p.read_bytes() for p in files]
    total_mb = sum(map(len, inputs)) / 1e6
    for data in inputs[:20]:  # warm-up: imports, regex caches
        clean(data)
    contenders = {"clean": clean, "line blocks": line_blocks, "line scan": line_scan}
    rounds: dict[str, list[float]] = {name: [] for name in contenders}
    gc.disable()
    try:
        for _ in range(a.repeat):
            for name, func in contenders.items():
                t = time.perf_counter()
                for data in inputs:
                    func(data)
                rounds[name].append(time.perf_counter() - t)
    finally:
        gc.enable()
    print(f"{len(files)} dumps, {total_mb:.1f} MB, {a.repeat} interleaved rounds, wxclean {peers.build()}")
    for name, times in rounds.items():
        med = statistics.median(times)
        print(
            f"{name:11s} median {med * 1000:8.1f} ms/round  min {min(times) * 1000:8.1f}  max {max(times) * 1000:8.1f}"
            f"  ({med / len(files) * 1e6:7.1f} µs/dump)"
        )
    scan = statistics.median(rounds["line scan"])
    for name in ("clean", "line blocks"):
        print(f"ratio {name} / line scan (medians): {statistics.median(rounds[name]) / scan:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
