"""Text helpers shared by the source adapters, the filters and the renderer."""

from __future__ import annotations

import html
import re
from html.entities import html5

#: texts longer than this are joined a chunk at a time (see :func:`join_words`)
_CHUNK = 1 << 16


def join_words(s: str, sep: str = " ") -> str:
    """``sep.join(s.split())``: the words of ``s`` joined by ``sep`` (whitespace runs become one
    ``sep``, the ends are stripped).

    A long text is done a chunk at a time: ``str.split`` makes one object per word, and a
    hostile line of millions of one-letter words (50 MB of ``"*a "``) would take 3 GB at
    once; chunks keep it to a few MB. The result is the same.
    """
    if len(s) <= _CHUNK:
        return sep.join(s.split())
    out: list[str] = []
    space = False  # whitespace stands between the last word kept and what comes next
    for start in range(0, len(s), _CHUNK):
        piece = s[start : start + _CHUNK]
        words = sep.join(piece.split())
        if not words:
            space = True
            continue
        if out and (space or piece[0].isspace()):
            out.append(sep)
        out.append(words)
        space = piece[-1].isspace()
    return "".join(out)


def percent(m: re.Match[str]) -> str:
    """A matched URL character percent-encoded (``" "`` as ``%20``; a non-ASCII space, which
    has no one-byte form, as ``%20`` too): the replacement for a pattern of unsafe characters."""
    c = ord(m.group(0))
    return f"%{c:02X}" if c < 128 else "%20"


#: where :func:`html.unescape` can change a text: a numeric reference, a name closed by
#: ";", or one of the legacy names it also reads without the ";" (``&para=1`` is ``¶=1``)
_REFERENCE = re.compile(
    "&(?:#|[^\t\n\f <&#;]{1,32};|"
    + "|".join(sorted((name for name in html5 if not name.endswith(";")), key=len, reverse=True))
    + ")"
)


def unescape(s: str) -> str:
    """``html.unescape(s)``, skipped when ``s`` holds no reference it would decode.

    A ``&`` alone is common (every WeChat image URL has ``&wx_fmt=…&from=…``), and for each
    one ``html.unescape`` tries every shorter prefix of the name in Python; one C-level
    search says first whether any reference is there (measured: 4% of the dump path)."""
    return html.unescape(s) if "&" in s and _REFERENCE.search(s) else s
