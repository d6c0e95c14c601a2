"""Time per MB of wxclean.clean from 10 KB to 50 MB: it must stay flat (cost linear in size).

    python bench/scale.py [--max-mb 50] [--repeat 1]

Inputs are built by repeating real corpus content when the corpus is beside the checkout
(the article body of a corpus page, a corpus dump's body), synthetic WeChat-like content
otherwise: a dump, an HTML page given as bytes, and the same page given as str. Prints a
table of MB/s per size and, per input kind, the ratio of the largest to the smallest time
per MB (1.0 = perfectly linear). ``max_bytes=None`` and ``max_parts=None`` are passed so
that the whole input is cleaned.
"""

from __future__ import annotations

import argparse
import inspect
import re
import time
from collections.abc import Callable
from pathlib import Path

import wxclean

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
SIZES_KB = (10, 100, 1_000, 10_000, 50_000)


def _dump_unit() -> str:
    mds = sorted((CORPUS / "md").glob("*.md"))[:20] if (CORPUS / "md").exists() else []
    body = "\n\n".join(p.read_text("utf-8", "replace") for p in mds)
    if not body:
        body = "正文一段，**加粗**，[链接](https://example.com/a)。\n\n![](https://mmbiz.qpic.cn/a/b/640)\n\n"
        body += "> 引用\n\n- 列表\n"
    # corpus dumps open with a title and close with WeChat's tail: keep only body-like lines
    lines = [ln for ln in body.splitlines() if ln.strip() and not ln.startswith(("#", "---"))]
    unit = "\n\n".join(lines)[:8_000]
    return unit[: unit.rfind("\n")] + "\n\n"  # 8 KB of whole lines: the 10 KB input holds one


def _body_unit() -> str:
    pages = sorted((CORPUS / "html").glob("*.html")) if (CORPUS / "html").exists() else []
    for p in pages:
        text = p.read_text("utf-8", "replace")
        m = re.search(r'<div[^>]*id="js_content"[^>]*>(.*?)</div>\s*<script', text, re.DOTALL)
        if m and len(m.group(1)) > 8_000:
            body = m.group(1)[:8_000]
            return body[: body.rfind("</p>") + 4] if "</p>" in body else body
    para = '<p>正文一段，<strong>加粗</strong><a href="https://example.com/a">链接</a>。</p>'
    return (para + '<img data-src="https://mmbiz.qpic.cn/a/b/640">') * 50


def build(kind: str, size: int, dump_unit: str, body_unit: str) -> str | bytes:
    if kind == "dump":
        reps = max(1, size // len(dump_unit.encode()))
        return "# 标题\n\n" + dump_unit * reps
    head = '<!DOCTYPE html><html><head><meta charset="utf-8"><meta property="og:title" content="标题"></head><body>'
    head += '<h1 id="activity-name">标题</h1><div id="js_content">'
    tail = '</div><script>var ct = "1700000000"; var nickname = "号";</script></body></html>'
    reps = max(1, size // len(body_unit.encode()))
    page = head + body_unit * reps + tail
    return page.encode() if kind == "html-bytes" else page


def timed(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--max-mb", type=float, default=50)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    # no size bounds: the whole input is cleaned, however large
    kwargs = {k: None for k in ("max_bytes", "max_parts") if k in inspect.signature(wxclean.clean).parameters}
    dump_unit, body_unit = _dump_unit(), _body_unit()
    sizes = [kb for kb in SIZES_KB if kb <= args.max_mb * 1000]
    kinds = ("dump", "html-bytes", "html-str")
    for kind in ("dump", "html-bytes", "html-str"):  # warm up: imports, regex compilation
        wxclean.clean(build(kind, 10_000, dump_unit, body_unit), **kwargs)  # type: ignore[arg-type]
    print(f"{'kind':<11} {'size':>9} {'seconds':>9} {'MB/s':>8} {'s/MB':>8}")
    for kind in kinds:
        per_mb: list[float] = []
        for kb in sizes:
            src = build(kind, kb * 1000, dump_unit, body_unit)
            mb = len(src if isinstance(src, bytes) else src.encode()) / 1e6
            secs = timed(lambda src=src: wxclean.clean(src, **kwargs), args.repeat)  # type: ignore[arg-type]
            per_mb.append(secs / mb)
            print(f"{kind:<11} {mb:>7.2f}MB {secs:>9.3f} {mb / secs:>8.1f} {secs / mb:>8.3f}", flush=True)
        print(f"{kind:<11} largest/smallest time per MB: {per_mb[-1] / per_mb[0]:.2f}\n", flush=True)


if __name__ == "__main__":
    main()
