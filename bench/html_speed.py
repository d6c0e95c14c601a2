#!/usr/bin/env python3
"""Time ``wxclean.clean()`` against a bare ``lxml.html.fromstring`` on the same full pages.

    python bench/html_speed.py [CORPUS_HTML_DIR] [--repeat N] [--min-bytes B]

Every ``*.html`` page of the directory above ``--min-bytes`` (default 1 MB) is timed both
ways, interleaved in one run, as bytes (what a crawler hands over). Per page the median of
``--repeat`` runs is kept; the report gives the median over pages, min/max, and the ratio
``clean / fromstring`` (ratios, not absolute timings, are what compare across machines).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import peers  # beside this file
from lxml import html as lxml_html

import wxclean
from wxclean import render
from wxclean.pipeline import default_pipeline
from wxclean.sources import html as html_source

DEFAULT_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "html"


def _median_time(func: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        func()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--min-bytes", type=int, default=1_000_000)
    a = ap.parse_args(argv)
    pages = [p for p in sorted(a.corpus.glob("*.html")) if p.stat().st_size > a.min_bytes]
    if not pages:
        print(f"no pages over {a.min_bytes} bytes in {a.corpus}", file=sys.stderr)
        return 1
    clean_t: list[float] = []
    lxml_t: list[float] = []
    adapter_t: list[float] = []
    filters_t: list[float] = []  # the shared filters and rendering alone, on the adapter's Document
    render_t: list[float] = []
    pipeline = default_pipeline()
    gc.disable()
    try:
        for p in pages:
            data = p.read_bytes()

            def run_clean(data: bytes = data) -> object:
                return wxclean.clean(data)

            def run_lxml(data: bytes = data) -> object:
                return lxml_html.fromstring(data)

            def run_adapter(data: bytes = data) -> object:  # what clean() does with HTML bytes
                return render.article(pipeline.run(html_source.parse_bytes(data)))

            for f in (run_clean, run_lxml, run_adapter):
                f()  # warm-up (imports, regex compilation)
            cs, ls, ads = [], [], []
            for _ in range(a.repeat):  # interleaved, so that machine noise hits all alike
                cs.append(_median_time(run_clean, 1))
                ls.append(_median_time(run_lxml, 1))
                ads.append(_median_time(run_adapter, 1))
                gc.collect()
            doc = html_source.parse_bytes(data)
            kept = pipeline.run(doc)
            filters_t.append(_median_time(partial(pipeline.run, doc), a.repeat))
            render_t.append(_median_time(partial(render.article, kept), a.repeat))
            c, x, d = statistics.median(cs), statistics.median(ls), statistics.median(ads)
            clean_t.append(c)
            lxml_t.append(x)
            adapter_t.append(d)
            print(
                f"{p.name[:36]:36s} {len(data) / 1e6:5.2f} MB  clean {c * 1e3:7.2f} ms  "
                f"bytes-adapter {d * 1e3:7.2f} ms  lxml {x * 1e3:7.2f} ms  ratio {c / x:5.2f} / {d / x:5.2f}"
            )
    finally:
        gc.enable()
    print(
        f"\npages: {len(pages)} (> {a.min_bytes} bytes), {a.repeat} interleaved runs each, per-page median,"
        f" wxclean {peers.build()}"
    )
    named = (
        ("clean(bytes)", clean_t),
        ("bytes adapter", adapter_t),
        ("lxml.fromstring", lxml_t),
        ("  of which filters", filters_t),
        ("  of which render", render_t),
    )
    for name, ts in named:
        med, lo, hi = statistics.median(ts) * 1e3, min(ts) * 1e3, max(ts) * 1e3
        print(f"{name:16s} median {med:7.2f} ms  min {lo:7.2f}  max {hi:7.2f}")
    ml = statistics.median(lxml_t)
    for name, ts in (("clean(bytes)", clean_t), ("bytes adapter", adapter_t)):
        ratios = [c / x for c, x in zip(ts, lxml_t, strict=True)]
        print(
            f"ratio {name} / lxml: medians {statistics.median(ts) / ml:.2f}  "
            f"(per page median {statistics.median(ratios):.2f}, min {min(ratios):.2f}, max {max(ratios):.2f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
