"""How much faster ``clean_many(jobs=2)`` is than ``jobs=1`` on the whole corpus.

    python bench/jobs_speed.py [--runs 5] [--jobs 2] [--corpus PATH]

Reads every dump (``md/*.md``) and page (``html/*.html``) of the corpus as bytes once, then
times ``clean_many`` over all of them with ``jobs=1`` and ``jobs=N``, alternating, ``--runs``
times each (pool start-up included: it is part of what a user waits for). Prints each pair,
then the speed-up (median ``t1 / tN`` over the pairs, and min/max) and checks that both give
the same Articles. The target for N=2 on 2 cores is 1.7x; on a shared or busy machine the pairs
vary, which is why they alternate and the median is reported.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

import wxclean
from wxclean.batch import clean_many

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


def load(corpus: Path) -> list[bytes]:
    """Every md dump and html page of the corpus, as bytes, in a fixed order."""
    files = sorted((corpus / "md").glob("*.md")) + sorted((corpus / "html").glob("*.html"))
    return [p.read_bytes() for p in files]


def timed(sources: list[bytes], jobs: int) -> tuple[float, list[str]]:
    """Seconds to clean all sources with ``jobs`` processes, and a fingerprint of the results."""
    start = time.perf_counter()
    statuses = [f"{a.status}:{len(a.text)}:{len(a.removed)}" for a in clean_many(sources, jobs=jobs)]
    return time.perf_counter() - start, statuses


def _clean_all(sources: list[bytes]) -> None:
    for src in sources:
        wxclean.clean(src)


def ceiling(sources: list[bytes], jobs: int) -> float:
    """Seconds for ``jobs`` forked processes to clean interleaved shares of the inputs they inherit.

    No pool, no pickling, no pipes: what this machine allows at best, to read the pool's
    speed-up against (a 2-vCPU VM whose vCPUs share a core gets well under 2x here).
    """
    ctx = multiprocessing.get_context("fork")
    start = time.perf_counter()
    procs = [ctx.Process(target=_clean_all, args=(sources[i::jobs],)) for i in range(jobs)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()

    sources = load(args.corpus)
    if not sources:
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    size = sum(map(len, sources)) / 1e6
    print(f"{len(sources)} inputs, {size:.1f} MB, {os.cpu_count()} CPUs, jobs=1 vs jobs={args.jobs}")
    timed(sources[:50], 1)  # warm up imports and caches of this process

    ratios: list[float] = []
    ceilings: list[float] = []
    for run in range(1, args.runs + 1):
        t1, r1 = timed(sources, 1)
        tn, rn = timed(sources, args.jobs)
        tc = ceiling(sources, args.jobs)
        if r1 != rn:
            print("jobs=1 and jobs=N disagree", file=sys.stderr)
            return 1
        ratios.append(t1 / tn)
        ceilings.append(t1 / tc)
        print(
            f"run {run}: jobs=1 {t1:.2f}s  jobs={args.jobs} {tn:.2f}s  speed-up {t1 / tn:.2f}x  "
            f"(bare fork, no pool: {tc:.2f}s, {t1 / tc:.2f}x)"
        )
    print(
        f"speed-up jobs={args.jobs} vs jobs=1: median {statistics.median(ratios):.2f}x "
        f"(min {min(ratios):.2f}x, max {max(ratios):.2f}x, {args.runs} runs)"
    )
    print(
        f"machine ceiling (bare fork, no pool): median {statistics.median(ceilings):.2f}x; "
        f"the pool reaches {statistics.median(ratios) / statistics.median(ceilings):.0%} of it"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
