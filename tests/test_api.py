"""The public API: types, errors, levels, pipelines, user filters and the Article's dict."""

from __future__ import annotations

import dataclasses
import json
import pickle
from datetime import timedelta
from pathlib import Path

import pytest

import wxclean
from wxclean import Block, Document, Filter, Pipeline
from wxclean.api import read

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "seed-cncert-2024w47.md"

DUMP = "\n".join(
    [
        "---",
        "title: 周报第47期",
        "url: https://mp.weixin.qq.com/s?__biz=MzIw&mid=1&idx=1&sn=abc&chksm=ff#rd",
        "source: 国家互联网应急中心CNCERT",
        "date: 2024-11-27",
        "---",
        "",
        "# 周报第47期",
        "",
        "![cover_image](https://mmbiz.qpic.cn/sz_mmbiz_jpg/COVER/0?wx_fmt=jpeg)",
        "",
        "# 周报第47期",
        "",
        "原创",
        "",
        "CNCERT",
        "",
        "国家互联网应急中心CNCERT",
        "",
        "本周网络安全基本态势",
        "",
        "本周，互联网网络安全态势整体评价为良。",
        "",
        "![](https://mmbiz.qpic.cn/sz_mmbiz_png/FIG/640?wx_fmt=png&from=appmsg)",
        "",
        "详见[报告全文](https://www.cert.org.cn/report.html)。",
        "",
        "**点击蓝字 关注我们**",
        "",
        "预览时标签不可点",
        "",
        "微信扫一扫",
        "关注该公众号",
        "",
        "知道了",
        "",
        "取消",
        "允许",
    ]
)

FIELDS = [
    "text",
    "markdown",
    "title",
    "account",
    "author",
    "published",
    "original",
    "source_account",
    "kind",
    "status",
    "truncated",
    "url",
    "cover",
    "images",
    "links",
    "removed",
]


@pytest.mark.parametrize("bad", [None, 42, 3.5, ["<html>"], {"html": ""}, object()])
def test_non_text_input_raises_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="str or bytes"):
        wxclean.clean(bad)  # type: ignore[arg-type]


def test_unknown_level_raises_value_error() -> None:
    with pytest.raises(ValueError, match="level"):
        wxclean.clean(DUMP, level="aggressive")


def test_str_and_bytes_give_the_same_article() -> None:
    assert wxclean.clean(DUMP).to_dict() == wxclean.clean(DUMP.encode("utf-8")).to_dict()


def test_gbk_bytes_decode_like_utf8() -> None:
    """A dump saved as GBK (no declaration) reads the same as its UTF-8 twin."""
    assert wxclean.clean(DUMP.encode("gb18030")).text == wxclean.clean(DUMP).text


def test_article_fields_and_metadata() -> None:
    art = wxclean.clean(DUMP)
    assert art.title == "周报第47期"
    assert art.account == "国家互联网应急中心CNCERT"
    assert art.author == "CNCERT"
    assert art.original is True
    assert art.published is not None and art.published.utcoffset() == timedelta(hours=8)
    assert art.cover == "https://mmbiz.qpic.cn/sz_mmbiz_jpg/COVER/0?wx_fmt=jpeg"
    assert art.url is not None and "__biz=MzIw" in art.url
    paragraphs = ["本周网络安全基本态势", "本周，互联网网络安全态势整体评价为良。", "详见报告全文。"]
    assert art.text.split("\n\n") == paragraphs
    assert [i.url for i in art.images] == ["https://mmbiz.qpic.cn/sz_mmbiz_png/FIG/640?wx_fmt=png&from=appmsg"]
    assert [(link.url, link.text) for link in art.links] == [("https://www.cert.org.cn/report.html", "报告全文")]
    assert art.markdown.startswith("# 周报第47期\n\n本周网络安全基本态势")
    assert "[报告全文](https://www.cert.org.cn/report.html)" in art.markdown


def test_to_dict_is_json_safe_with_exact_keys() -> None:
    d = wxclean.clean(DUMP).to_dict()
    assert list(d) == FIELDS
    assert d["published"] == "2024-11-27T00:00:00+08:00"
    json.dumps(d, ensure_ascii=False)  # must not raise
    assert all({"filter", "reason", "text"} <= set(r) for r in d["removed"])


def test_article_is_immutable() -> None:
    art = wxclean.clean(DUMP)
    with pytest.raises(dataclasses.FrozenInstanceError):
        art.text = "x"  # type: ignore[misc]


def test_every_removal_is_recorded_with_filter_and_reason() -> None:
    art = wxclean.clean(DUMP)
    names = set(wxclean.default_pipeline().names)
    assert art.removed and all(r.filter in names and r.reason for r in art.removed)
    assert art.explain()["page_tail"] >= 5
    assert "点击蓝字 关注我们" not in art.text
    assert any(r.filter == "call_to_action" for r in art.removed)


def test_minimal_level_keeps_editorial() -> None:
    art = wxclean.clean(DUMP, level="minimal")
    assert "点击蓝字 关注我们" in art.text
    assert "预览时标签不可点" not in art.text


