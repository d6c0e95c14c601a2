"""Turn input bytes into text: BOM, declared charset, strict UTF-8, GB18030, then chardet.

chardet is the last resort and only sees a bounded prefix: on a whole WeChat page it is
slow (seconds) and guesses MacRoman for UTF-8. Undeclared GBK pages decode through GB18030,
a superset of GBK and GB2312; undeclared Big5 is told from GB by which reading holds more
common characters. Short texts, where a few bytes must tell, are read by the bytes' shape:
GBK text that happens to be valid UTF-8 (GBK hanzi whose bytes make Greek or Cyrillic
letters, and nothing else non-ASCII) is GBK; UTF-8 that fails only at its very end is cut
UTF-8 only when its last bytes open a UTF-8 character; text of GB2312 hanzi only is never
Big5; a private-use character in the GB18030 reading is a sign of Big5.

What it leaves alone: text that decodes as declared, and UTF-8 with any character above
U+07FF or any Latin letter (European text stays UTF-8).
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]{2,40})""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^<\?xml[^>]{0,100}encoding=["']([A-Za-z0-9_.-]{2,40})""")
CHARDET_PREFIX = 64 * 1024


# --- Big5 --------------------------------------------------------------------------------
#: The name of wxclean's Big5 codec. Python's Big5 codecs disagree on some codes:
#: ``big5`` and ``cp950`` put ① ... ⑩ at C7E9 and kana at C6A1 and up, where
#: ``big5hkscs`` has kana at C7E9 and ① ... ⑩, radicals and simplified characters (广) at
#: C6A1 and up; only ``big5hkscs`` has the Hong Kong characters; and ``big5`` reads A1E3 as
#: ∼ (U+223C), where Windows' ``cp950`` reads the ～ (U+FF5E) that Chinese text is full of.
#: This codec reads Big5 as ``big5`` (a code ``big5`` lacks as ``cp950`` or else
#: ``big5hkscs``), or as ``big5hkscs`` when that reading holds fewer kana and Cyrillic
#: letters (Chinese text has next to none: they are the other layout's ① or 广), and A1E3
#: as ～ either way.
BIG5 = "wxclean-big5"
_BIG5_FALLBACKS = ("cp950", "big5hkscs")
_BIG5_FIXES = str.maketrans({"\u223c": "\uff5e"})  # A1E3: ～, as cp950 and browsers read it


