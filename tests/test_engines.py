"""The Dask, Spark and datasets examples, run for real on a small folder of corpus files.

Each example runs as a user would run it (a subprocess) and must print the same count per
status as cleaning the files one by one here. A test is skipped only when its engine is not
importable.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import wxclean

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "corpus"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ten corpus files in two folders: articles, notices and empty pages, dumps and HTML pages."""
    md = sorted((CORPUS / "md").glob("*.md"))
    html = sorted((CORPUS / "html").glob("*.html"), key=lambda p: p.stat().st_size)
    if not md or not html:
        pytest.skip("corpus not found")
    root = tmp_path_factory.mktemp("engines")
    (root / "html").mkdir()
    for p in [*md[:: len(md) // 4][:4], *sorted(md, key=lambda p: p.stat().st_size)[:3]]:
        shutil.copyfile(p, root / p.name)
    for p in html[:3]:
        shutil.copyfile(p, root / "html" / p.name)
    (root / "skip.csv").write_text("not an article\n")
    return root


def _expected(folder: Path) -> dict[str, int]:
    files = [p for p in folder.rglob("*") if p.suffix in (".md", ".html")]
    counts = Counter(wxclean.clean(p.read_bytes()).status for p in files)
    assert len(counts) > 1, "the sample should hold more than one status"
    return {**counts, "total": len(files)}


def _run_example(name: str, *args: str, timeout: int = 300) -> dict[str, int]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "PYSPARK_PYTHON": sys.executable}
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    counts: dict[str, int] = {}
    for line in proc.stdout.splitlines():
        status, _, n = line.partition("\t")
        counts[status] = int(n)
    return counts


def _needs(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed")


def test_dask_example_counts_statuses_on_a_local_cluster(folder: Path, tmp_path: Path) -> None:
    _needs("dask")
    _needs("distributed")
    out = tmp_path / "jsonl"
    assert _run_example("dask_bag.py", str(folder), "--output", str(out)) == _expected(folder)
    lines = [line for part in sorted(out.glob("part-*.jsonl")) for line in part.read_text("utf-8").splitlines()]
    assert len(lines) == _expected(folder)["total"]


def test_spark_example_writes_parquet_and_counts_statuses(folder: Path, tmp_path: Path) -> None:
    _needs("pyspark")
    out = tmp_path / "parquet"
    assert _run_example("spark_job.py", str(folder), str(out), "--master", "local[2]", timeout=600) == _expected(folder)
    import pyarrow.parquet as pq

    table = pq.read_table(out)
    rows = table.select(["path", "text", "status"]).to_pylist()
    assert len(rows) == _expected(folder)["total"]
    for row in rows:
        path = Path(row["path"].removeprefix("file:"))
        art = wxclean.clean(path.read_bytes())
        assert (row["status"], row["text"]) == (art.status, art.text)


def test_datasets_example_maps_with_num_proc(folder: Path) -> None:
    _needs("datasets")
    assert _run_example("hf_datasets.py", str(folder), "--num-proc", "2") == _expected(folder)
