"""Fuzz target for wxclean.clean (atheris / libFuzzer).

    pip install atheris markdown-it-py
    mkdir -p /tmp/wxfuzz
    python fuzz/fuzz_clean.py -max_len=65536 -timeout=10 /tmp/wxfuzz tests/regressions   # until stopped
    python fuzz/fuzz_clean.py -runs=2000 /tmp/wxfuzz tests/regressions                   # a brief run

New inputs go to the first folder (a scratch one), the regression inputs seed the run.

Each input is fed as bytes and, through FuzzedDataProvider, as str; every result must be an
Article with only http(s)/relative image and link URLs and no live HTML in its markdown.
A crash or hang found this way goes into tests/regressions/ (named by what it triggers),
which tests/test_fuzz_regressions.py replays.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout: wxclean and tests.oracle

import wxclean
from tests.oracle import live_html, safe_url


def check(source: str | bytes) -> None:
    """Clean ``source`` and assert the robustness guarantees the README states: an Article,
    only http(s) or relative image and link URLs, and markdown that a CommonMark renderer
    turns into no live HTML."""
    a = wxclean.clean(source)
    assert isinstance(a, wxclean.Article)
    assert all(safe_url(i.url) for i in a.images), a.images
    assert all(safe_url(k.url) for k in a.links), a.links
    live = live_html(a.markdown)
    assert not live, live[:5]


def TestOneInput(data: bytes) -> None:
    check(data)
    try:
        import atheris
    except ImportError:
        check(data.decode("utf-8", "replace"))
        return
    fdp = atheris.FuzzedDataProvider(data)
    check(fdp.ConsumeUnicodeNoSurrogates(len(data)))


def main() -> None:
    import atheris

    # coverage feedback from wxclean and what it calls (lxml's Python parts, html, re's
    # parser); ``--no-instrument`` runs blind but starts at once
    if "--no-instrument" not in sys.argv:
        atheris.instrument_all()
    atheris.Setup([a for a in sys.argv if a != "--no-instrument"], TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
