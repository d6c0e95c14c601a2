#!/usr/bin/env python3
"""Quality of wxclean against its peers on the evaluation corpus, scored by the corpus's own score.py.

    python bench/quality.py [--corpus DIR] [--out DIR] [--plot PNG] [--kinds html,md] [--timeout S] [--repeat N]

What it measures: every input of the corpus that has a gold file (``html/*.html`` pages and
``md/*.md`` dumps) is given, as bytes, to wxclean and to each peer that runs on that kind
(see ``bench/peers.py`` for the exact calls and how each peer's output and metadata are mapped
into prediction fields). One prediction file per tool and input is written in the format of
``score.py`` (``--out DIR/<tool>/<kind>/<id>.json``, a temporary folder when ``--out`` is not
given), and the folder is scored with ``score.score_dirs`` imported from the corpus.

How: inputs are taken one at a time and every tool runs on each before the next input, in a
rotating order, so that load from other jobs on a shared machine hits all tools alike. Each call
runs in a worker process with a per-page timeout (``--timeout``); a peer that raises or times out
scores that page as an empty prediction and counts as an error. Each tool warms up once on the
first input of a kind before anything is timed. ``ms/page`` is the median over pages of the time
spent inside the tool's call (reading the file and shipping the result are not counted); with
``--repeat N`` each page's time is the median of N interleaved runs. A peer
that is not installed is listed as skipped.

Columns: content recall (summed over files; worst file in brackets), noise, chrome leaks (lines;
files with leaks in brackets), editorial kept (reported, not judged), image and link
precision/recall, meta accuracy as the mean over the fields the tool fills (listed under the
table; a second table gives each field), errors, ms/page. ``--plot`` draws content recall and
F = 2·R·(1−noise)/(R + 1−noise) against ms/page (log scale) for the HTML pages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import peers  # beside this file

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
SUFFIX = {"html": ".html", "md": ".md"}
KIND_TITLE = {"html": "HTML pages", "md": "markdown dumps"}


def load_score(corpus: Path) -> ModuleType:
    """The corpus's score.py, imported from the corpus folder."""
    if str(corpus) not in sys.path:
        sys.path.insert(0, str(corpus))
    import score

    return score


def inputs(corpus: Path, kind: str, limit: int | None = None) -> list[Path]:
    """The inputs of ``kind`` that have a gold file, sorted by id (the first ``limit`` only, when given)."""
    folder = corpus / kind
    out = []
    for g in sorted(folder.glob("*.gold.json")):
        p = folder / (g.name[: -len(".gold.json")] + SUFFIX[kind])
        if p.exists():
            out.append(p)
    return out[:limit] if limit else out


@dataclass
class Row:
    """One tool's results on one input kind."""

    tool: peers.Tool
    kind: str
    skipped: str | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    per_file: list[dict[str, Any]] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ms_per_page(self) -> float | None:
        return statistics.median(self.seconds) * 1000 if self.seconds else None

    def meta_filled(self) -> tuple[float | None, list[str]]:
        """Mean accuracy over the metadata fields the tool fills (and the gold has), and those fields."""
        acc = self.summary.get("meta_accuracy", {})
        names = [k for k in self.tool.fills if acc.get(k) is not None]
        return (statistics.mean(acc[k] for k in names) if names else None), names

    @property
    def f_score(self) -> float | None:
        """F = 2·R·P/(R+P) with R = content recall and P = 1 − noise."""
        r, n = self.summary.get("content_recall"), self.summary.get("noise")
        if r is None:
            return None
        p = 1.0 - (n or 0.0)
        return 2 * r * p / (r + p) if r + p else 0.0


def slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower())


def evaluate(
    corpus: Path,
    out: Path,
    kinds: Iterable[str] = ("html", "md"),
    tool_names: Iterable[str] | None = None,
    limit: int | None = None,
    timeout: float = 30.0,
    progress: Callable[[str], None] | None = None,
    repeat: int = 1,
) -> dict[str, list[Row]]:
    """Run every tool on every input with gold of each kind, write predictions under ``out``, score them.

    With ``repeat > 1`` every tool runs that many times on each input (interleaved rounds, in
    rotating order); the page's time is the median of its runs, the first run's output is scored.
    """
    score = load_score(corpus)
    names = list(tool_names) if tool_names is not None else None
    results: dict[str, list[Row]] = {}
    for kind in kinds:
        files = inputs(corpus, kind, limit)
        rows = [peers_row(t, kind) for t in peers.tools_for(kind, names)]
        live = [r for r in rows if r.skipped is None]
        for r in live:
            (out / slug(r.tool.name) / kind).mkdir(parents=True, exist_ok=True)
        with peers.Runner(timeout=timeout, warm_up={kind: files[0]} if files else {}) as runner:
            for i, path in enumerate(files):
                ident = path.name[: -len(SUFFIX[kind])]
                first: dict[str, peers.Outcome] = {}
                runs: dict[str, list[float]] = {r.tool.name: [] for r in live}
                for k in range(max(1, repeat)):
                    j = (i + k) % len(live) if live else 0
                    for r in live[j:] + live[:j]:
                        if r.tool.name in first and first[r.tool.name].error:
                            continue  # a page a tool failed on is not retried
                        o = runner.run(r.tool, path, kind)
                        first.setdefault(r.tool.name, o)
                        if o.seconds is not None and not o.error:
                            runs[r.tool.name].append(o.seconds)
                for r in live:
                    o = first[r.tool.name]
                    if runs[r.tool.name]:
                        r.seconds.append(statistics.median(runs[r.tool.name]))
                    if o.error:
                        r.errors[ident] = o.error
                    dest = out / slug(r.tool.name) / kind / f"{ident}.json"
                    dest.write_text(json.dumps(o.prediction, ensure_ascii=False, default=str), "utf-8")
                if progress and (i + 1) % 10 == 0:
                    progress(f"{kind}: {i + 1}/{len(files)}")
        ran = {p.name[: -len(SUFFIX[kind])] for p in files}
        for r in live:
            _, per_file = score.score_dirs(corpus / kind, out / slug(r.tool.name) / kind)
            r.per_file = [x for x in per_file if x["id"] in ran]
            r.summary = score.aggregate(r.per_file)
        results[kind] = rows
    return results


