"""Clean a folder of WeChat articles with PySpark, write Parquet and print the count per status.

    python examples/spark_job.py INPUT_DIR OUTPUT_DIR                    # local[*]
    python examples/spark_job.py INPUT_DIR OUTPUT_DIR --master spark://HOST:7077

Needs ``pip install 'wxclean[spark]'`` and Java 17; on a cluster, wxclean must be installed
on every executor and INPUT_DIR/OUTPUT_DIR be on storage they all see (HDFS, S3, a shared
mount). Spark reads the files as bytes, each partition is cleaned by ``wxclean.clean`` and
the records are written as Parquet, one row per input with the Article's fields (``error``
set when an input failed).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from typing import Any

from pyspark.sql import Row, SparkSession

import wxclean

SCHEMA = (
    "path string, status string, kind string, title string, account string, author string, "
    "published string, original boolean, source_account string, truncated boolean, url string, "
    "cover string, text string, markdown string, "
    "images array<struct<url:string,alt:string,caption:string>>, "
    "links array<struct<url:string,text:string>>, "
    "removed array<struct<filter:string,reason:string,text:string,kind:string,where:string,pos:int>>, "
    "error string"
)


def clean_rows(rows: Iterator[Row]) -> Iterator[dict[str, Any]]:
    """Clean the (path, content) rows of one partition; a file that fails gives status "failed"."""
    for row in rows:
        try:
            yield {"path": row.path, **wxclean.clean(bytes(row.content)).to_dict()}
        except Exception as exc:  # one bad file must not fail the whole job
            yield {"path": row.path, "status": "failed", "error": f"{type(exc).__name__}: {exc}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input_dir")
    parser.add_argument("output_dir")
    parser.add_argument("--master", default="local[*]", help="Spark master URL (default: local[*])")
    args = parser.parse_args()

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # executors run this Python (local mode)
    spark = (
        SparkSession.builder.master(args.master)
        .appName("wxclean")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")

    files = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .option("pathGlobFilter", "*.{html,htm,md,markdown,txt}")
        .load(args.input_dir)
        .select("path", "content")
    )
    cleaned = spark.createDataFrame(files.rdd.mapPartitions(clean_rows), SCHEMA)
    cleaned.write.mode("overwrite").parquet(args.output_dir)

    counts = spark.read.parquet(args.output_dir).groupBy("status").count().collect()
    for row in sorted(counts, key=lambda r: (-r["count"], r["status"])):
        print(f"{row['status']}\t{row['count']}")
    print(f"total\t{sum(r['count'] for r in counts)}")
    spark.stop()


if __name__ == "__main__":
    main()
