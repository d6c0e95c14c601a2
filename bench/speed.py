#!/usr/bin/env python3
"""Speed and memory of wxclean, as ratios measured side by side in one run on the same inputs.

    python bench/speed.py [--corpus DIR] [--repeat N] [--rounds N] [--runs N] [--stream-times N]

Four measurements, each printed with medians and min/max over repeated, interleaved runs
(ratios, not absolute timings, are what compare across machines; on a shared machine the
interleaving spreads other jobs' load over every contender alike). wxclean's memo caches
(``lru_cache``) are emptied before each timed wxclean call or round, so repeats of the same
input are not served from them:

1. **HTML pages** (every corpus page over ``--min-bytes``, default 1 MB): per page, wxclean,
   a bare ``lxml.html.fromstring`` of the page and each installed peer (``bench/peers.py``:
   trafilatura default and ``favor_recall``, readability-lxml as installed and un-hidden,
   html-text, resiliparse) run ``--repeat`` times in rotating order, all from bytes; the
   per-page median is kept. Reported: ms/page (median over pages, min, max) and the ratio
   ``tool / wxclean`` (median of the per-page ratios, min, max). A peer call that raises or
   runs over ``--timeout`` seconds (``signal.setitimer``) is counted as an error and left out.
2. **Dumps** (every ``md/*.md``): ``wxclean.clean`` against the bare line scan of
   ``bench/dump_speed.py`` (decode, split lines, set lookup, join), ``--rounds`` interleaved
   rounds over all dumps; time per round and the ratio of the medians.
3. **Throughput**: ``clean_many`` over the whole corpus (dumps and pages, as bytes) with
   ``jobs=os.cpu_count()`` and ``jobs=1``, alternating, ``--runs`` times each (pool start-up
   included); speed-up ``t1 / tN`` (median, min, max) and inputs per second. Once over the
   corpus, and once over it repeated ``--jobs-times`` times (pool start-up amortised).
4. **Peak memory**, each in a fresh subprocess (peak RSS: ``VmHWM`` of /proc/self/status, since
   ``ru_maxrss`` keeps the forking parent's peak across exec on Linux; ``ru_maxrss`` of
   RUSAGE_CHILDREN for pool workers; and a ``tracemalloc`` peak of Python allocations): cleaning
   the corpus's largest page alone, against a streaming ``clean_many`` over the whole corpus
   repeated ``--stream-times`` times through a generator that reads each file when it is
   pulled, with ``jobs=1`` (all in one process) and ``jobs=os.cpu_count()`` (the parent's peak
   and the largest worker's peak). Ratio streaming / single page; the target is <= 2x.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dump_speed  # beside this file: the bare line scan
import peers

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _Timeout


def timed_call(func: Callable[[bytes], object], data: bytes, timeout: float) -> float:
    """Seconds ``func(data)`` took; raises :class:`_Timeout` past ``timeout`` (main thread only)."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        start = time.perf_counter()
        func(data)
        return time.perf_counter() - start
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def clear_wxclean_caches() -> None:
    """Empty wxclean's memo caches (``functools.lru_cache``), so that repeated runs are not served from them."""
    for name, mod in list(sys.modules.items()):
        if name == "wxclean" or name.startswith("wxclean."):
            for value in list(vars(mod).values()):
                clear = getattr(value, "cache_clear", None)
                if callable(clear):
                    clear()


def _lxml_parse(data: bytes) -> object:
    from lxml import html as lxml_html

    return lxml_html.fromstring(data)


def html_contenders() -> tuple[dict[str, Callable[[bytes], object]], dict[str, str]]:
    """Name -> callable for wxclean, bare lxml and every installed HTML peer; and the skipped peers."""
    funcs: dict[str, Callable[[bytes], object]] = {
        "wxclean": peers.run_wxclean,
        "lxml.html.fromstring": _lxml_parse,
    }
    skipped = {}
    for tool in peers.tools_for("html"):
        if tool.name == "wxclean":
            continue
        reason = tool.missing()
        if reason:
            skipped[tool.name] = reason
        else:
            funcs[tool.name] = tool.run
    return funcs, skipped


