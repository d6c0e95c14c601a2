"""The two builds (hot modules compiled by mypyc at install, see setup.py, or plain Python)
behave alike: the same articles, and the public objects pickle and copy in both."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import wxclean
from tests.conftest import CORPUS, corpus_available
from wxclean.model import Block, Document, Image, Link, Meta, Removal

PACKAGE = Path(wxclean.__file__).resolve().parent
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "seed-cncert-2024w47.md"


def compiled_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*") if p.suffix in (".so", ".pyd"))


def test_the_flag_says_which_build_runs() -> None:
    names = {p.name.split(".")[0] for p in compiled_modules()}
    assert ("dump" in names) is wxclean.COMPILED


def test_compiled_modules_are_built_from_the_current_sources() -> None:
    """An editable install keeps the extensions beside the sources, and Python imports an
    extension before a source: a module edited after the build would not run."""
    stale = [
        str(so.relative_to(PACKAGE))
        for so in compiled_modules()
        if (py := so.with_name(so.name.split(".")[0] + ".py")).exists() and py.stat().st_mtime > so.stat().st_mtime
    ]
    assert not stale, f"edited after the build, rebuild with `pip install -e .`: {stale}"


@pytest.mark.parametrize(
    "obj",
    [
        Image("https://a.example/1.png", "alt", "caption"),
        Link("https://a.example/", "text"),
        Meta(title="标题", account="某号", original=True),
        Removal("page_tail", "why", "在看", "paragraph", "tail", 3),
        Block("paragraph", "正文", "正文"),
        Document(Meta(title="标题"), (Block("paragraph", "正文", "正文"),), (Removal("f", "r", "t"),), "dump"),
        wxclean.default_pipeline(),
        wxclean.default_pipeline("minimal").filters[0],
    ],
    ids=lambda o: type(o).__name__,
)
def test_public_objects_pickle_and_copy(obj: Any) -> None:
    """Frozen classes rebuild from their fields (a compiled frozen class refuses the
    field-by-field restore pickle and copy use by default)."""
    assert pickle.loads(pickle.dumps(obj)) == obj
    assert copy.copy(obj) == obj
    assert copy.deepcopy(obj) == obj


def test_a_cleaned_article_pickles_and_copies() -> None:
    art = wxclean.clean(EXAMPLE.read_bytes())
    assert art.removed and art.images and art.published is not None
    assert pickle.loads(pickle.dumps(art)) == art
    assert copy.deepcopy(art) == art


# every corpus input, cleaned by this build and by the plain Python sources in a subprocess
_HASHES = """
import hashlib, json, sys
from pathlib import Path
import wxclean
def digest(a):
    return hashlib.sha1(json.dumps(a.to_dict(), ensure_ascii=False, sort_keys=True).encode()).hexdigest()
paths = sys.stdin.read().split("\\n")
hashes = [digest(wxclean.clean(Path(p).read_bytes())) for p in paths]
print(json.dumps({"compiled": wxclean.COMPILED, "hashes": hashes}))
"""


def _digest(art: wxclean.Article) -> str:
    return hashlib.sha1(json.dumps(art.to_dict(), ensure_ascii=False, sort_keys=True).encode()).hexdigest()


@pytest.mark.skipif(not wxclean.COMPILED, reason="compares the compiled build with its sources; this run is them")
@pytest.mark.skipif(not corpus_available(), reason="evaluation corpus not present")
def test_compiled_and_plain_python_give_the_same_articles(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(PACKAGE, plain / "wxclean", ignore=shutil.ignore_patterns("*.so", "*.pyd", "__pycache__"))
    paths = sorted(str(p) for kind in ("md", "html") for p in (CORPUS / kind).glob(f"*.{kind}"))
    assert len(paths) > 600
    env = {**os.environ, "PYTHONPATH": str(plain)}
    run = subprocess.run(
        [sys.executable, "-c", _HASHES], input="\n".join(paths), env=env, cwd=tmp_path,
        capture_output=True, text=True, check=True, timeout=600,
    )
    out = json.loads(run.stdout)
    assert out["compiled"] is False
    here = [_digest(wxclean.clean(Path(p).read_bytes())) for p in paths]
    differ = [Path(p).name for p, a, b in zip(paths, here, out["hashes"], strict=True) if a != b]
    assert not differ, f"the builds disagree on {differ[:10]}"