def test_pipeline_names_without_and_add() -> None:
    p = wxclean.default_pipeline()
    assert len(set(p.names)) == len(p.names)
    assert "call_to_action" in p.names and "call_to_action" not in wxclean.default_pipeline("minimal").names
    q = p.without("call_to_action")
    assert "call_to_action" not in q.names and "call_to_action" in p.names  # p is unchanged
    assert "点击蓝字 关注我们" in wxclean.clean(DUMP, pipeline=q).text
    with pytest.raises(KeyError):
        p.without("no_such_filter")
    with pytest.raises(ValueError, match="duplicate"):
        p.add(p.filters[0])


def test_user_filter_with_block_filter_decorator() -> None:
    @wxclean.block_filter("no_reports", reason="a line pointing to the full report")
    def no_reports(block: Block, doc: Document) -> bool:
        return "报告全文" in block.text

    p = wxclean.default_pipeline().add(no_reports, after="page_tail")
    assert p.names.index("no_reports") == p.names.index("page_tail") + 1
    art = wxclean.clean(DUMP, pipeline=p)
    assert "详见报告全文。" not in art.text
    assert [(r.filter, r.reason) for r in art.removed if r.filter == "no_reports"] == [
        ("no_reports", "a line pointing to the full report")
    ]


def test_user_filter_as_plain_function() -> None:
    def drop_all_images(doc: Document) -> Document:
        return doc.drop((i for i, b in enumerate(doc.blocks) if b.kind == "image"), "drop_images", "no images wanted")

    p = wxclean.default_pipeline().add(Filter("drop_images", drop_all_images, "every image"))
    assert wxclean.clean(DUMP, pipeline=p).images == ()


def test_a_settling_filter_runs_again_once_a_later_filter_removed_its_neighbour() -> None:
    # "x" goes only when the block after it is "end"; "y" stands between them until a later filter drops it
    def drop_x_before_end(doc: Document) -> Document:
        blocks = doc.blocks
        drops = [i for i in range(len(blocks) - 1) if blocks[i].text == "x" and blocks[i + 1].text == "end"]
        return doc.drop(drops, "x_before_end", "x right before end")

    def drop_y(doc: Document) -> Document:
        return doc.drop([i for i, b in enumerate(doc.blocks) if b.text == "y"], "drop_y", "y")

    doc = read("x\n\ny\n\nend")
    for settles, gone in ((False, ["y"]), (True, ["y", "x"])):
        p = Pipeline((Filter("x_before_end", drop_x_before_end, "x", settles=settles), Filter("drop_y", drop_y, "y")))
        assert [r.text for r in p.run(doc).removed] == gone
        steps = [name for name, _ in p.explain(doc)]
        assert steps == (["x_before_end", "drop_y", "x_before_end"] if settles else ["x_before_end", "drop_y"])


def test_pipeline_rejects_non_filters() -> None:
    with pytest.raises(TypeError):
        Pipeline((lambda d: d,))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Pipeline"):
        wxclean.clean(DUMP, pipeline=[])  # type: ignore[arg-type]


def test_articles_and_pipelines_pickle() -> None:
    art = wxclean.clean(DUMP)
    assert pickle.loads(pickle.dumps(art)) == art
    p = wxclean.default_pipeline()
    assert pickle.loads(pickle.dumps(p)).names == p.names


@pytest.mark.parametrize("source", ["", "   \n\n", b"", b"\xff\xfe\x00"])
def test_empty_input_is_an_empty_article(source: str | bytes) -> None:
    art = wxclean.clean(source)
    assert art.text == "" and art.status == "empty"


def test_html_input_returns_an_article() -> None:
    art = wxclean.clean("<html><body><div id='js_content'><p>正文</p></div></body></html>")
    assert isinstance(art, wxclean.Article)
    assert "正文" in art.text


def test_shipped_example_cleans() -> None:
    art = wxclean.clean(EXAMPLE.read_bytes())
    assert art.account == "国家互联网应急中心CNCERT" and art.status == "ok"
    assert "预览时标签不可点" not in art.text and "本周网络安全基本态势" in art.text


def test_max_bytes_cleans_the_first_part_and_marks_it_truncated() -> None:
    dump = "# 标题\n\n" + "".join(f"第{i}段正文。\n\n" for i in range(2000))
    whole = wxclean.clean(dump, max_bytes=None)
    part = wxclean.clean(dump, max_bytes=1000)
    assert whole.truncated is False and part.truncated is True
    assert part.text and whole.text.startswith(part.text)
    assert part.text.splitlines()[-1].endswith("。")  # cut at a line boundary, not mid-line
    with pytest.raises(ValueError, match="max_bytes"):
        wxclean.clean(dump, max_bytes=0)


def test_max_parts_reads_the_first_lines_of_a_dump_and_marks_it_truncated() -> None:
    dump = "".join(f"第{i}段正文。\n\n" for i in range(100))
    part = wxclean.clean(dump, max_parts=10)
    assert part.truncated is True and part.text.split("\n\n") == [f"第{i}段正文。" for i in range(10)]
    assert wxclean.clean(dump, max_parts=100).truncated is False  # blank lines count for nothing
    assert wxclean.clean(dump.encode(), max_parts=10).text == part.text
    assert wxclean.clean(dump, max_parts=None).text.count("正文") == 100
    with pytest.raises(ValueError, match="max_parts"):
        wxclean.clean(dump, max_parts=-1)


