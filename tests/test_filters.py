"""One case per filter, as data (tests/cases/dump_filters.json): input dump lines, what the
named filter must remove, what must stay in the text, and metadata the dump carries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import wxclean

CASES: list[dict[str, Any]] = json.loads((Path(__file__).parent / "cases" / "dump_filters.json").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_filter_case(case: dict[str, Any]) -> None:
    art = wxclean.clean("\n".join(case["input"]), level=case["level"])
    removed_by = {(r.filter, r.text.strip()) for r in art.removed}
    removed_texts = {r.text.strip() for r in art.removed}
    for text in case["removed"]:
        if case["filter"]:
            assert (case["filter"], text) in removed_by, f"{text!r} not removed by {case['filter']}"
        assert text not in art.text.splitlines()
    if case["filter"] is None:
        assert not case["removed"] or removed_texts
    lines = [line.strip() for line in art.text.splitlines()]
    for text in case["kept"]:
        assert text in lines, f"{text!r} lost"
    for field, want in case.get("meta", {}).items():
        assert art.to_dict()[field] == want, field
    if "images" in case:
        assert [i.url for i in art.images] == case["images"]
    if "links" in case:
        assert [link.url for link in art.links] == case["links"]


def test_every_default_filter_has_a_case() -> None:
    """The data cases cover every filter of the standard pipeline."""
    covered = {c["filter"] for c in CASES}
    missing = set(wxclean.default_pipeline().names) - covered
    assert not missing, f"filters without a case: {sorted(missing)}"