def _big5_fallback(exc: UnicodeError) -> tuple[str, int]:
    """The error handler of :data:`BIG5`'s strict decoding: the pair of bytes ``big5`` lacks,
    read by the fallback codecs; the ``UnicodeDecodeError`` again when none has it."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    pair = exc.object[exc.start : exc.start + 2]
    for enc in _BIG5_FALLBACKS:
        try:
            return pair.decode(enc), exc.start + 2
        except UnicodeDecodeError:
            continue
    raise exc


def _big5_replace(exc: UnicodeError) -> tuple[str, int]:
    """As :func:`_big5_fallback`, with U+FFFD for what no Big5 codec reads."""
    try:
        return _big5_fallback(exc)
    except UnicodeDecodeError:
        return "\ufffd", exc.end  # type: ignore[attr-defined]


codecs.register_error("wxclean-big5-strict", _big5_fallback)
codecs.register_error("wxclean-big5-replace", _big5_replace)


#: letters that Chinese text in Big5 next to never holds, and the other layout's codes give
_BIG5_ODD = re.compile("[\u3041-\u30ff\u0400-\u04ff]")


def _big5_decode(data: bytes | bytearray | memoryview, errors: str = "strict") -> tuple[str, int]:
    data = bytes(data)  # (the codec machinery may hand a memoryview)
    handler = "wxclean-big5-strict" if errors == "strict" else "wxclean-big5-replace"
    try:
        text = codecs.decode(data, "big5", handler)
    except UnicodeDecodeError as e:  # named as this codec's error
        raise UnicodeDecodeError(BIG5, e.object, e.start, e.end, e.reason) from None
    if _BIG5_ODD.search(text):  # kana or Cyrillic: perhaps the HKSCS layout's codes
        try:
            hk = codecs.decode(data, "big5hkscs", errors)
        except UnicodeDecodeError:
            hk = None
        if hk is not None and len(_BIG5_ODD.findall(hk)) < len(_BIG5_ODD.findall(text)):
            text = hk
    return text.translate(_BIG5_FIXES), len(data)


def _big5_encode(text: str, errors: str = "strict") -> tuple[bytes, int]:
    return codecs.encode(text, "cp950", errors), len(text)


def _search(name: str) -> codecs.CodecInfo | None:
    if name != BIG5.replace("-", "_"):
        return None
    return codecs.CodecInfo(_big5_encode, _big5_decode, name=BIG5)  # type: ignore[arg-type]


codecs.register(_search)

#: charset labels read as another codec, as browsers read them (the WHATWG encoding
#: standard): the GB labels as their superset GB18030, the Big5 ones as :data:`BIG5`,
#: EUC-KR as the Windows code page that extends it, ISO-2022-JP as its superset that also
#: holds GB 2312 and KS C 5601 (Shift_JIS is read as declared, then as :data:`_WIDER`'s)
_ALIASES = {
    **dict.fromkeys(
        ("gb2312", "gbk", "x-gbk", "gb_2312-80", "gb_2312", "chinese", "csgb2312", "csiso58gb231280",
         "iso-ir-58", "cp936", "ms936", "windows-936"),
        "gb18030",
    ),
    **dict.fromkeys(("big5", "cn-big5", "csbig5", "x-x-big5"), BIG5),
    **dict.fromkeys(("windows-31j", "x-sjis"), "cp932"),
    **dict.fromkeys(
        ("euc-kr", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601", "korean", "csksc56011987",
         "iso-ir-149", "windows-949"),
        "cp949",
    ),
    **dict.fromkeys(("iso-2022-jp", "csiso2022jp"), "iso2022_jp_2"),
    **dict.fromkeys(("unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8"), "utf-8"),
}  # fmt: skip


#: a declared codec whose text may hold its Windows extension's characters (Shift_JIS
#: written by Windows holds NEC's ① and IBM's kanji): read as that when it is not valid as declared
_WIDER = {"shift_jis": "cp932"}


def _norm_codec(name: str) -> str | None:
    name = name.strip().lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KB (meta charset, http-equiv, XML
    declaration); ``utf-8`` when it declares a one-byte charset (Latin-1, KOI8-R …) that its
    bytes belie (its opening is valid UTF-8 and holds multi-byte characters, as a Chinese
    page's does and a Latin-1 text next to never does), and when it declares UTF-16 or
    UTF-32 in ASCII bytes (as the HTML standard reads it; text really in UTF-16/32 is told
    by its BOM or its zero bytes before any declaration is read); None, as if it declared
    nothing, when its bytes are CJK text of another standard than the one declared
    (:func:`_belied`)."""
    head = data[:4096]
    m = _XML_DECL.match(head) or _DECLARED.search(head)
    declared = _norm_codec(m.group(1).decode("ascii", "replace")) if m else None
    if declared is not None and _one_byte(declared) and _utf8_opening(data):
        return "utf-8"
    if declared is not None and declared.startswith(("utf-16", "utf-32")):
        return "utf-8"  # read in ASCII, the declaration is not in UTF-16: HTML reads it as UTF-8
    if declared is not None and _belied(data, declared):
        return None  # (read as undeclared: GB18030 or the standard that reads it best)
    return declared


@lru_cache(maxsize=64)
def _one_byte(encoding: str) -> bool:
    """Whether ``encoding`` reads every byte as one character (Latin-1, cp1252, KOI8-R …):
    each of the 128 high bytes, and the two bytes of a UTF-8 character (``é``) as two. (The
    high bytes alone do not tell: UTF-8 reads each as one U+FFFD.)"""
    try:
        return (
            len(bytes(range(0x80, 0x100)).decode(encoding, "replace")) == 0x80
            and len(b"\xc3\xa9".decode(encoding, "replace")) == 2
        )
    except LookupError:
        return False


def _utf8_opening(data: bytes) -> bool:
    """Whether the opening of ``data`` (:func:`_opening`) is UTF-8 with some multi-byte character."""
    head = _opening(data)
    return not head.isascii() and _decodes(head, "utf-8")


#: how much of a text the guesses that need only its opening read
_PROBE = 64 * 1024


def _opening(data: bytes) -> bytes:
    """The first :data:`_PROBE` bytes of ``data``, ended before the last line end or ``<`` in
    them when ``data`` is longer (so that no multi-byte character is cut in two)."""
    head = data[:_PROBE]
    if len(data) > _PROBE:
        cut = max(head.rfind(b"\n"), head.rfind(b"<"))
        if cut > 0:
            head = head[:cut]
    return head