@pytest.mark.parametrize("end", ["\r", "\r\n"])
def test_max_parts_counts_old_mac_and_windows_line_ends(end: str) -> None:
    """A dump whose lines end in "\r" alone is bounded as one whose lines end in "\n"."""
    dump = "".join(f"第{i}段正文。{end}{end}" for i in range(100))
    part = wxclean.clean(dump, max_parts=10)
    assert part.truncated is True and part.text.split("\n\n") == [f"第{i}段正文。" for i in range(10)]


def test_max_parts_reads_the_first_tags_of_a_page() -> None:
    page = '<div id="js_content">' + "".join(f"<p>第{i}段</p>" for i in range(50)) + "</div>"
    part = wxclean.clean(page, max_parts=21)  # the div and ten paragraphs of two tags each
    assert part.truncated is True and part.text.split("\n\n") == [f"第{i}段" for i in range(10)]
    assert wxclean.clean(page.encode(), max_parts=21).text == part.text
    assert wxclean.clean(page, max_parts=102).truncated is False


def test_the_tag_bound_holds_per_call_in_threads() -> None:
    """The HTML adapter keeps each call's bound to itself: threads cleaning with different
    bounds get what they get one after another."""
    from concurrent.futures import ThreadPoolExecutor

    page = '<div id="js_content">' + "".join(f"<p>第{i}段</p>" for i in range(300)) + "</div>"
    jobs = [(page, k) for k in (11, 51, 201, None)] * 10
    alone = [wxclean.clean(p, max_parts=k).text for p, k in jobs]
    with ThreadPoolExecutor(8) as ex:
        together = list(ex.map(lambda job: wxclean.clean(job[0], max_parts=job[1]).text, jobs))
    assert together == alone and len(set(alone)) == 4


def test_a_flood_of_tiny_lines_is_bounded_and_stays_idempotent() -> None:
    """A million one-character headings are read up to the bound, not into memory whole; the
    bound is on by default."""
    import inspect

    assert inspect.signature(wxclean.clean).parameters["max_parts"].default == wxclean.api.MAX_PARTS
    flood = "#\n" * 1_000_000 + "正文\n" * 1000
    art = wxclean.clean(flood, max_parts=20_000)
    assert art.truncated is True and art.status == "empty" and len(art.removed) <= 20_000
    lines = "".join(f"第{i}行正文。\n" for i in range(20_005))
    once = wxclean.clean(lines, max_parts=20_000)
    assert once.truncated and once.text.count("正文") == 20_000
    assert wxclean.clean(once.markdown, max_parts=20_000).text == once.text  # nothing more cut


def test_a_line_of_many_images_counts_each_image_as_a_part() -> None:
    """One line can hold a million images: each is a part, so the line is read up to the bound."""
    line = "".join(f"![图{i}](https://mmbiz.qpic.cn/mmbiz_png/{i}/640?wx_fmt=png)" for i in range(30_000))
    art = wxclean.clean("正文。\n" + line, max_parts=10_000)
    assert art.truncated is True
    assert 9_000 <= len(art.images) < 10_000
    assert wxclean.clean(art.markdown, max_parts=10_000).text == art.text
    assert wxclean.clean("正文。\n" + line, max_parts=None).truncated is False


def test_a_line_of_many_tags_counts_each_tag_as_a_part() -> None:
    """A dump line of a hundred thousand <br> is read up to the bound, cut after a whole tag."""
    art = wxclean.clean("正文<br>" * 100_000, max_parts=10_000)
    assert art.truncated is True
    assert art.text.count("正文") == 10_000 and "<" not in art.text
    assert wxclean.clean(art.markdown, max_parts=10_000).text == art.text


def test_lone_surrogates_do_not_break_the_output() -> None:
    art = wxclean.clean("# 标题\n\n正文\ud800继续。")
    assert "正文继续。" in art.text
    json.dumps(art.to_dict(), ensure_ascii=False).encode("utf-8")  # must not raise


def test_markdown_output_holds_no_live_html() -> None:
    hostile = "\n".join(
        [
            "# 标题",
            "",
            "正文<script>alert(1)</script>继续",
            "",
            "[点我](javascript:alert(1)) 和 ![x](data:image/png;base64,AAAA) 和 <img src=x onerror=alert(1)>",
            "",
            "```",
            "<b>code stays verbatim</b>",
            "```",
        ]
    )
    art = wxclean.clean(hostile)
    body, _, code = art.markdown.partition("```")
    assert "<script" not in body and "<img" not in body and "javascript:" not in body and "data:" not in body
    assert "<b>code stays verbatim</b>" in code
    assert all(link.url.startswith(("http://", "https://")) for link in art.links)
    assert all(not image.url.startswith("data:") for image in art.images)