def _stats(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def bench_html(pages: list[Path], repeat: int, timeout: float, out: Callable[[str], None] = print) -> dict[str, Any]:
    """Per-page medians of every contender on ``pages``, and ratios to wxclean."""
    funcs, skipped = html_contenders()
    names = list(funcs)
    per_page: dict[str, list[float | None]] = {n: [] for n in names}
    errors: dict[str, int] = dict.fromkeys(names, 0)
    if pages:
        warm = pages[0].read_bytes()
        for name in names:  # imports and lazy caches, not timed
            with contextlib.suppress(Exception):  # a failure shows up again in the timed runs
                timed_call(funcs[name], warm, timeout)
    for i, page in enumerate(pages):
        data = page.read_bytes()
        times: dict[str, list[float]] = {n: [] for n in names}
        failed: set[str] = set()
        for r in range(repeat):
            k = (i + r) % len(names)
            for name in names[k:] + names[:k]:
                if name in failed:
                    continue
                if name == "wxclean":
                    clear_wxclean_caches()
                try:
                    times[name].append(timed_call(funcs[name], data, timeout))
                except Exception:  # a raise or a timeout (_Timeout) is an error on this page
                    failed.add(name)
                    errors[name] += 1
            gc.collect()
        for name in names:
            per_page[name].append(statistics.median(times[name]) if name not in failed and times[name] else None)
        out(f"  {page.name[:40]:40s} {len(data) / 1e6:4.1f} MB  wxclean {per_page['wxclean'][-1] or 0:.3f} s")
    rows = {}
    for name in names:
        own = [t for t in per_page[name] if t is not None]
        ratios = [t / w for t, w in zip(per_page[name], per_page["wxclean"], strict=True) if t is not None and w]
        rows[name] = {
            "ms": [x * 1000 for x in _stats(own)] if own else None,
            "ratio": list(_stats(ratios)) if ratios else None,
            "errors": errors[name],
            "pages": len(own),
        }
    return {"pages": len(pages), "repeat": repeat, "rows": rows, "skipped": skipped}


def print_html(res: dict[str, Any], min_mb: float, out: Callable[[str], None] = print) -> None:
    out(f"\nHTML pages > {min_mb:g} MB: {res['pages']} pages, {res['repeat']} interleaved runs each, per-page median")
    out("| tool | ms/page median (min–max) | tool / wxclean, median (min–max) | errors |")
    out("|---|---|---|---|")
    for name, row in res["rows"].items():
        ms = f"{row['ms'][0]:.1f} ({row['ms'][1]:.1f}–{row['ms'][2]:.1f})" if row["ms"] else "—"
        ratio = f"{row['ratio'][0]:.2f}x ({row['ratio'][1]:.2f}–{row['ratio'][2]:.2f})" if row["ratio"] else "—"
        out(f"| {name} | {ms} | {ratio} | {row['errors']} |")
    for name, why in res["skipped"].items():
        out(f"| {name} | skipped: {why} | | |")


def bench_dumps(files: list[Path], rounds: int) -> dict[str, Any]:
    """Time per round over all dumps: wxclean.clean vs the bare line scan, interleaved."""
    inputs = [p.read_bytes() for p in files]
    for data in inputs[:20]:
        dump_speed.clean(data)
    times: dict[str, list[float]] = {"wxclean": [], "line scan": []}
    funcs = {"wxclean": dump_speed.clean, "line scan": dump_speed.line_scan}
    for r in range(rounds):
        order = list(funcs) if r % 2 == 0 else list(reversed(funcs))
        for name in order:
            clear_wxclean_caches()
            start = time.perf_counter()
            for data in inputs:
                funcs[name](data)
            times[name].append(time.perf_counter() - start)
        gc.collect()
    ratios = [c / s for c, s in zip(times["wxclean"], times["line scan"], strict=True)]
    return {
        "dumps": len(files),
        "mb": sum(map(len, inputs)) / 1e6,
        "rounds": rounds,
        "times": {k: list(_stats(v)) for k, v in times.items()},
        "ratio_of_medians": statistics.median(times["wxclean"]) / statistics.median(times["line scan"]),
        "ratio": list(_stats(ratios)),
    }


def print_dumps(res: dict[str, Any], out: Callable[[str], None] = print) -> None:
    out(f"\nDumps: {res['dumps']} dumps, {res['mb']:.1f} MB, {res['rounds']} interleaved rounds")
    for name, (med, lo, hi) in res["times"].items():
        out(
            f"  {name:10s} median {med * 1000:8.1f} ms/round (min {lo * 1000:.1f}, max {hi * 1000:.1f})"
            f"  = {med / res['dumps'] * 1e6:.0f} µs/dump"
        )
    r = res["ratio"]
    out(f"  wxclean / line scan: {res['ratio_of_medians']:.1f}x (per round: median {r[0]:.1f}x, {r[1]:.1f}–{r[2]:.1f})")


def corpus_files(corpus: Path) -> list[Path]:
    """Every dump and page of the corpus, in a fixed order."""
    return sorted((corpus / "md").glob("*.md")) + sorted((corpus / "html").glob("*.html"))


def bench_jobs(files: list[Path], runs: int, jobs: int, times: int = 1) -> dict[str, Any]:
    """clean_many over all inputs (``times`` over) with jobs=1 and jobs=N, alternating; pool start-up included."""
    from wxclean.batch import clean_many

    sources = [p.read_bytes() for p in files] * times
    t: dict[int, list[float]] = {1: [], jobs: []}
    for r in range(runs):
        for j in (1, jobs) if r % 2 == 0 else (jobs, 1):
            clear_wxclean_caches()
            start = time.perf_counter()
            for _ in clean_many(sources, jobs=j, errors="return"):
                pass
            t[j].append(time.perf_counter() - start)
    speedups = [a / b for a, b in zip(t[1], t[jobs], strict=True)]
    return {"inputs": len(sources), "times": times, "jobs": jobs, "runs": runs,
            "t1": list(_stats(t[1])), "tn": list(_stats(t[jobs])), "speedup": list(_stats(speedups))}  # fmt: skip


def print_jobs(res: dict[str, Any], out: Callable[[str], None] = print) -> None:
    n, j = res["inputs"], res["jobs"]
    k = res.get("times", 1)
    what = "the whole corpus" + (f" x{k}" if k > 1 else "")
    out(f"\nThroughput: clean_many over {what} ({n} inputs), {res['runs']} alternating runs each")
    for label, (med, lo, hi) in ((" jobs=1", res["t1"]), (f" jobs={j}", res["tn"])):
        out(f"  {label:8s} median {med:6.2f} s (min {lo:.2f}, max {hi:.2f})  = {n / med:6.1f} inputs/s")
    s = res["speedup"]
    out(f"  speed-up jobs={j} / jobs=1: median {s[0]:.2f}x (min {s[1]:.2f}, max {s[2]:.2f})")


# --------------------------------------------------------------------------- memory, in fresh subprocesses


def _maxrss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size in MB: this process's ``VmHWM`` where /proc has it, else ``ru_maxrss``.

    ``ru_maxrss`` of RUSAGE_SELF keeps the high-water mark of the process that forked us across
    ``exec`` on Linux, so a child started from a big parent would report the parent's peak;
    ``VmHWM`` belongs to the current address space only.
    """
    if who == resource.RUSAGE_SELF:
        try:
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
    kb = resource.getrusage(who).ru_maxrss  # kilobytes on Linux (bytes on macOS)
    return kb / (1024 * 1024) if sys.platform == "darwin" else kb / 1024


def _stream(files: list[Path], times: int) -> Iterator[bytes]:
    for _ in range(times):
        for p in files:
            yield p.read_bytes()


def memory_child(mode: str, corpus: Path, times: int) -> dict[str, Any]:
    """Run in a fresh interpreter: the peak of one measurement, in MB.

    ``largest`` / ``stream1`` / ``streamN``: peak RSS of cleaning the largest page alone, of a
    streaming ``clean_many`` with ``jobs=1``, and with ``jobs=os.cpu_count()`` (then also the
    largest worker's ``ru_maxrss``). ``largest-py`` / ``stream1-py``: the same two with
    ``tracemalloc`` started after the imports (Python allocations only; lxml's C memory is not
    seen), a finer view of what the run itself holds.
    """
    import tracemalloc

    import wxclean
    from wxclean.batch import clean_many

    files = corpus_files(corpus)
    traced = mode.endswith("-py")
    out: dict[str, Any] = {"mode": mode}
    if mode.startswith("largest"):
        page = max(files, key=lambda p: p.stat().st_size)
        out.update(input=page.name, mb=page.stat().st_size / 1e6)
        out["base"] = _maxrss_mb()
        if traced:
            tracemalloc.start()
        wxclean.clean(page.read_bytes())
    else:
        jobs = 1 if mode.startswith("stream1") else (os.cpu_count() or 1)
        out.update(jobs=jobs, base=_maxrss_mb())
        if traced:
            tracemalloc.start()
        out["inputs"] = sum(1 for _ in clean_many(_stream(files, times), jobs=jobs, errors="return"))
        if jobs > 1:
            out["workers_peak"] = _maxrss_mb(resource.RUSAGE_CHILDREN)
    out["peak"] = tracemalloc.get_traced_memory()[1] / 2**20 if traced else _maxrss_mb()
    return out


MEMORY_MODES = ("largest", "stream1", "streamN", "largest-py", "stream1-py")


def bench_memory(corpus: Path, times: int, runs: int) -> dict[str, Any]:
    """Each memory mode ``runs`` times, interleaved, each in a fresh subprocess; medians of the peaks."""
    results: dict[str, list[dict[str, Any]]] = {m: [] for m in MEMORY_MODES}
    script = str(Path(__file__).resolve())
    for _ in range(runs):
        for mode in MEMORY_MODES:
            cmd = [sys.executable, script, "--corpus", str(corpus), "--memory-child", mode]
            cmd += ["--stream-times", str(times)]
            proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
            results[mode].append(json.loads(proc.stdout.strip().splitlines()[-1]))
    merged = {}
    for mode, rs in results.items():
        merged[mode] = dict(rs[0])
        for key in ("base", "peak", "workers_peak"):
            if key in rs[0]:
                merged[mode][key] = statistics.median(r[key] for r in rs)
    return merged


def print_memory(res: dict[str, Any], runs: int, out: Callable[[str], None] = print) -> None:
    one, s1, sn = res["largest"], res["stream1"], res["streamN"]
    out(f"\nPeak memory (fresh subprocess each, VmHWM; median of {runs} runs)")
    out(f"  largest page alone ({one['input']}, {one['mb']:.1f} MB): peak RSS {one['peak']:.1f} MB "
        f"(after imports {one['base']:.1f} MB)")  # fmt: skip
    out(f"  streaming clean_many, jobs=1, {s1['inputs']} inputs: peak RSS {s1['peak']:.1f} MB "
        f"(after imports {s1['base']:.1f} MB)")  # fmt: skip
    out(f"  streaming clean_many, jobs={sn['jobs']}, {sn['inputs']} inputs: parent peak RSS {sn['peak']:.1f} MB, "
        f"largest worker ru_maxrss {sn['workers_peak']:.1f} MB")  # fmt: skip
    out(f"  ratio streaming (jobs=1) / largest page alone: {s1['peak'] / one['peak']:.2f}x peak RSS (bar <= 2x)")
    out(f"  ratio largest worker (jobs={sn['jobs']}) / largest page alone: {sn['workers_peak'] / one['peak']:.2f}x")
    lp, sp = res.get("largest-py"), res.get("stream1-py")
    if lp and sp:
        out(
            f"  Python allocations (tracemalloc peak): largest page {lp['peak']:.1f} MB, "
            f"streaming jobs=1 {sp['peak']:.1f} MB, ratio {sp['peak'] / max(lp['peak'], 1e-9):.2f}x"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--repeat", type=int, default=3, help="runs per HTML page and contender (default 3)")
    ap.add_argument("--min-bytes", type=int, default=1_000_000, help="HTML pages above this size (default 1 MB)")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per peer call (default 30)")
    ap.add_argument("--rounds", type=int, default=5, help="rounds over all dumps (default 5)")
    ap.add_argument("--runs", type=int, default=3, help="clean_many runs per jobs setting (default 3)")
    ap.add_argument("--jobs-times", type=int, default=5, help="also time the corpus repeated N times (default 5)")
    ap.add_argument("--mem-runs", type=int, default=2, help="runs of each memory measurement (default 2)")
    ap.add_argument("--stream-times", type=int, default=5, help="times the corpus is streamed (default 5)")
    ap.add_argument("--only", default="html,dumps,jobs,memory", help="parts to run, comma-separated")
    ap.add_argument("--memory-child", default=None, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    corpus = a.corpus.resolve()
    if a.memory_child:
        print(json.dumps(memory_child(a.memory_child, corpus, a.stream_times)))
        return 0
    if not (corpus / "html").is_dir() or not (corpus / "md").is_dir():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 2
    parts = set(a.only.split(","))
    started = time.perf_counter()
    print(f"speed.py, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {peers.versions()}")
    if "html" in parts:
        pages = [p for p in sorted((corpus / "html").glob("*.html")) if p.stat().st_size > a.min_bytes]
        res = bench_html(pages, a.repeat, a.timeout, lambda m: print(m, file=sys.stderr))
        print_html(res, a.min_bytes / 1e6)
    if "dumps" in parts:
        print_dumps(bench_dumps(sorted((corpus / "md").glob("*.md")), a.rounds))
    if "jobs" in parts:
        for times in sorted({1, a.jobs_times}):
            print_jobs(bench_jobs(corpus_files(corpus), a.runs, os.cpu_count() or 1, times))
    if "memory" in parts:
        print_memory(bench_memory(corpus, a.stream_times, a.mem_runs), a.mem_runs)
    print(f"\n(total {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
