"""Fuzz target for wxclean.clean (atheris / libFuzzer).

    pip install atheris
    python fuzz/fuzz_clean.py -max_len=65536 -timeout=10 tests/regressions      # until stopped
    python fuzz/fuzz_clean.py -runs=2000 tests/regressions                      # a brief run

Each input is fed as bytes and, through FuzzedDataProvider, as str; every result must be an
Article with only http(s)/relative image and link URLs and no live HTML in its markdown.
A crash or hang found this way goes into tests/regressions/ (named by what it triggers),
which tests/test_fuzz_regressions.py replays.
"""

from __future__ import annotations

import re
import sys

import wxclean

_UNSAFE = re.compile(r"^\s*[a-z][a-z0-9+.\-]*:", re.IGNORECASE)
_FENCE = re.compile(r"^ {0,3}(```+|~~~+).*?(?:^ {0,3}\1[`~]*[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`{1,16})[^`]{0,4096}?\1")  # bounded: linear on a run of backticks
_TAG = re.compile(r"<[A-Za-z/!?]")
_TARGET = re.compile(r"\]\([ \t]*\n?[ \t]*<?([^)\s>]{0,4096})>?(?:[ \t]+[^)\n]{0,4096})?\)")


def _safe(url: str) -> bool:
    if url.startswith(("http://", "https://")):
        return True
    return bool(url) and not url.startswith("//") and not _UNSAFE.match(url)


def check(source: str | bytes) -> None:
    """Clean ``source`` and assert the robustness guarantees the README states."""
    a = wxclean.clean(source)
    assert isinstance(a, wxclean.Article)
    assert all(_safe(i.url) for i in a.images), a.images
    assert all(_safe(k.url) for k in a.links), a.links
    prose = "\n\n".join(_CODE_SPAN.sub("", p) for p in _FENCE.sub("", a.markdown).split("\n\n"))
    assert not _TAG.search(prose), prose[:200]
    bad = [t for t in _TARGET.findall(prose) if _UNSAFE.match(t) and not t.lower().startswith(("http:", "https:"))]
    assert not bad, bad


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
