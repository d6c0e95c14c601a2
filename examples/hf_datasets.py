"""Clean a folder of WeChat articles as a Hugging Face ``datasets.Dataset``, in several processes.

    python examples/hf_datasets.py INPUT_DIR [--num-proc 4] [--output OUT_DIR]

Needs ``pip install 'wxclean[hf]'``. The dataset is built here from local files (nothing is
downloaded from the hub); ``Dataset.map(..., num_proc=N)`` cleans it in N processes and the
result keeps one row per input with the Article's fields. ``--output`` saves it with
``save_to_disk`` (load it back with ``datasets.load_from_disk``).
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from datasets import Dataset, Features, Value

import wxclean

SUFFIXES = {".html", ".htm", ".md", ".markdown", ".txt"}

STRING, BOOL = Value("string"), Value("bool")
FEATURES = Features(
    {
        "path": STRING,
        "status": STRING,
        "kind": STRING,
        "title": STRING,
        "account": STRING,
        "author": STRING,
        "published": STRING,
        "original": BOOL,
        "source_account": STRING,
        "truncated": BOOL,
        "url": STRING,
        "cover": STRING,
        "text": STRING,
        "markdown": STRING,
        "images": [{"url": STRING, "alt": STRING, "caption": STRING}],
        "links": [{"url": STRING, "text": STRING}],
        "removed": [
            {"filter": STRING, "reason": STRING, "text": STRING, "kind": STRING, "where": STRING, "pos": Value("int32")}
        ],
        "error": STRING,
    }
)


def read_folder(folder: str) -> Iterator[dict[str, Any]]:
    """One row per file: its path and its bytes (``clean`` decodes them)."""
    for p in sorted(Path(folder).rglob("*")):
        if p.suffix.lower() in SUFFIXES and p.is_file():
            yield {"path": str(p), "source": p.read_bytes()}


def clean_batch(batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Clean a batch of rows; a row that fails gets status "failed" and its error."""
    out: dict[str, list[Any]] = {name: [] for name in FEATURES}
    for path, source in zip(batch["path"], batch["source"], strict=True):
        try:
            row = {"path": path, **wxclean.clean(source).to_dict(), "error": None}
        except Exception as exc:  # one bad file must not fail the whole map
            row = {"path": path, "status": "failed", "error": f"{type(exc).__name__}: {exc}"}
        for name in FEATURES:
            out[name].append(row.get(name, [] if name in ("images", "links", "removed") else None))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input_dir")
    parser.add_argument("--num-proc", type=int, default=2)
    parser.add_argument("--output", help="save the cleaned dataset here (save_to_disk)")
    args = parser.parse_args()

    rows = list(read_folder(args.input_dir))  # for folders larger than memory use Dataset.from_generator
    ds = Dataset.from_list(rows)
    cleaned = ds.map(
        clean_batch,
        batched=True,
        batch_size=16,
        num_proc=args.num_proc,
        remove_columns=ds.column_names,
        features=FEATURES,
    )
    if args.output:
        cleaned.save_to_disk(args.output)
    counts = Counter(cleaned["status"])
    for status, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"{status}\t{n}")
    print(f"total\t{sum(counts.values())}")


if __name__ == "__main__":
    main()