def peers_row(tool: peers.Tool, kind: str) -> Row:
    return Row(tool, kind, skipped=tool.missing())


def _f(x: float | None, digits: int = 3) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def table(rows: list[Row]) -> str:
    """The markdown table of one input kind."""
    head = (
        "| tool | files | content recall (worst) | noise | chrome leaks (files) | editorial kept "
        "| image P / R | link P / R | meta acc. (fields filled) | errors | ms/page (median) |"
    )
    lines = [head, "|" + "---|" * 11]
    filled_notes = []
    for r in rows:
        name = r.tool.name + (f" ({r.tool.note})" if r.tool.note and r.tool.name != "wxclean" else "")
        if r.skipped:
            lines.append(f"| {name} | skipped: {r.skipped} |" + " |" * 9)
            continue
        s = r.summary
        meta, fields = r.meta_filled()
        filled_notes.append(f"{r.tool.name}: {', '.join(fields) if fields else 'none'}")
        timeouts = sum(1 for e in r.errors.values() if e.startswith("timeout"))
        errors = f"{len(r.errors)}" + (f" ({timeouts} timeouts)" if timeouts else "")
        lines.append(
            f"| {name} | {s['files']} | {_f(s['content_recall'])} ({_f(s['content_recall_worst'], 2)}) "
            f"| {_f(s['noise'])} | {s['chrome_leaks']} ({s['files_with_leaks']}) | {_f(s['editorial_kept'], 2)} "
            f"| {_f(s['image_precision'], 2)} / {_f(s['image_recall'], 2)} "
            f"| {_f(s['link_precision'], 2)} / {_f(s['link_recall'], 2)} "
            f"| {_f(meta)} | {errors} | {_f(r.ms_per_page, 1)} |"
        )
    lines.append("")
    lines.append("Meta accuracy is the mean over the fields each tool fills: " + "; ".join(filled_notes) + ".")
    return "\n".join(lines)


