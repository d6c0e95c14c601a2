"""Clean a folder of WeChat articles on a Dask cluster and print the count per status.

    python examples/dask_bag.py INPUT_DIR                          # a LocalCluster on this machine
    python examples/dask_bag.py INPUT_DIR --scheduler tcp://HOST:8786
    python examples/dask_bag.py INPUT_DIR --output OUT_DIR         # also write JSONL parts

Needs ``pip install 'wxclean[dask]'``. The workers read the files themselves, so on a real
cluster INPUT_DIR must be on storage every worker sees (a shared mount), and wxclean must
be installed on every worker. Cleaning is CPU-bound pure Python: one thread per worker.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import dask.bag as db
from dask.distributed import Client, LocalCluster

import wxclean

SUFFIXES = {".html", ".htm", ".md", ".markdown", ".txt"}


def clean_file(path: str) -> dict[str, Any]:
    """Clean one file into a JSON-safe record; a file that fails gives status "failed"."""
    try:
        return {"path": path, **wxclean.clean(Path(path).read_bytes()).to_dict()}
    except Exception as exc:  # one bad file must not fail the whole job
        return {"path": path, "status": "failed", "error": f"{type(exc).__name__}: {exc}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input_dir")
    parser.add_argument("--scheduler", help="address of a running scheduler (default: start a LocalCluster)")
    parser.add_argument("--output", help="folder for the cleaned records, as JSONL parts")
    args = parser.parse_args()

    paths = sorted(str(p) for p in Path(args.input_dir).rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        client = Client(LocalCluster(threads_per_worker=1, dashboard_address=None))
    with client:
        records = db.from_sequence(paths, partition_size=64).map(clean_file)
        if args.output:
            records = records.persist()  # clean once, use twice
            records.map(json.dumps, ensure_ascii=False).to_textfiles(f"{args.output}/part-*.jsonl")
        counts = dict(records.pluck("status").frequencies().compute())

    for status, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"{status}\t{n}")
    print(f"total\t{sum(counts.values())}")


if __name__ == "__main__":  # the guard matters: worker processes import this file
    main()
