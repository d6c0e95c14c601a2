"""Smoke tests for bench/quality.py and bench/speed.py on 2-3 corpus files, so that the benches cannot rot.

Skipped when the evaluation corpus is not beside the checkout; a peer that is not installed is
expected to be reported as skipped, never to fail the run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, corpus_available

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

pytestmark = pytest.mark.skipif(not corpus_available(), reason="evaluation corpus not present")


def test_quality_core_on_three_files(tmp_path: Path) -> None:
    import peers
    import quality

    results = quality.evaluate(CORPUS.resolve(), tmp_path, kinds=("html", "md"), limit=2, timeout=60)
    for kind, rows in results.items():
        by_name = {r.tool.name: r for r in rows}
        assert set(by_name) == {t.name for t in peers.tools_for(kind)}
        own = by_name["wxclean"]
        assert own.skipped is None and own.summary["files"] == 2 and len(own.seconds) == 2
        assert own.summary["content_recall"] is not None
        for r in rows:
            if r.skipped is None:  # every tool that ran wrote one prediction per input
                assert len(list((tmp_path / quality.slug(r.tool.name) / kind).glob("*.json"))) == 2
        text = quality.table(rows)
        assert "| wxclean | 2 |" in text


def test_quality_plot(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    import quality

    results = quality.evaluate(CORPUS.resolve(), tmp_path, kinds=("html",), tool_names=["wxclean"], limit=1)
    png = tmp_path / "q.png"
    quality.plot(results["html"], png)
    assert png.stat().st_size > 1000


def test_peer_failure_is_an_error_not_a_crash(tmp_path: Path) -> None:
    import peers

    page = next(iter(sorted((CORPUS / "html").glob("*.html"))))
    boom = peers.Tool("boom", _boom, ("html",))
    peers.TOOLS["boom"] = boom  # the worker is forked after this, so it sees the tool
    try:
        with peers.Runner(timeout=30) as runner:
            outcome = runner.run(boom, page, "html")
    finally:
        del peers.TOOLS["boom"]
    assert outcome.error and "RuntimeError" in outcome.error
    assert peers.Tool("x", _boom, ("html",), requires=("no_such_module_xyz",)).missing()


def _boom(data: bytes) -> dict[str, object]:
    raise RuntimeError("peer failed")


def test_speed_cores_on_few_files() -> None:
    import speed

    pages = sorted((CORPUS / "html").glob("*.html"), key=lambda p: p.stat().st_size)[:2]
    res = speed.bench_html(pages, repeat=1, timeout=60, out=lambda m: None)
    assert res["rows"]["wxclean"]["ms"] is not None
    assert res["rows"]["lxml.html.fromstring"]["ratio"] is not None
    lines: list[str] = []
    speed.print_html(res, 0.0, out=lines.append)
    assert any(line.startswith("| wxclean |") for line in lines)

    dumps = sorted((CORPUS / "md").glob("*.md"))[:3]
    d = speed.bench_dumps(dumps, rounds=1)
    assert d["dumps"] == 3 and d["ratio_of_medians"] > 0

    j = speed.bench_jobs(dumps + pages[:1], runs=1, jobs=2)
    assert j["inputs"] == 4 and j["speedup"][0] > 0

    m = speed.memory_child("largest", CORPUS.resolve(), 1)
    assert m["peak"] > 0 and m["input"].endswith(".html")


def test_dump_speed_reports_every_contender(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import dump_speed

    for p in sorted((CORPUS / "md").glob("*.md"))[:3]:
        (tmp_path / p.name).write_bytes(p.read_bytes())
    assert dump_speed.main([str(tmp_path), "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("3 dumps")
    for name in ("clean", "line blocks"):
        assert f"ratio {name} / line scan (medians): " in out
    # the least a block reader does keeps each line's text: a dump's text comes back whole
    text = "正文第一段。\n\n**第二段**\n[链接](https://a.example/x)"
    assert dump_speed.line_blocks(text.encode()) == "正文第一段。\n\n第二段\n\n链接"
