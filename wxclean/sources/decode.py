"""Turn input bytes into text: BOM, declared charset, strict UTF-8, GB18030, then chardet.

chardet is the last resort and only sees a bounded prefix: on a whole WeChat page it is
slow (seconds) and guesses MacRoman for UTF-8. Undeclared GBK pages decode through GB18030,
a superset of GBK and GB2312.
"""

from __future__ import annotations

import codecs
import re

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]{2,40})""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^<\?xml[^>]{0,100}encoding=["']([A-Za-z0-9_.-]{2,40})""")
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "big5": "big5hkscs"}
CHARDET_PREFIX = 64 * 1024


def _norm_codec(name: str) -> str | None:
    name = name.strip().lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KB (meta charset, http-equiv, XML declaration)."""
    head = data[:4096]
    m = _XML_DECL.match(head) or _DECLARED.search(head)
    return _norm_codec(m.group(1).decode("ascii", "replace")) if m else None


def sniff(data: bytes) -> str:
    """The encoding of ``data`` from its BOM or declaration alone, ``utf-8`` when neither
    says (no full decode: for the HTML adapter, which decodes only the parts it reads)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    return declared_charset(data) or "utf-8"


def decode(data: bytes) -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding used)``. Never raises on bad bytes."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(enc, errors="replace"), enc
    declared = declared_charset(data)
    if declared and declared not in ("utf-8", "utf_8"):
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        utf8_error_at = e.start
    if utf8_error_at > len(data) - 4 and len(data) > 16:  # cut inside a final multi-byte char
        return data.decode("utf-8", errors="replace"), "utf-8"
    try:
        text = data.decode("gb18030")
        return text, "gb18030"
    except UnicodeDecodeError:
        pass
    import chardet

    guess = chardet.detect(data[:CHARDET_PREFIX]).get("encoding")
    found = _norm_codec(guess) if isinstance(guess, str) else None
    if found:
        return data.decode(found, errors="replace"), found
    return data.decode("utf-8", errors="replace"), "utf-8"
