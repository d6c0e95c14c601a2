"""Byte decoding: BOM, declared charset, strict UTF-8, GB18030, chardet last."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

import wxclean
from wxclean.sources.decode import (
    _RIVALS,
    BIG5,
    _one_byte,
    _opening,
    _weigh,
    declared_charset,
    decode,
    other_cjk,
    sniff,
)


def test_bom() -> None:
    assert decode(codecs.BOM_UTF8 + "中文".encode()) == ("中文", "utf-8")
    assert decode(codecs.BOM_UTF16_LE + "中文".encode("utf-16-le"))[0] == "中文"


def test_declared_charset_wins() -> None:
    page = '<html><head><meta charset="gbk"></head><body>中文</body></html>'.encode("gbk")
    assert declared_charset(page) == "gb18030"
    assert decode(page)[0].endswith("中文</body></html>")


def test_http_equiv() -> None:
    page = b'<meta http-equiv="Content-Type" content="text/html; charset=GB2312">'
    assert declared_charset(page) == "gb18030"
    assert sniff(page) == "gb18030"


def test_undeclared_utf8() -> None:
    assert decode("<p>中文</p>".encode()) == ("<p>中文</p>", "utf-8")


def test_undeclared_gbk() -> None:
    text = "<html><body><div id='js_content'><p>这是一个没有声明编码的中文页面。</p></div></body></html>"
    out, enc = decode(text.encode("gbk"))
    assert out == text and enc == "gb18030"
    art = wxclean.clean(text.encode("gbk"))
    assert "没有声明编码" in art.text


def test_garbage_never_raises() -> None:
    out, _ = decode(bytes(range(256)) * 10)
    assert isinstance(out, str)


TEXT = "标题\n\n这是一段正文，包含中文。\n"


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF16_LE + TEXT.encode("utf-8"),  # a UTF-16 BOM pasted before UTF-8 text
        codecs.BOM_UTF16_BE + TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("gbk"),  # a UTF-8 BOM before GBK bytes
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),  # the real thing
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"),
    ],
)
def test_a_bom_is_believed_only_when_the_bytes_after_it_agree(data: bytes) -> None:
    assert decode(data)[0] == TEXT


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_a_bom(encoding: str) -> None:
    """Told by where the zero bytes of its spaces and newlines fall; checked by a strict decode."""
    # 一 (U+4E00) has a zero low byte: it puts a zero on the other side too
    text = "# 第一期周报\n\n作者：张三 2024-05-01\n\n" + TEXT * 3 + "详见 https://example.com/a。\n"
    assert decode(text.encode(encoding)) == (text, encoding)


def test_a_page_without_a_bom_in_utf16_has_its_utf8_title() -> None:
    page = (
        "<html><head><meta charset='utf-16le'><title>x</title></head><body>"
        "<h1 id='activity-name'>宽字符标题</h1><div id='js_content'><p>正文第一段。</p></div></body></html>"
    )
    want = wxclean.clean(page.encode("utf-8"))
    got = wxclean.clean(page.encode("utf-16-le"))
    assert (got.title, got.text) == (want.title, want.text) == ("宽字符标题", "正文第一段。")


def test_nul_bytes_in_utf8_text_are_no_utf16() -> None:
    data = ("正文\x00" * 20).encode("utf-8")
    assert decode(data)[1] == "utf-8"


@pytest.mark.parametrize(
    "text", ["ID3 标签是 MP3 的元数据。", "BZh 开头的一行字。", "RIFF is a word too.", "GIF 动图的一段介绍。"]
)
def test_text_that_opens_like_a_file_format_is_text(text: str) -> None:
    a = wxclean.clean(text.encode("utf-8"))
    assert a.status == "ok" and a.text == text


def test_utf16_with_a_surrogate_pair_across_the_probe_is_text() -> None:
    text = "a" * 4093 + "😀" + "正文" * 50
    assert decode(text.encode("utf-16-le")) == (text, "utf-16-le")
    assert wxclean.clean(text.encode("utf-16-le")).status == "ok"


# --- Big5: the codes its variants read differently ---------------------------------------

BIG5_TITLE = "第①期：廣告與廣州～年終特輯•新版"  # ① C7E9 (big5, cp950) or C6A1 (HKSCS); ～ A1E3


@pytest.mark.parametrize("encoder", ["big5", "cp950", "big5hkscs"])
@pytest.mark.parametrize("declared", [True, False])
def test_big5_pages_read_circled_numbers_tildes_and_dots_as_written(encoder: str, declared: bool) -> None:
    """Each Big5 encoder puts ① (and HKSCS its simplified 广) where another has kana, and
    cp950 writes ～ where big5 reads ∼: the page gives back the title it was written with."""
    title = BIG5_TITLE + ("广" if encoder == "big5hkscs" else "")
    head = '<meta charset="big5">' if declared else ""
    body = "<p>" + "這是正文的第一段，講述了一個關於編碼的故事。" * 10 + "</p>"
    html = (
        f'<html><head>{head}<meta property="og:title" content="{title}"></head><body>'
        f'<h1 id="activity-name">{title}</h1><div id="js_content">{body}</div></body></html>'
    )
    try:
        data = html.encode(encoder)
    except UnicodeEncodeError:  # big5 has no ～: written as a character reference
        data = html.encode(encoder, "xmlcharrefreplace")
    art = wxclean.clean(data)
    assert art.title == title
    assert "這是正文的第一段" in art.text


@pytest.mark.parametrize("encoder", ["big5", "cp950", "big5hkscs"])
def test_big5_dump_reads_as_written(encoder: str) -> None:
    text = f"# {BIG5_TITLE}\n\n①這是正文的第一段，講述了一個故事。\n\n②這是正文的第二段～\n"
    if encoder != "cp950":  # only cp950 has ～
        text = text.replace("～", "")
    assert decode(text.encode(encoder))[0] == text
    assert wxclean.clean(text.encode(encoder)).title == wxclean.clean(text).title


def test_big5_codec_reads_any_bytes_like_object() -> None:
    """The codec machinery may hand the decoder a memoryview or a bytearray, not bytes."""
    data = "①這是正文～".encode("cp950")
    want = data.decode("wxclean-big5")
    assert codecs.decode(memoryview(data), "wxclean-big5") == want
    assert bytearray(data).decode("wxclean-big5") == want
    assert str(memoryview(data), "wxclean-big5") == want


def test_big5_codec_strict_and_replace() -> None:
    assert "～".encode("cp950").decode("wxclean-big5") == "～"
    with pytest.raises(UnicodeDecodeError):
        b"\x81\x30abc".decode("wxclean-big5")
    assert b"\x81\x30abc".decode("wxclean-big5", "replace").endswith("abc")


# --- short legacy texts: the few characters there are tell the encoding -------------------


@pytest.mark.parametrize(
    "text",
    [
        "client_version 为",  # GBK 为 (CE AA) is valid UTF-8 (Ϊ)
        "1.为什么要抓取app日志",  # valid UTF-8 (Greek, Cyrillic) up to 日志
        "系统：Windows server",
        "Apache Struts2 是",  # the one GBK character at the end: no cut UTF-8 character
        "# 闭环\n",  # GB2312 hanzi only: never Big5, whatever Big5 makes of them
        "## 介绍",  # EUC-JP reads the same bytes as 初府, common characters both
        "## 群晖",  # EUC-KR: hanja
        "**概述**",
        "值。",
    ],
)
def test_short_gbk_text_reads_as_gbk(text: str) -> None:
    assert decode(text.encode("gbk")) == (text, "gb18030")


@pytest.mark.parametrize(
    "text",
    [
        "1、Adobe Commerce",  # Big5 、 is a private-use code to GB18030
        "CVE-2024-8963：Ivanti",
        "0x01 背景",  # Big5 level-1 characters, GB18030's rare ones
        "webshell到域控",
    ],
)
def test_short_big5_text_reads_as_big5(text: str) -> None:
    assert decode(text.encode("big5"))[0] == text


#: a Chinese paragraph written in a Japanese or Korean standard, the characters it lacks as
#: character references (as a browser saves a page): undeclared, GB18030 reads those bytes
#: without error as rare characters
CHINESE = "微信公众号文章的标题：编码测试。这是正文的第一段，讲述了一个关于编码的故事，我们在这里说明问题。"


@pytest.mark.parametrize("encoding", ["shift_jis", "cp932", "euc_jp", "euc_kr", "cp949"])
@pytest.mark.parametrize("times", [1, 4])
def test_undeclared_chinese_in_a_japanese_or_korean_standard_reads_as_written(encoding: str, times: int) -> None:
    data = (CHINESE * times).encode(encoding, "xmlcharrefreplace")
    text = decode(data)[0]
    assert text == data.decode(encoding)
    assert "&#" in text and "信" in text  # (some characters written as references, some not)


@pytest.mark.parametrize("encoding", ["shift_jis", "cp932"])
def test_undeclared_japanese_in_shift_jis_reads_as_written(encoding: str) -> None:
    text = "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。"
    assert decode(text.encode(encoding))[0] == text


_GERMAN = ("Größere Übungen fördern die Qualität. " * 4).encode("cp1252")


@pytest.mark.parametrize(
    "data,codec,plausible",
    [
        (CHINESE.encode("cp932", "xmlcharrefreplace"), "cp932", True),
        (CHINESE.encode("euc_jp", "xmlcharrefreplace"), "euc_jp", True),
        (CHINESE.encode("cp949", "xmlcharrefreplace"), "cp949", True),
        (CHINESE.encode("big5", "xmlcharrefreplace"), BIG5, True),
        # German in Windows-1252 reads without error in Big5 and Shift_JIS (ö and ß are a
        # Shift_JIS private-use code, ä and t a kanji), as their rare characters
        (_GERMAN, BIG5, False),
        (_GERMAN, "cp932", False),
        # EUC-JP's double bytes are Shift_JIS's half-width kana and rarer kanji
        ("Webpack站点分析的思路主要以下两点：".encode("euc_jp"), "cp932", False),
    ],
)
def test_a_reading_is_plausible_when_half_its_characters_are_its_standards_commonest(
    data: bytes, codec: str, plausible: bool
) -> None:
    level1 = dict(_RIVALS)[codec]
    assert _weigh(data.decode(codec), data, level1)[1] is plausible


def test_a_rival_reading_of_one_byte_text_is_not_taken() -> None:
    assert other_cjk(_GERMAN, _GERMAN.decode("gb18030")) is None
    assert other_cjk(_GERMAN, None) is None


@pytest.mark.parametrize(
    "text,encoding",
    [("Le cœur a ses raisons que la raison ne connaît point. Élève, déjà, où est l'hôtel ? " * 4, "cp1252"),
     ("Съешь же ещё этих мягких булок. " * 4, "koi8-r")],
)  # fmt: skip
def test_one_byte_european_text_that_is_no_gb18030_stays_itself(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding))[0] == text


@pytest.mark.parametrize("text", ["café au lait", "Ελληνικά", "Привет мир", "naïve résumé ×2 · 3"])
def test_utf8_latin_greek_cyrillic_stay_utf8(text: str) -> None:
    assert decode(text.encode()) == (text, "utf-8")


@pytest.mark.parametrize("cut", [1, 2])
def test_utf8_cut_inside_its_last_character_stays_utf8(cut: int) -> None:
    data = "# 标题\n\n这是正文的第一段，讲述了一个故事。".encode()[:-cut]
    text, enc = decode(data)
    assert enc == "utf-8" and text.startswith("# 标题\n\n这是正文的第一段") and text.endswith("\ufffd")


# --- 7-bit encodings, undeclared: all ASCII bytes, told by their escapes -----------------

TITLE_7BIT = "微信公众号文章的标题：编码测试"


def _page(title: str) -> str:
    return (
        f'<html><head><meta property="og:title" content="{title}"></head><body>'
        f'<h1 id="activity-name">{title}</h1><div id="js_content"><p>这是正文的第一段。</p></div></body></html>'
    )


@pytest.mark.parametrize("encoding", ["hz", "iso2022_jp_2"])
def test_undeclared_seven_bit_chinese_page_and_dump(encoding: str) -> None:
    page = wxclean.clean(_page(TITLE_7BIT).encode(encoding))
    assert (page.title, page.text) == (TITLE_7BIT, "这是正文的第一段。")
    dump = f"# {TITLE_7BIT}\n\n这是正文的第一段，讲述了一个故事。\n".encode(encoding)
    assert wxclean.clean(dump).title == TITLE_7BIT
    assert decode(dump[:-4])[0].startswith(f"# {TITLE_7BIT}\n\n这是正文")  # cut short: what is there


@pytest.mark.parametrize(
    ("encoding", "title", "body"),
    [("iso2022_jp", "日本語のタイトル", "本文です。"), ("iso2022_kr", "한국어 제목입니다", "본문입니다.")],
)
def test_undeclared_iso2022_dump_is_text_in_its_encoding(encoding: str, title: str, body: str) -> None:
    art = wxclean.clean(f"# {title}\n\n{body}\n".encode(encoding))  # ISO-2022-KR: SO/SI bytes, not binary
    assert (art.title, art.text, art.status) == (title, body, "ok")


@pytest.mark.parametrize("data", [b"use ~{ and ~} in HZ text\n", b"\x1b[31mred\x1b[0m text\n", b"a ~{abc~} b\n"])
def test_ascii_with_tildes_and_ansi_escapes_stays_ascii(data: bytes) -> None:
    assert decode(data) == (data.decode("ascii"), "utf-8")


# --- declarations: as browsers read them, and not where the bytes belie them -------------


@pytest.mark.parametrize("label", ["iso-8859-1", "latin1", "koi8-r", "mac-roman", "iso-8859-5"])
def test_a_one_byte_declaration_over_utf8_chinese_is_not_believed(label: str) -> None:
    page = _page(TITLE_7BIT).replace("<head>", f'<head><meta charset="{label}">')
    assert wxclean.clean(page.encode()).title == TITLE_7BIT


@pytest.mark.parametrize(
    ("encoding", "one_byte"),
    [("iso8859-1", True), ("cp1252", True), ("koi8-r", True), ("utf-8", False), ("gbk", False), ("big5", False)],
)
def test_one_byte_codecs_are_told_from_multi_byte_ones(encoding: str, one_byte: bool) -> None:
    """UTF-8 reads each of the 128 high bytes alone as one U+FFFD, as a one-byte codec reads
    it as one character; a UTF-8 character's two bytes tell them apart (a UTF-8 declaration
    then needs no check of the bytes under it)."""
    assert _one_byte(encoding) is one_byte


def test_a_true_latin1_declaration_is_believed() -> None:
    page = '<html><head><meta charset="iso-8859-1"><meta property="og:title" content="Café crème"></head>'
    page += '<body><div id="js_content"><p>Voilà un café.</p></div></body></html>'
    art = wxclean.clean(page.encode("latin-1"))
    assert (art.title, art.text) == ("Café crème", "Voilà un café.")


def _declared_page(label: str, title: str, body: str) -> str:
    return _page(title).replace("<head>", f'<head><meta charset="{label}">').replace("这是正文的第一段。", body)


_BODY = "这是正文的第一段，讲述了一个关于编码的故事。"


@pytest.mark.parametrize(
    ("encoding", "label"),
    [("gbk", "iso-8859-1"), ("gbk", "windows-1252"), ("gbk", "koi8-r"), ("gb18030", "big5"), ("big5", "gb2312"),
     ("cp932", "gbk"), ("cp949", "gb2312"), ("big5", "iso-8859-1")],
)  # fmt: skip
def test_chinese_under_a_declaration_its_bytes_belie_reads_as_written(encoding: str, label: str) -> None:
    """A page whose bytes are Chinese in one standard, declared in a one-byte charset or in a
    CJK standard that reads them as no plausible text (a GBK page saved with
    ``charset=iso-8859-1``, Big5 labelled ``gb2312``), is read as if undeclared."""
    title = TITLE_7BIT if encoding != "big5" else "微信公眾號文章的標題：編碼測試"
    body = _BODY if encoding != "big5" else "這是正文的第一段，講述了一個關於編碼的故事。"
    data = _declared_page(label, title, body).encode(encoding, "xmlcharrefreplace")  # (what cp932 lacks)
    assert declared_charset(data) is None
    art = wxclean.clean(data)
    assert (art.title, art.text) == (title, body)
    assert decode(data)[0] == data.decode(encoding)


def test_gb_text_labelled_big5_that_reads_as_plausible_big5_too_reads_as_gb() -> None:
    """GB and Big5 share their layout: GB text may read as plausible Big5 (half its
    characters Big5's commonest); under a Big5 label, GB18030's reading wins by its score."""
    body = "发现并提交了VS Code中的一个本地命令执行漏洞(CVE-2019-1414)，并于最近披露。1.39版本之前的VS Code受影响。"
    data = _declared_page("big5", "本地命令执行漏洞", body).encode("gbk")
    big5 = _opening(data).decode(BIG5)
    assert _weigh(big5, _opening(data), _RIVALS[0][1])[1]  # (a plausible Big5 reading)
    assert declared_charset(data) is None
    art = wxclean.clean(data)
    assert (art.title, art.text) == ("本地命令执行漏洞", body)


@pytest.mark.parametrize(
    ("encoding", "label", "title", "body"),
    [("euc_kr", "euc-kr", "한국어 제목입니다 그리고 더 긴 제목", "본문입니다. 한국어로 쓴 글의 첫 번째 단락입니다."),
     ("euc_jp", "euc-jp", "日本語のタイトルです、少し長めに", "本文です。日本語で書かれた記事の最初の段落です。"),
     ("shift_jis", "shift_jis", "日本語のタイトルです、少し長めに", "本文です。日本語で書かれた記事の最初の段落です。"),
     ("gbk", "euc-kr", TITLE_7BIT, _BODY)],
)  # fmt: skip
def test_a_declaration_whose_reading_is_plausible_is_believed(encoding: str, label: str, title: str, body: str) -> None:
    """Korean and Japanese under their own declarations, which GB18030 would read as Chinese
    (EUC-KR's hangul are GB2312's level-1 rows), stay as declared; so does a GBK page
    labelled EUC-KR, which reads as plausible hangul (the one mislabelling not undone)."""
    data = _declared_page(label, title, body).encode(encoding)
    assert declared_charset(data) is not None
    text = decode(data)[0]
    assert (title in text and body in text) is (encoding != "gbk")


@pytest.mark.parametrize(
    ("label", "codec"),
    [("chinese", "gb18030"), ("csgb2312", "gb18030"), ("windows-936", "gb18030"), ("euc-kr", "cp949"),
     ("windows-949", "cp949"), ("windows-31j", "cp932"), ("unicode-1-1-utf-8", "utf-8")],
)  # fmt: skip
def test_charset_labels_read_as_browsers_read_them(label: str, codec: str) -> None:
    assert declared_charset(f'<meta charset="{label}">'.encode()) == codec


def test_declared_shift_jis_holding_windows_characters_reads_as_cp932() -> None:
    page = '<meta charset="shift_jis"><p>①〜日本語</p>'
    assert decode(page.encode("cp932"))[0] == page.replace("〜", "～")  # cp932 writes its ～ there
    assert decode('<meta charset="shift_jis"><p>〜日本語</p>'.encode("shift_jis"))[0].endswith("〜日本語</p>")


@pytest.mark.parametrize("label", ["utf-16", "utf-16le", "utf-32"])
def test_a_utf16_declaration_in_ascii_bytes_reads_as_utf8(label: str) -> None:
    page = _page(TITLE_7BIT).replace("<head>", f'<head><meta charset="{label}">')
    for data in (page.encode(), page.encode() + b" "):  # (an even and an odd number of bytes)
        assert wxclean.clean(data).title == TITLE_7BIT


@pytest.mark.parametrize("where", [0, 1, 2])
def test_a_stray_byte_in_utf8_chinese_spoils_one_character_not_the_run_after_it(where: int) -> None:
    """Chinese text is one long run of non-ASCII bytes: a corrupt byte inside it is read
    past (a replacement character), not taken for the start of a GBK stretch."""
    para = "这是正文的第一段，讲述了一个关于编码的故事。" * 2000
    data = ("<html><body><div id='js_content'><p>" + para + "</p></div></body></html>").encode()
    k = len("<html><body><div id='js_content'><p>") + 3 * (1 + 1500 * where)  # between two characters
    text, enc = decode(data[:k] + b"\xff" + data[k:] + b"\xfe")
    assert enc == "utf-8"
    assert text.count("讲述了一个关于编码的故事") >= 1999 and text.count("\ufffd") <= 3


@pytest.mark.parametrize("after", [0, 2])
def test_a_stray_byte_next_to_a_short_run_is_read_past(after: int) -> None:
    # the run of non-ASCII bytes from the bad one to the line's end is "人。": UTF-8, not GBK
    text = "# 标题\n\n" + "做一个热心受欢迎的人。\n\n" * 3 + "最后一段。\n"
    k = text.index("人。") + after
    data = text[:k].encode() + b"\xff" + text[k:].encode()
    assert decode(data) == (text[:k] + "\ufffd" + text[k:], "utf-8")


# --- text that is UTF-8 read as Latin-1 (a crawler's default for an undeclared page) -------


def test_utf8_read_as_latin1_is_read_as_the_utf8_it_was() -> None:
    page = _page(TITLE_7BIT)
    mangled = page.encode().decode("latin-1")
    assert wxclean.clean(mangled).title == TITLE_7BIT
    dump = f"# {TITLE_7BIT}\n\n这是正文的第一段，讲述了一个故事。\n"
    assert wxclean.clean(dump.encode().decode("latin-1")).text == "这是正文的第一段，讲述了一个故事。"
    twice = dump.encode().decode("latin-1").encode()  # and written out again as UTF-8
    assert wxclean.clean(twice).title == TITLE_7BIT


def _c1_controls(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeDecodeError)
    return "".join(map(chr, exc.object[exc.start : exc.end])), exc.end


codecs.register_error("test-c1-controls", _c1_controls)


def as_browsers_read_1252(data: bytes) -> str:
    """``data`` decoded as browsers read windows-1252 (WHATWG): cp1252, with the five bytes
    it leaves undefined (81 8D 8F 90 9D) as the C1 controls of the same number."""
    return data.decode("cp1252", "test-c1-controls")


def test_utf8_read_as_browsers_read_windows_1252_is_mended() -> None:
    """Python's cp1252 fails on a fifth of UTF-8's continuation bytes and never yields such
    text; a browser yields C1 controls for them, which are read back as their bytes."""
    body = "丁香园的第一段正文，讲述了一个故事。"  # 丁: E4 B8 81
    mangled = as_browsers_read_1252(f"# {TITLE_7BIT}\n\n{body}\n".encode())
    assert "\x81" in mangled
    art = wxclean.clean(mangled)
    assert (art.title, art.text) == (TITLE_7BIT, body)
    page = as_browsers_read_1252(_page(TITLE_7BIT).replace("这是", "丁香园").encode())
    assert wxclean.clean(page).title == TITLE_7BIT


@pytest.mark.parametrize("text", ["Café crème, voilà.", "Ã© is how é looks when mangled", "naïve", "a\x81b€"])
def test_latin_text_is_not_mended(text: str) -> None:
    from wxclean.api import unmangled

    assert unmangled(text) == text


# --- over the corpus: every dump written in each legacy encoding reads back as written ----

_CORPUS_MD = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "md"


@pytest.mark.skipif(not _CORPUS_MD.exists(), reason="evaluation corpus not present")
@pytest.mark.parametrize("encoding", ["gbk", "big5", "hz", "iso2022_jp_2", "shift_jis", "euc_kr", "cp949"])
def test_every_corpus_dump_in_a_legacy_encoding_decodes_as_written(encoding: str) -> None:
    """Each dump written in ``encoding`` (what it cannot hold left out) and given undeclared
    decodes to what that encoding wrote (Big5's A1E3 as ～, the character Chinese text means)."""
    wrong = []
    for path in sorted(_CORPUS_MD.glob("*.md")):
        data = path.read_text("utf-8").encode(encoding, "ignore")
        expected = data.decode(encoding)
        if expected.isascii():  # (nothing the encoding could hold but ASCII)
            continue
        if encoding == "big5":
            expected = expected.replace("\u223c", "\uff5e")
        if decode(data)[0] != expected:
            wrong.append(path.name)
    assert wrong == []


@pytest.mark.skipif(not _CORPUS_MD.exists(), reason="evaluation corpus not present")
def test_every_long_corpus_dump_in_euc_jp_decodes_as_written() -> None:
    """EUC-JP writes Chinese text in GB2312's rows, and GB18030 reads those bytes without
    error: a text of 100 non-ASCII characters or more tells the two apart (the commonest
    characters of the one reading against the rare ones of the other); a shorter one reads
    as GB unless its EUC-JP reading is far better."""
    wrong = []
    for path in sorted(_CORPUS_MD.glob("*.md")):
        data = path.read_text("utf-8").encode("euc_jp", "ignore")
        expected = data.decode("euc_jp")
        if sum(1 for ch in expected if not ch.isascii()) >= 100 and decode(data)[0] != expected:
            wrong.append(path.name)
    assert wrong == []


@pytest.mark.skipif(not _CORPUS_MD.exists(), reason="evaluation corpus not present")
def test_every_corpus_dump_read_as_browsers_read_windows_1252_is_mended() -> None:
    wrong = []
    for path in sorted(_CORPUS_MD.glob("*.md")):
        data = path.read_bytes()
        mangled = as_browsers_read_1252(data)
        a, b = wxclean.clean(data), wxclean.clean(mangled)
        if (a.title, a.text) != (b.title, b.text):
            wrong.append(path.name)
    assert wrong == []
