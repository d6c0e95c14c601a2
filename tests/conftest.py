"""Shared test helpers: where the evaluation corpus is, and its scorer."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


def corpus_available() -> bool:
    return (CORPUS / "score.py").exists()


def gold_files(kind: str) -> list[Path]:
    """The gold files of ``md`` or ``html``; empty when the corpus is not laid out beside the repo."""
    folder = CORPUS / kind
    return sorted(folder.glob("*.gold.json")) if folder.exists() else []


def load_gold(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


@pytest.fixture(scope="session")
def scorer() -> Any:
    """The corpus's own score.py, imported from the corpus folder."""
    if not corpus_available():
        pytest.skip("evaluation corpus not present")
    sys.path.insert(0, str(CORPUS))
    import score

    return score