def meta_table(rows: list[Row]) -> str:
    """Accuracy per metadata field for the tools that fill any (— where the tool does not fill it)."""
    live = [r for r in rows if not r.skipped and r.tool.fills]
    present = sorted({k for r in live for k, v in r.summary.get("meta_accuracy", {}).items() if v is not None})
    fields = [k for k in peers.META_FIELDS if k in present]
    lines = ["| tool | " + " | ".join(fields) + " |", "|" + "---|" * (len(fields) + 1)]
    for r in live:
        acc = r.summary.get("meta_accuracy", {})
        cells = [_f(acc.get(k), 2) if k in r.tool.fills else "—" for k in fields]
        lines.append(f"| {r.tool.name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    """Date, core count, CPU model and Python version, for the record."""
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    vers = ", ".join(f"{k} {v}" for k, v in peers.versions().items())
    return (
        f"measured {dt.date.today().isoformat()} on {os.cpu_count()} × {cpu}, "
        f"Python {platform.python_version()} ({vers})"
    )


def plot(rows: list[Row], path: Path) -> None:
    """Content recall and F against ms/page (log x) for every tool that ran, one labelled point each."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    live = [r for r in rows if not r.skipped and r.ms_per_page]
    fig, axes = plt.subplots(1, 2, figsize=(12, 5.4), sharex=True, sharey=True)
    panels = (
        ("content recall", lambda r: r.summary["content_recall"]),
        ("F = 2·R·(1−noise) / (R + 1−noise)", lambda r: r.f_score),
    )
    xs = [r.ms_per_page for r in live if r.ms_per_page]
    for ax, (label, value) in zip(axes, panels, strict=True):
        ax.set_xscale("log")
        if xs:
            ax.set_xlim(min(xs) / 1.8, max(xs) * 3.5)
        ax.set_ylim(-0.03, 1.08)
        points = [(r, r.ms_per_page, value(r)) for r in live if value(r) is not None]
        for r, x, y in points:
            own = r.tool.name == "wxclean"
            ax.scatter([x], [y], s=110 if own else 55, marker="*" if own else "o",
                       color="crimson" if own else "steelblue", zorder=3)  # fmt: skip
        _place_labels(fig, ax, [(r.tool.name, x, y) for r, x, y in points])
        ax.set_xlabel("time per page, ms (median over pages, log scale)")
        ax.set_ylabel(label)
        ax.grid(True, which="both", alpha=0.3)
        ax.set_title(label)
    n = live[0].summary["files"] if live else 0
    fig.suptitle(f"wxclean and peers on {n} WeChat HTML pages of the evaluation corpus (up and left is better)")
    fig.text(0.01, 0.01, machine(), fontsize=6.5, color="gray")
    fig.tight_layout(rect=(0, 0.03, 1, 0.95))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _place_labels(fig: Any, ax: Any, points: list[tuple[str, float, float]]) -> None:
    """Label each point, trying offsets until the label's box overlaps neither other labels nor points."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    dots = [ax.transData.transform((x, y)) for _, x, y in points]
    frame = ax.get_window_extent(renderer)
    placed: list[Any] = []
    offsets = [(7, 3), (7, -11), (12, 16), (12, -24), (-7, 3), (-7, -11), (-12, 16), (-12, -24), (0, 26), (0, -32)]
    offsets += [(dx, dy) for dy in (40, -46, 54, -60) for dx in (12, -12, 0)]  # farther, with a leader line
    groups: list[list[tuple[str, float, float]]] = []  # points closer than 14 px share one label
    for p in sorted(points, key=lambda p: (p[1], -p[2])):
        px, py = ax.transData.transform((p[1], p[2]))
        for g in groups:
            gx, gy = ax.transData.transform((g[0][1], g[0][2]))
            if abs(px - gx) < 14 and abs(py - gy) < 14:
                g.append(p)
                break
        else:
            groups.append([p])
    for g in groups:
        name, x, y = " / ".join(p[0] for p in g), g[0][1], g[0][2]
        for dx, dy in offsets:
            ha = "left" if dx > 0 else "right" if dx < 0 else "center"
            far = abs(dy) > 12 or dx == 0
            arrow = {"arrowstyle": "-", "color": "gray", "lw": 0.6, "shrinkA": 1, "shrinkB": 4} if far else None
            text = ax.annotate(name, (x, y), textcoords="offset points", xytext=(dx, dy), fontsize=8.5, ha=ha,
                               va="bottom" if dy > 0 else "top" if far else "baseline", arrowprops=arrow)  # fmt: skip
            box = text.get_window_extent(renderer).expanded(1.05, 1.15)
            inside = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
            clash = any(box.overlaps(b) for b in placed) or any(box.contains(px, py) for px, py in dots)
            if inside and not clash:
                break
            if (dx, dy) != offsets[-1]:
                text.remove()
        placed.append(box)


def report(results: dict[str, list[Row]]) -> str:
    """Both tables (and the per-field meta table) as markdown."""
    parts = [f"_{machine()}_", ""]
    for kind, rows in results.items():
        parts += [f"### {KIND_TITLE[kind]}", "", table(rows), ""]
        parts += ["Metadata, accuracy per field:", "", meta_table(rows), ""]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="the evaluation corpus (with score.py)")
    ap.add_argument("--out", type=Path, default=None, help="where predictions go (default: a temporary folder)")
    ap.add_argument("--plot", type=Path, default=None, help="write the quality-vs-time PNG (HTML pages) here")
    ap.add_argument("--kinds", default="html,md", help="input kinds, comma-separated (html, md)")
    ap.add_argument("--tools", default=None, help="only these tools, comma-separated (default: all)")
    ap.add_argument("--limit", type=int, default=None, help="only the first N inputs of each kind")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per page and tool (default 30)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per input and tool for the timing (default 1)")
    ap.add_argument("--json", type=Path, default=None, help="also write summaries and per-file scores here")
    a = ap.parse_args(argv)
    corpus = a.corpus.resolve()
    if not (corpus / "score.py").exists():
        print(f"no score.py in {corpus}", file=sys.stderr)
        return 2
    kinds = [k for k in a.kinds.split(",") if k]
    tools = a.tools.split(",") if a.tools else None
    with tempfile.TemporaryDirectory(prefix="wxclean-quality-") as tmp:
        out = a.out or Path(tmp)
        say = lambda m: print(m, file=sys.stderr)  # noqa: E731
        results = evaluate(corpus, out, kinds, tools, a.limit, a.timeout, say, a.repeat)
        print(report(results))
        if a.plot and "html" in results:
            plot(results["html"], a.plot)
            print(f"plot written to {a.plot}", file=sys.stderr)
        if a.json:
            dump = {
                kind: {
                    r.tool.name: {"skipped": r.skipped, "summary": r.summary, "per_file": r.per_file,
                                  "ms_per_page": r.ms_per_page, "errors": r.errors}
                    for r in rows
                }
                for kind, rows in results.items()
            }  # fmt: skip
            a.json.write_text(json.dumps(dump, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