def sniff(data: bytes) -> str:
    """The encoding of ``data`` from its BOM or declaration alone, ``utf-8`` when neither
    says (no full decode: for the HTML adapter, which decodes only the parts it reads)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    return declared_charset(data) or seven_bit(data) or "utf-8"


#: escape sequences that designate a double-byte character set in ISO-2022 text (JIS X 0208
#: and 0212, GB 2312, KS C 5601), and the codec that reads them
_ISO2022: tuple[tuple[bytes, str], ...] = (
    (b"\x1b$)C", "iso2022_kr"),
    (b"\x1b$B", "iso2022_jp_2"),
    (b"\x1b$@", "iso2022_jp_2"),
    (b"\x1b$A", "iso2022_jp_2"),
    (b"\x1b$(D", "iso2022_jp_2"),
    (b"\x1b$(C", "iso2022_jp_2"),
)
_CJK_CHAR = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_HZ_MIN_CHARS = 2  # HZ: at least this many CJK characters between ~{ and ~}


def seven_bit(data: bytes) -> str | None:
    """The 7-bit encoding that undeclared data whose opening is all ASCII is in: ISO-2022
    (told by the escape sequence that designates its character set) or HZ (``~{`` ... ``~}``
    around GB2312 characters), when the whole data decodes in it; None otherwise.

    What it leaves alone: ANSI colour codes and other escapes that designate no character
    set, and ASCII text whose ``~{`` ... ``~}`` do not hold GB2312 characters (HZ reads
    anything else there as an error)."""
    head = data[:_PROBE]
    if not head.isascii():
        return None
    top = head
    if len(data) > len(head) or not data.endswith(b"\n"):  # may end inside a sequence: to its last line
        top = head[: head.rfind(b"\n") + 1] or head
    if b"\x1b$" in head:
        for sign, enc in _ISO2022:
            if sign in head:
                return enc if _decodes(top, enc) else None
    hz = b"~{" in head and b"~}" in head and _decodes(top, "hz")
    return "hz" if hz and len(_CJK_CHAR.findall(top.decode("hz"))) >= _HZ_MIN_CHARS else None


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def decode(data: bytes) -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding used)``. Never raises on bad bytes.

    A BOM is believed when the bytes after it decode in its encoding; a UTF-16/32 BOM is
    not when the rest has none of the zero bytes any such text with a space, newline or
    ``<`` holds and is valid UTF-8 (a UTF-16 BOM pasted before UTF-8 text must not turn it
    into CJK-looking noise). A BOM not believed is dropped and the rest decoded as if it
    were not there."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            rest = data[len(bom) :]
            if enc != "utf-8" and b"\x00" not in rest and _decodes(rest, "utf-8"):
                data = rest
                break
            try:
                return rest.decode(enc), enc
            except UnicodeDecodeError:
                if enc != "utf-8":
                    return rest.decode(enc, errors="replace"), enc
            data = rest
            break
    wide = _wide_without_bom(data)
    if wide is not None:
        return wide
    declared = declared_charset(data)
    if declared and declared not in ("utf-8", "utf_8"):
        for codec in dict.fromkeys((declared, _WIDER.get(declared, declared))):  # (each once)
            try:
                return data.decode(codec), codec
            except (UnicodeDecodeError, LookupError):
                continue
    seven = seven_bit(data)
    if seven is not None:
        return data.decode(seven, errors="replace"), seven
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        utf8_error_at = e.start
    else:
        if _gbk_as_utf8(text, data):
            return data.decode("gb18030"), "gb18030"  # GBK text that happens to be valid UTF-8
        return text, "utf-8"
    if _cut_utf8(data, utf8_error_at):  # cut inside a final multi-byte character
        return data.decode("utf-8", errors="replace"), "utf-8"
    mixed = _mostly_utf8(data, utf8_error_at)
    if mixed is not None:  # a UTF-8 page with a few stretches in a legacy encoding (or corrupt bytes)
        return mixed, "utf-8"
    try:
        gb: str | None = data.decode("gb18030")
    except UnicodeDecodeError:
        gb = None
    other = other_cjk(data, gb)
    if other is not None:
        return other
    if gb is not None:
        return gb, "gb18030"
    import chardet

    guess = chardet.detect(data[:CHARDET_PREFIX]).get("encoding")
    found = _norm_codec(guess) if isinstance(guess, str) else None
    if found:
        return data.decode(found, errors="replace"), found
    return data.decode("utf-8", errors="replace"), "utf-8"


def _cut_utf8(data: bytes, error_at: int) -> bool:
    """Whether UTF-8 ``data`` fails only because it ends inside a multi-byte character: its
    last bytes from ``error_at`` open one (a lead byte and continuation bytes, too few). A
    legacy text whose one non-ASCII character stands at its end (GBK ``是`` is CA C7, a lead
    byte and no continuation byte) is not cut UTF-8."""
    tail = data[error_at:]
    if len(data) <= 16 or len(tail) >= 4:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(tail, final=False)
    except UnicodeDecodeError:
        return False
    return True


#: zero bytes a text needs at one position of its code units (and few at the others) to be
#: read as UTF-16/32 without a BOM: its spaces, newlines and markup put them there
_WIDE_MIN_ZEROS = 8
_WIDE_PROBE = 8192


def _wide_encoding(data: bytes) -> str | None:
    """The UTF-16/32 encoding that text without a BOM is in, told by where its zero bytes fall
    in the first 8 KB (ASCII characters in UTF-16-LE put one after every byte at an even
    offset, and hardly any at even offsets); None for anything else (UTF-8 and legacy text
    hold no zero bytes)."""
    head = data[:_WIDE_PROBE]
    if b"\x00" not in head:
        return None
    units = len(head) // 4
    if units < 2:
        return None
    lanes = [head[k : units * 4 : 4].count(0) for k in range(4)]
    if lanes[2] >= units * 0.9 and lanes[3] >= units * 0.9 and lanes[0] + lanes[1] < units:
        return "utf-32-le"
    if lanes[0] >= units * 0.9 and lanes[1] >= units * 0.9 and lanes[2] + lanes[3] < units:
        return "utf-32-be"
    even, odd = head[0::2].count(0), head[1::2].count(0)
    # (a CJK character whose low byte is 0, as 一 U+4E00, puts a zero on the other side)
    if odd >= _WIDE_MIN_ZEROS and even * 4 <= odd:
        return "utf-16-le"
    if even >= _WIDE_MIN_ZEROS and odd * 4 <= even:
        return "utf-16-be"
    return None


def _wide_without_bom(data: bytes) -> tuple[str, str] | None:
    """``(text, encoding)`` for UTF-16/32 text without a BOM (:func:`_wide_encoding`) that
    decodes strictly in that encoding; None otherwise."""
    enc = _wide_encoding(data)
    if enc is None:
        return None
    try:
        return data.decode(enc), enc
    except UnicodeDecodeError:
        return None


#: the opening bytes of file formats that are never a page or a text: (magic, name); none
#: is a plausible start of a text (RIFF and bzip2 are checked further in, by binary_format)
BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\x1f\x8b", "gzip data"),
    (b"PK\x03\x04", "ZIP archive (or docx, xlsx, epub)"),
    (b"%PDF-", "PDF document"),
    (b"\x7fELF", "ELF executable"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\x28\xb5\x2f\xfd", "zstd data"),
    (b"OggS\x00", "Ogg media"),
    (b"ID3\x02", "MP3 audio"),
    (b"ID3\x03", "MP3 audio"),
    (b"ID3\x04", "MP3 audio"),
    (b"\x00\x00\x00\x18ftyp", "MP4 media"),
    (b"\x00\x00\x00\x20ftyp", "MP4 media"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE document (doc, xls)"),
)
#: control bytes (C0 but tab, line ends, form feed and escape) a text's first 4 KB may hold
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_BINARY_SHARE = 0.05


def binary_format(data: bytes) -> str | None:
    """What binary data ``data`` is ("PNG image", "gzip data" ... or "binary data" when many
    of its first 4 KB are control bytes), or None for anything that may be text. UTF-16/32
    text (with or without a BOM) is text; so is UTF-8 or legacy text with a stray control
    character."""
    for magic, name in BINARY_MAGIC:
        if data.startswith(magic):
            return name
    if data.startswith(b"RIFF") and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "RIFF (WebP, WAV, AVI) data"
    if data.startswith(b"BZh") and data[4:10] == b"1AY&SY":
        return "bzip2 data"
    if seven_bit(data) is not None:  # ISO-2022-KR shifts in and out with control bytes
        return None
    head = data[:4096]
    if not head.strip(b"\x00 \t\r\n\x0c"):  # zero bytes and spaces only: an empty input, not a file
        return None
    for bom, enc in _BOMS:
        if enc != "utf-8" and head.startswith(bom):  # UTF-16/32 text decodes strictly
            body = head[len(bom) :]
            body = body[: len(body) - len(body) % 4]
            try:
                body.decode(enc)
            except UnicodeDecodeError as e:
                if e.start < len(body) - 4:  # (not a surrogate pair cut by the 4 KB window)
                    return "binary data"
            return None
    if _wide_encoding(data) is not None:  # zeros where UTF-16/32 text has them: decode() reads it
        return None
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # (a C pass; a regex takes 30 us)
    if controls > _BINARY_SHARE * len(head):
        return "binary data"
    return None


_HIGH_RUN = re.compile(rb"[\x80-\xff]+")
#: two-byte UTF-8 characters that GB2312 hanzi (rows C0-DF, second byte A1-BF) read as:
#: IPA, Greek, Cyrillic, Armenian, Hebrew, Arabic (not the Latin letters of European text)
_GBK_LOOKALIKE = "\u0250-\u07ff"
_LOOKALIKE = re.compile(f"[{_GBK_LOOKALIKE}]")
_NOT_LOOKALIKE = re.compile(f"[^\x00-\x7f{_GBK_LOOKALIKE}]")  # any other non-ASCII character


def _gbk_as_utf8(text: str, data: bytes) -> bool:
    """Whether valid UTF-8 ``data`` is GBK after all: its only non-ASCII characters are GBK
    lookalikes, and its bytes are GB2312 hanzi and punctuation throughout."""
    if text.isascii() or _NOT_LOOKALIKE.search(text):
        return False
    return bool(_LOOKALIKE.search(text)) and bool(_GB2312_ONLY.fullmatch(data))


#: after this many bad stretches, the page must have four times as many bytes of valid UTF-8
#: multi-byte characters as bad bytes to count as UTF-8 (random bytes and GBK pages have few)
_MIXED_PROBE = 16


def _utf8_extra(good: str, size: int) -> int:
    """The bytes beyond one per character that ``size`` bytes of valid UTF-8 decoded to
    ``good`` hold in multi-byte characters, GBK lookalikes not counted (a GBK page's hanzi
    may form them; only short stretches are looked at: a long valid one is UTF-8's)."""
    extra = size - len(good)
    if extra and len(good) < _LOOKALIKE_REACH:
        extra -= len(_LOOKALIKE.findall(good))
    return extra


_LOOKALIKE_REACH = 65536
#: a run of non-ASCII bytes that reads as UTF-8 with at most one bad spot for this many
#: characters of three bytes or more is UTF-8 (GBK text read as UTF-8 is bad spots and
#: two-byte lookalikes nearly throughout; a stray byte after a short run, "人。", is one spot
#: for two characters)
_RESYNC_SHARE = 2
_RESYNC_PROBE = 4096  # a run longer than this is first judged by its opening
_WIDE_CHAR = re.compile("[\u0800-\ufffc\ufffe-\U0010ffff]")


def _resync(as_utf8: str, wrong: int) -> bool:
    """Whether a run of non-ASCII bytes that is not valid UTF-8, read as UTF-8 with
    ``wrong`` replacement characters (``as_utf8``), is UTF-8 with a few bad bytes."""
    if len(as_utf8) >= 64:  # (a long run of lookalikes alone is no text: counted loosely)
        return wrong * _RESYNC_SHARE <= len(as_utf8)
    wide = len(_WIDE_CHAR.findall(as_utf8))
    return wide > 0 and wrong * _RESYNC_SHARE <= wide


def _mostly_utf8(data: bytes, first_error: int) -> str | None:
    """``data`` decoded as UTF-8 where it is valid and as GB18030 (replacement characters for
    what is neither) in each run of non-ASCII bytes that is not, unless that run is UTF-8
    with a few bad bytes in it (a replacement character for each); None when the page is not
    mostly UTF-8. Linear: each stretch is decoded once, and a page that is not UTF-8 is given
    up after :data:`_MIXED_PROBE` stretches."""
    view = memoryview(data)
    parts: list[str] = []
    pos, err = 0, first_error
    good_extra = bad = stretches = 0
    n = len(data)
    while True:
        good = codecs.utf_8_decode(view[pos:err], "strict", True)[0]
        parts.append(good)
        good_extra += _utf8_extra(good, err - pos)
        m = _HIGH_RUN.match(data, err)
        end = m.end() if m is not None else err + 1
        # a GBK character's second byte may be ASCII (0x40-0x7e): keep a pair together
        while (end - err) % 2 == 1 and end < n and 0x40 <= data[end] <= 0x7E:
            m = _HIGH_RUN.match(data, end + 1)
            end = m.end() if m is not None else end + 1
        run = data[err:end]
        # judged by its opening first: a long GBK run is not read whole as UTF-8 as well
        as_utf8 = run[:_RESYNC_PROBE].decode("utf-8", errors="replace")
        if len(run) > _RESYNC_PROBE and _resync(as_utf8, as_utf8.count("\ufffd")):
            as_utf8 = run.decode("utf-8", errors="replace")
        wrong = as_utf8.count("\ufffd")
        if _resync(as_utf8, wrong):
            # UTF-8 with a stray byte or a cut character: resynchronised past it (a run of
            # CJK text after a corrupt byte is not a GBK stretch)
            parts.append(as_utf8)
            bad += wrong
            good_extra += max(0, len(run) - wrong - len(as_utf8))
        else:
            parts.append(run.decode("gb18030", errors="replace"))
            bad += end - err
        stretches += 1
        if stretches >= _MIXED_PROBE and good_extra < 4 * bad:
            return None
        pos = end
        try:
            good = codecs.utf_8_decode(view[pos:], "strict", True)[0]
            parts.append(good)
            good_extra += _utf8_extra(good, n - pos)
            break
        except UnicodeDecodeError as e:
            err = pos + e.start
    if good_extra < bad:  # fewer valid UTF-8 characters than bad bytes: a legacy page
        return None
    return "".join(parts)


#: the commonest Chinese characters (about 550 by frequency, and words WeChat pages and
#: their notices use), simplified, and the traditional forms of those that differ: Big5 text
#: read as GB18030 (which it nearly always is, without error) shows rare characters instead
_COMMON = frozenset(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里"
    "用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实"
    "日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政"
    "美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员"
    "解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件"
    "计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象"
    "完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改"
    "收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调"
    "深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企"
    "八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列"
    "武红响虽推势参希古众构房半节土投某案黑维革划敢网络漏洞攻击软件检测防护威胁风险恶意码序微阅读创暂"
    # the traditional forms
    "這們來為說時對過現當沒還進開軍關將問應戰產話內給員論認題別數報結場計資許區隊書則難權記張該規覺術領傳"
    "師觀讓識帶導組親辦議證轉遠單羅愛擊連調質級請約線斷滿須寫稱嗎輕顯標談圖歷專費盡較語僅選紅雖勢節維絡軟"
    "檢測脅惡碼閱讀創暫個國會發後裡與學經從當種"
)

_COMMON_CHAR = re.compile("[" + "".join(sorted(_COMMON)) + "]")  # (found at C speed)


#: text whose every double-byte character is a GB2312 hanzi (rows B0-F7) or punctuation,
#: digit or letter (rows A1-A3): GB text, never Big5 (whose commonest characters and
#: punctuation have a second byte of 40-7E, or a first byte of A4-AF, outside those rows)
_GB2312_ONLY = re.compile(rb"(?:[\x00-\x7f]|[\xa1-\xa3\xb0-\xf7][\xa1-\xfe])*")
#: private-use characters: what GB18030 makes of codes no GB standard assigns (Big5's 、：（
#: among them), and no GB text holds
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


#: what the patterns below take one token at a time when no character of two bytes or
#: more starts there: a run of ASCII (one token: a page's opening is mostly script), or
#: one other byte
_ONE_BYTE = rb"|[\x00-\x7f]+|[\x80-\xff]"
#: each character of a text, matched from its start, in group 1 when it is a level-1
#: character of GB2312 (B0A1-D7FE: the 3,755 commonest simplified characters) ...
_GB_LEVEL1 = re.compile(
    rb"([\xb0-\xd7][\xa1-\xfe])|[\x81-\xfe][\x30-\x39][\x81-\xfe][\x30-\x39]|[\x81-\xfe][\x40-\xfe]" + _ONE_BYTE
)
#: ... or of another CJK standard, each a rival reading of undeclared bytes, with the
#: characters that are its level 1: Big5's A440-C67E (the 5,401 commonest traditional
#: characters); Shift_JIS's kana (82 9F-F1, 83 40-96) and level-1 kanji (889F-9872, 2,965),
#: read as its Windows form cp932; EUC-JP's kana (rows A4-A5) and level-1 kanji (rows B0-CF);
#: EUC-KR's hangul (rows B0-C8, 2,350 syllables) and hanja (rows CA-FD), read as its
#: Windows form cp949
_RIVALS: tuple[tuple[str, re.Pattern[bytes]], ...] = (
    (BIG5, re.compile(rb"([\xa4-\xc5][\x40-\x7e\xa1-\xfe]|\xc6[\x40-\x7e])|[\x81-\xfe][\x40-\xfe]" + _ONE_BYTE)),
    (
        "cp932",
        re.compile(
            rb"(\x82[\x9f-\xf1]|\x83[\x40-\x96]|\x88[\x9f-\xfc]|[\x89-\x97][\x40-\x7e\x80-\xfc]|\x98[\x40-\x72])"
            rb"|[\x81-\x9f\xe0-\xfc][\x40-\x7e\x80-\xfc]" + _ONE_BYTE
        ),
    ),
    (
        "euc_jp",
        re.compile(rb"([\xa4\xa5\xb0-\xcf][\xa1-\xfe])|\x8f[\xa1-\xfe][\xa1-\xfe]|[\x8e\xa1-\xfe][\xa1-\xfe]"
                   + _ONE_BYTE),
    ),
    ("cp949", re.compile(rb"([\xb0-\xc8\xca-\xfd][\xa1-\xfe])|[\x81-\xfe][\x41-\x5a\x61-\x7a\x81-\xfe]" + _ONE_BYTE)),
)  # fmt: skip
#: how many times GB18030's score a rival other than Big5 needs when every character is one
#: of GB2312's (the EUC standards read GB2312's bytes without error, as other characters),
#: or when the text is short: below :data:`_RIVAL_SHORT` non-ASCII characters (``介绍`` is
#: ``初府`` in EUC-JP), where it also needs two points a character
_RIVAL_MARGIN = 3
_RIVAL_SHORT = 24
_RIVAL_MIN = 4  # (fewer non-ASCII characters than this: GB's reading)
#: CJK punctuation and full-width forms (not the half-width kana and hangul beside them:
#: what Shift_JIS makes of other standards' bytes): every standard has them, no level counts them
_CJK_PUNCT = re.compile("[\u3000-\u303f\uff00-\uff60\uffe0-\uffef]")
_NON_ASCII = re.compile("[^\x00-\x7f]")


def _weigh(s: str, head: bytes, level1: re.Pattern[bytes]) -> tuple[int, bool, int]:
    """How ``s``, the reading of ``head`` in one standard, looks as CJK text, each count
    made once: its score (the commonest Chinese characters three points each, the
    standard's level-1 characters one point each, private-use characters, what a codec
    makes of codes its standard does not assign, four points off each); whether it is
    plausible (at least half its non-ASCII characters level-1 characters or CJK
    punctuation: what any text written in that standard shows, and what the bytes of
    another encoding read in it, one-byte European text or another standard's double
    bytes, do not); and how many non-ASCII characters it holds."""
    level = sum(map(bool, level1.findall(head)))
    chars = "".join(_NON_ASCII.findall(s))  # (the rest is read in these alone: a page is mostly ASCII)
    score = 3 * len(_COMMON_CHAR.findall(chars)) + level - 4 * len(_PRIVATE_USE.findall(chars))
    return score, len(chars) > 0 and 2 * (level + len(_CJK_PUNCT.findall(chars))) >= len(chars), len(chars)


def other_cjk(data: bytes, gb_text: str | None) -> tuple[str, str] | None:
    """The reading of undeclared, non-UTF-8 ``data`` in another CJK standard (Big5,
    Shift_JIS, EUC-JP, EUC-KR: :data:`_RIVALS`) with its codec, when one reads its opening
    better than GB18030 does (``gb_text``; None when the bytes are not GB18030 at all): the
    highest score (:func:`_weigh`), above GB18030's (above 0 without it). A rival must be
    plausible, but for Big5 against a GB18030 reading (Big5 and GB text share their
    layout: the score alone tells them apart). Big5 never wins over text of GB2312's codes
    only (hanzi, punctuation); the others, which read those codes without error, win there,
    or on a text of fewer than :data:`_RIVAL_SHORT` non-ASCII characters, only by
    :data:`_RIVAL_MARGIN` times GB18030's score. None when GB18030 reads it best, or when no
    rival reads the bytes without error.

    What it leaves alone: Japanese in EUC-JP and Korean in EUC-KR, whose codes GB2312's
    commonest hanzi share (EUC-KR's hangul are GB2312's level-1 rows), read as Chinese: Chinese
    text is the one this library is for."""
    head = _opening(data)
    gb2312 = gb_text is not None and _GB2312_ONLY.fullmatch(head) is not None
    gb_score: int | None = None  # (scored once a rival reads the bytes: most GB text is no rival's)
    best, found = 0, None
    for codec, level1 in _RIVALS:
        if gb2312 and codec == BIG5:
            continue
        try:
            s = head.decode(codec)
        except UnicodeDecodeError:
            continue
        score, plausible, wide = _weigh(s, head, level1)
        if (codec != BIG5 or gb_text is None) and not plausible:
            continue
        if gb_text is not None and gb_score is None:
            gb_head = gb_text if len(head) == len(data) else head.decode("gb18030", errors="replace")
            best = gb_score = _weigh(gb_head, head, _GB_LEVEL1)[0]
        # (a few characters read well in several standards; the EUC ones read GB2312's
        # bytes without error: GB's reading stands unless the rival's is far better)
        if (codec != BIG5 and (gb2312 or wide < _RIVAL_SHORT)) and (
            wide < _RIVAL_MIN or score <= _RIVAL_MARGIN * (gb_score or 0) or score < 2 * wide
        ):
            continue
        if score > best:
            best, found = score, codec
    return None if found is None else (data.decode(found, errors="replace"), found)


#: non-ASCII bytes enough to judge a declaration by (about 2,000 CJK characters)
_SAMPLE = 4096


def _sample(data: bytes) -> bytes:
    """The opening of ``data`` (:func:`_opening`) up to the first line end or ``<`` after
    its first :data:`_SAMPLE` non-ASCII bytes: a page's script-free head and first
    paragraphs, read in several standards at little cost."""
    head = _opening(data)
    seen = 0
    for start in range(0, len(head), _SAMPLE):  # (counted a chunk at a time, at C speed)
        chunk = head[start : start + _SAMPLE]
        seen += len(chunk) - len(chunk.translate(None, _HIGH_BYTES))
        if seen >= _SAMPLE:
            end = start + len(chunk)
            ends = [k for k in (head.find(b"<", end), head.find(b"\n", end)) if k > 0]
            return head[: min(ends)] if ends else head
    return head


_HIGH_BYTES = bytes(range(0x80, 0x100))


#: each CJK standard's level-1 pattern, by the codec names a declaration reads as (a
#: Shift_JIS label is read as declared, then as cp932: :data:`_WIDER`)
_LEVEL1: dict[str, re.Pattern[bytes]] = {"gb18030": _GB_LEVEL1, **dict(_RIVALS)}
_LEVEL1["shift_jis"] = _LEVEL1["cp932"]


def _belied(data: bytes, declared: str) -> bool:
    """Whether ``data``, declared in a one-byte charset (Latin-1, Windows-1252 …) or a CJK
    standard, is CJK text of another standard: its opening, read as declared, is no
    plausible text of the declared standard (:func:`_weigh`; one-byte text never is), and
    reads as plausible text of at least :data:`_RIVAL_SHORT` non-ASCII characters in
    GB18030 or one of :data:`_RIVALS` (a GBK page saved with ``charset=iso-8859-1``, a
    Big5 page labelled ``gb2312``).

    A declared Big5 reading that is plausible is belied by a plausible GB18030 reading
    that scores higher (GB text and Big5 share their layout, and a short GB text may read
    as plausible Big5; Big5 text never reads as plausible GB18030).

    An opening that does not decode as declared is no plausible reading (the parts of the
    page read alone, its title, may decode all the same, into other characters).

    What it leaves alone: other declarations (UTF-8 and the rest are read as declared),
    and other mislabelled pages whose wrong reading is plausible too (GBK bytes labelled
    EUC-KR read as hangul: the two standards share their layout)."""
    own = _LEVEL1.get(declared)
    if own is None and not _one_byte(declared):
        return False
    head = _sample(data)
    if head.isascii():
        return False
    own_score: int | None = None  # (None: no plausible reading as declared)
    if own is not None:
        try:  # (Big5 by Python's own codec: :data:`BIG5`'s fallbacks take 20 times as long)
            own_score, plausible, _ = _weigh(head.decode("big5" if declared == BIG5 else declared), head, own)
        except UnicodeDecodeError:
            plausible = False  # (the parts of a page read alone might decode: the title)
        if not plausible:
            own_score = None
        elif declared != BIG5:
            return False
    for codec, level1 in _LEVEL1.items():
        if codec in (declared, _WIDER.get(declared), "shift_jis") or (own_score is not None and codec != "gb18030"):
            continue  # (the declared standard, and Shift_JIS, read as cp932 in its turn)
        try:
            s = head.decode("big5" if codec == BIG5 else codec)
        except UnicodeDecodeError:
            continue
        score, plausible, wide = _weigh(s, head, level1)
        # (GB text labelled Big5 may read as plausible Big5 too: there, as in other_cjk,
        # the score tells them apart; Big5 text never reads as plausible GB18030)
        if plausible and wide >= _RIVAL_SHORT and (own_score is None or (codec == "gb18030" and score > own_score)):
            return True
    return False
