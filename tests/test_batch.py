"""clean_many: same results as clean, in input order, streaming, with failures in place."""

from __future__ import annotations

import itertools
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

import wxclean
from wxclean import batch
from wxclean.batch import CleanError, Failure, clean_many, map_ordered

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


def _corpus_sample(n_md: int = 24, n_html: int = 3) -> list[bytes]:
    md = sorted((CORPUS / "md").glob("*.md"))
    html = sorted((CORPUS / "html").glob("*.html"), key=lambda p: p.stat().st_size)
    if not md or not html:
        pytest.skip("corpus not found")
    step = max(1, len(md) // n_md)
    return [p.read_bytes() for p in md[::step][:n_md]] + [p.read_bytes() for p in html[:n_html]]


@pytest.fixture(scope="module")
def sample() -> list[bytes]:
    return _corpus_sample()


def test_jobs_2_gives_what_clean_gives_in_input_order(sample: list[bytes]) -> None:
    expected = [wxclean.clean(s) for s in sample]
    assert list(clean_many(sample, jobs=1)) == expected
    assert list(clean_many(iter(sample), jobs=2, chunk_items=3)) == expected


def test_level_and_pipeline_reach_the_worker_processes(sample: list[bytes]) -> None:
    minimal = [wxclean.clean(s, level="minimal") for s in sample]
    assert list(clean_many(sample, jobs=2, level="minimal")) == minimal
    pipeline = wxclean.default_pipeline().without("call_to_action")
    custom = [wxclean.clean(s, pipeline=pipeline) for s in sample]
    assert list(clean_many(sample, jobs=2, pipeline=pipeline)) == custom
    # the sample must tell the three apart, or this test checks nothing
    assert minimal != custom != [wxclean.clean(s) for s in sample]


def _many(pulled: list[int]) -> Iterator[str]:
    """2000 tiny inputs, recording how many were pulled (an eager list() would pull them all)."""
    for i in range(2000):
        pulled.append(i)
        yield f"# 标题 {i}\n\n正文第 {i} 段。\n"


@pytest.mark.parametrize("jobs", [1, 2])
def test_streams_inputs_with_a_bounded_window(jobs: int) -> None:
    pulled: list[int] = []
    gen = clean_many(_many(pulled), jobs=jobs, chunk_items=2)
    first = list(itertools.islice(gen, 5))
    gen.close()
    assert [a.text for a in first] == [f"正文第 {i} 段。" for i in range(5)]
    # never more than 4*jobs chunks of 2 in flight beyond what was taken
    assert len(pulled) <= 5 + 4 * jobs * 2 + 2


def test_errors_raise_stops_at_the_failing_input_after_yielding_those_before() -> None:
    gen = clean_many(["一段正文。", "第二段正文。", 42, "never"], jobs=1)  # type: ignore[list-item]
    assert next(gen).text == "一段正文。"
    assert next(gen).text == "第二段正文。"
    with pytest.raises(CleanError) as info:
        next(gen)
    assert info.value.index == 2 and info.value.error.startswith("TypeError")


def test_errors_return_puts_a_failure_in_place_and_goes_on() -> None:
    out = list(clean_many(["一段正文。", None, b"\xef\xbb\xbf\xe7\xac\xac\xe4\xb8\x89"], jobs=2, errors="return"))
    assert isinstance(out[0], wxclean.Article) and out[0].text == "一段正文。"
    assert isinstance(out[1], Failure) and out[1].index == 1 and "TypeError" in out[1].error
    assert isinstance(out[2], wxclean.Article) and out[2].text == "第三"


def test_bad_arguments_raise_at_the_call_not_at_the_first_item() -> None:
    with pytest.raises(ValueError, match="jobs"):
        clean_many([], jobs=0)
    with pytest.raises(ValueError, match="level"):
        clean_many([], level="aggressive")
    with pytest.raises(TypeError, match="Pipeline"):
        clean_many([], pipeline="standard")  # type: ignore[call-overload]


def test_an_empty_input_gives_nothing() -> None:
    assert list(clean_many([], jobs=2)) == []


def test_article_and_pipelines_pickle(sample: list[bytes]) -> None:
    art = wxclean.clean(sample[0])
    assert art.removed and art.text  # a real article with an audit trail
    assert pickle.loads(pickle.dumps(art)) == art
    for level in ("minimal", "standard"):
        pipeline = wxclean.default_pipeline(level)
        assert pickle.loads(pickle.dumps(pipeline)) == pipeline
    failure = Failure(3, "ValueError: bad")
    assert pickle.loads(pickle.dumps(failure)) == failure
    err = pickle.loads(pickle.dumps(CleanError(3, "ValueError: bad")))
    assert (err.index, err.error) == (3, "ValueError: bad")


def _spill_files() -> set[str]:
    shm = Path("/dev/shm")
    return {p.name for p in shm.glob("wxclean-*")} if shm.is_dir() else set()


def test_large_inputs_handed_over_through_spill_files_come_back_whole_and_leave_no_file() -> None:
    body = "\n\n".join(f"第 {i} 段：" + "很长的正文，" * 40 for i in range(400))
    big = [f"# 大文章 {n}\n\n{body}\n\n结尾 {n}\n".encode() for n in range(6)]
    assert len(big[0]) > batch.SPILL_BYTES  # each chunk goes through a file where /dev/shm exists
    before = _spill_files()
    got = list(clean_many([*big, "小", *big], jobs=2, chunk_items=2))
    assert got == [wxclean.clean(s) for s in [*big, "小", *big]]
    assert _spill_files() == before


def test_closing_early_removes_the_spill_files_of_chunks_that_never_ran() -> None:
    big = ("# 标题\n\n" + "正文内容。" * 30000).encode()
    before = _spill_files()
    gen = clean_many([big] * 40, jobs=2, chunk_items=1)
    assert next(gen).status == "ok"
    gen.close()
    assert _spill_files() == before


def _shout(text: str) -> str:
    if text == "boom":
        raise ValueError("no boom")
    return text.upper() * 2000  # large enough to come back through a spill file


def test_map_ordered_yields_results_in_input_order_with_failures_in_place() -> None:
    items = [f"item {i}" for i in range(30)]
    items[7] = "boom"
    before = _spill_files()
    for jobs in (1, 2):
        got = list(map_ordered(_shout, iter(items), jobs=jobs, chunk_items=3))
        assert got[7] == Failure(7, "ValueError: no boom")
        assert got[:7] + got[8:] == [_shout(x) for x in items[:7] + items[8:]]
    assert _spill_files() == before
