"""The wxclean command: files, stdin, folders, -o, JSONL in and out, -j, --explain, failures."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import wxclean
from wxclean.cli import main

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


def _pick() -> list[Path]:
    md = sorted((CORPUS / "md").glob("*.md"))
    html = sorted((CORPUS / "html").glob("*.html"), key=lambda p: p.stat().st_size)
    if not md or not html:
        pytest.skip("corpus not found")
    small = sorted(md, key=lambda p: p.stat().st_size)[:3]  # notices and empty pages
    return [*md[:: max(1, len(md) // 8)][:8], *small, *html[:4]]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of corpus files: some at the top, some in sub/ and sub/deeper/."""
    root = tmp_path_factory.mktemp("in")
    for i, src in enumerate(_pick()):
        dest = root / ("" if i < 5 else "sub" if i < 10 else "sub/deeper") / src.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    (root / "notes.csv").write_text("not an input\n")  # an unknown suffix is skipped
    return root


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".md", ".html"))


def _walk_order(root: Path) -> list[Path]:
    """The order a folder is walked in: files of a folder (sorted), then its sub-folders (sorted)."""
    out: list[Path] = []
    out += sorted(p for p in root.iterdir() if p.is_file() and p.suffix in (".md", ".html"))
    for d in sorted(p for p in root.iterdir() if p.is_dir()):
        out += _walk_order(d)
    return out


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_one_file_prints_its_text(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _files(tree)[0]
    code, out, err = _run([str(path)], capsys)
    assert code == 0
    expected = wxclean.clean(path.read_bytes()).text
    assert expected and out == expected + "\n"
    assert "1 input:" in err and "0 failed" in err


def test_stdin_is_read_as_bytes_and_cleaned(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = max((p for p in _files(tree) if p.suffix == ".html"), key=lambda p: len(wxclean.clean(p.read_bytes()).text))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes())))
    code, out, _ = _run(["-f", "markdown"], capsys)
    assert code == 0
    markdown = wxclean.clean(path.read_bytes()).markdown
    assert markdown.startswith("# ") and out == markdown + "\n"


def test_a_folder_gives_one_jsonl_record_per_file_in_walk_order(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run([str(tree), "-q"], capsys)
    assert code == 0 and err == ""  # -q: no summary
    records = [json.loads(line) for line in out.splitlines()]
    paths = _walk_order(tree)
    assert [r["path"] for r in records] == [str(p) for p in paths]
    for rec, p in zip(records, paths, strict=True):
        assert {k: v for k, v in rec.items() if k != "path"} == wxclean.clean(p.read_bytes()).to_dict()


def test_summary_counts_inputs_per_status(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run([str(tree)], capsys)
    assert code == 0
    statuses: dict[str, int] = {}
    for p in _files(tree):
        s = wxclean.clean(p.read_bytes()).status
        statuses[s] = statuses.get(s, 0) + 1
    assert len(statuses) > 1, "the sample should hold more than one status"
    line = err.strip().splitlines()[-1]
    assert line.startswith(f"wxclean: {len(_files(tree))} inputs: ")
    for status, n in statuses.items():
        assert f"{n} {status}" in line
    assert "0 failed" in line


def test_output_folder_mirrors_relative_paths(tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, stdout, _ = _run([str(tree), "-o", str(out)], capsys)
    assert code == 0 and stdout == ""
    written = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert written == sorted(p.relative_to(tree).with_suffix(".txt") for p in _files(tree))
    for p in _files(tree):
        text = (out / p.relative_to(tree).with_suffix(".txt")).read_text(encoding="utf-8")
        art = wxclean.clean(p.read_bytes())
        assert text == (art.text + "\n" if art.text else "")


def test_output_folder_takes_the_extension_of_the_format(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _files(tree)[0]
    code, _, _ = _run([str(path), "-o", str(tmp_path), "-f", "json"], capsys)
    assert code == 0
    rec = json.loads((tmp_path / path.with_suffix(".json").name).read_text(encoding="utf-8"))
    assert rec["path"] == str(path) and rec["text"] == wxclean.clean(path.read_bytes()).text


def test_jsonl_format_for_one_file(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _files(tree)[0]
    code, out, _ = _run([str(path), "-f", "jsonl"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0]) == {"path": str(path), **wxclean.clean(path.read_bytes()).to_dict()}


def _jsonl(tree: Path, dest: Path) -> list[dict[str, object]]:
    records: list[dict[str, object]] = [
        {"id": i, "url": f"https://crawl.example/{i}", "page": p.read_text(encoding="utf-8"), "tags": ["a", i]}
        for i, p in enumerate(_files(tree)[:4])
    ]
    dest.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return records


def test_jsonl_field_is_cleaned_and_other_fields_are_kept(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = _jsonl(tree, tmp_path / "crawl.jsonl")
    code, out, _ = _run([str(tmp_path / "crawl.jsonl"), "--field", "page"], capsys)
    assert code == 0
    got = [json.loads(line) for line in out.splitlines()]
    assert len(got) == len(records)
    for rec, src in zip(got, records, strict=True):
        art = wxclean.clean(str(src["page"])).to_dict()
        assert "page" not in rec  # the source field is replaced by the cleaned fields
        assert rec["id"] == src["id"] and rec["tags"] == src["tags"]
        assert rec["input_url"] == src["url"]  # a clashing input field is kept under input_<name>
        assert {k: rec[k] for k in art} == art


def test_jsonl_from_stdin_with_field_and_a_bad_record(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _jsonl(tree, tmp_path / "crawl.jsonl")
    data = (tmp_path / "crawl.jsonl").read_bytes() + b'{"id": 99}\nnot json\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, err = _run(["--field", "page"], capsys)
    assert code == 1
    assert [json.loads(line)["id"] for line in out.splitlines()] == [0, 1, 2, 3]
    assert "-:5: ValueError: no field 'page'" in err
    assert "-:6: JSONDecodeError" in err


def test_jobs_2_output_is_byte_identical_to_jobs_1(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outputs = []
    for jobs in ("1", "2"):
        code, out, _ = _run([str(tree), "-j", jobs, "-q"], capsys)
        assert code == 0
        outputs.append(out)
    assert outputs[0] == outputs[1]
    assert len(outputs[0].splitlines()) == len(_files(tree))


def test_jobs_2_writes_under_o_the_files_jobs_1_writes(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # with -o each input's file is written by whichever process cleaned it
    written = []
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}"
        code, stdout, _ = _run([str(tree), "-o", str(out), "-f", "json", "-j", jobs, "-q"], capsys)
        assert code == 0 and stdout == ""
        written.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert written[0] == written[1]
    assert sorted(written[0]) == sorted(p.relative_to(tree).with_suffix(".json") for p in _files(tree))


def test_an_output_file_that_cannot_be_written_is_reported_and_the_others_are_written(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _files(tree)[:3]
    out = tmp_path / "out"
    (out / good[1].with_suffix(".txt").name).mkdir(parents=True)  # a folder where the file should go
    code, _, err = _run([*map(str, good), "-o", str(out), "-j", "2"], capsys)
    assert code == 1
    assert f"wxclean: {good[1]}: IsADirectoryError" in err and "1 failed" in err
    for p in (good[0], good[2]):
        assert (out / p.with_suffix(".txt").name).read_text(encoding="utf-8").rstrip("\n") == (
            wxclean.clean(p.read_bytes()).text
        )


def test_a_missing_input_is_reported_and_the_others_are_written(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.md"
    good = _files(tree)[:2]
    out = tmp_path / "out"
    code, _, err = _run([str(good[0]), str(missing), str(good[1]), "-o", str(out), "-j", "2"], capsys)
    assert code == 1
    assert f"wxclean: {missing}: No such file or directory" in err
    assert "1 failed" in err
    assert sorted(p.name for p in out.iterdir()) == sorted(p.with_suffix(".txt").name for p in good)


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-f", "pdf", str(tmp_path)]) == 2
    assert main(["-j", "-1", str(tmp_path)]) == 2
    (tmp_path / "file").write_text("x")
    assert main(["-o", str(tmp_path / "file"), str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'pdf'" in err and "-j must be 0 or more" in err and "not a folder" in err


def test_explain_lists_each_removal_with_its_filter_and_reason(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = max(_files(tree), key=lambda p: len(wxclean.clean(p.read_bytes()).removed))
    art = wxclean.clean(path.read_bytes())
    code, out, _ = _run([str(path), "--explain"], capsys)
    assert code == 0
    text, explained = out.split(f"--- removed: {len(art.removed)} block(s) ---\n")
    assert text.rstrip("\n") == art.text
    for name, count in art.explain().items():
        assert f"{name} ({count}):" in explained
    for r in art.removed:
        assert r.reason in explained
    code, out, _ = _run([str(path), "--explain", "-f", "json"], capsys)
    assert json.loads(out)["explain"] == art.explain()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_report_lists_every_input(tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str) -> None:
    report = tmp_path / "r.html"
    code, out, _ = _run([str(tree), "--report", str(report), "-j", jobs], capsys)
    assert code == 0 and out == ""  # the report replaces stdout output
    page = report.read_text(encoding="utf-8")
    for p in _files(tree):
        assert str(p) in page


def test_python_dash_m_runs_the_command(tree: Path, tmp_path: Path) -> None:
    path = _files(tree)[0]
    proc = subprocess.run(
        [sys.executable, "-m", "wxclean", "-", str(tmp_path / "missing.md"), "-f", "jsonl"],
        input=path.read_bytes(),
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 1
    (rec,) = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert rec["path"] == "-" and rec["text"] == wxclean.clean(path.read_bytes()).text
    assert "missing.md: No such file or directory" in proc.stderr.decode("utf-8")
    help_proc = subprocess.run([sys.executable, "-m", "wxclean", "--help"], capture_output=True, timeout=120)
    assert help_proc.returncode == 0 and b"exit status" in help_proc.stdout


def test_a_reader_that_leaves_early_ends_the_run_quietly(tree: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "wxclean", str(tree), str(tree), str(tree), "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(10)
    proc.stdout.close()  # like `wxclean DIR | head -c 10`
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 141
    assert b"Traceback" not in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_folder_walk_reads_regular_files_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A named pipe, a link to a device and a link to a folder above, found in a folder, are
    passed over: the walk neither blocks on the pipe nor reads a device nor loops."""
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "a.md").write_text("# 标题\n\n正文第一段。\n", "utf-8")
    os.mkfifo(root / "pipe.md")
    (root / "sub" / "loop").symlink_to(root)
    if Path("/dev/null").exists():  # (a device: /dev/zero would be read for ever)
        (root / "null.md").symlink_to("/dev/null")
    threading.Thread(target=_feed_if_read, args=(root / "pipe.md",), daemon=True).start()
    code, out, _ = _run([str(root), "-q"], capsys)
    assert code == 0
    assert [json.loads(line)["path"] for line in out.splitlines()] == [str(root / "a.md")]


def _feed_if_read(pipe: Path, seconds: float = 30.0) -> None:
    """Write a line into ``pipe`` once something opens it to read (so that a walk that reads
    it gets a record out of it, and the test fails instead of blocking); give up after
    ``seconds``."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            fd = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)  # (ENXIO while no reader has it open)
        except OSError:
            time.sleep(0.01)
            continue
        os.write(fd, "正文。\n".encode())
        os.close(fd)
        return


def test_an_undecodable_file_name_and_a_lone_surrogate_in_a_record_are_written_as_escapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file name's undecodable byte (a surrogate in Python's str) and a JSONL field's lone
    surrogate are written as JSON escapes, which read back as the same strings."""
    root = tmp_path / "in"
    root.mkdir()
    name = os.fsdecode(b"bad\xff name.md")
    try:
        (root / name).write_text("正文第一段。\n", "utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("the file system refuses undecodable names")
    (root / "records.jsonl").write_text('{"id": "\\ud800", "text": "正文第二段。"}\n', "utf-8")
    code, out, err = _run([str(root), "-q"], capsys)
    assert code == 0 and err == ""
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r.get("path"), r.get("id"), r["text"]) for r in records] == [
        (str(root / name), None, "正文第一段。"),
        (None, "\ud800", "正文第二段。"),
    ]
    assert os.fsencode(records[0]["path"]).endswith(b"bad\xff name.md")


def test_a_file_over_max_bytes_is_read_up_to_the_limit_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command reads no more of a file than clean() would clean (``max_bytes``): the
    rest of a huge file is never held; the Article is cut as clean() cuts it, and says so."""
    import wxclean.cli as cli

    big = tmp_path / "big.md"
    big.write_text("".join(f"第{k}段正文内容。\n\n" for k in range(2000)), "utf-8")
    monkeypatch.setattr(cli, "_MAX_BYTES", 1000)
    reads: list[int] = []
    real_open = Path.open

    def counting_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        fh = real_open(self, *args, **kwargs)
        real_read = fh.read
        fh.read = lambda n=-1: reads.append(n) or real_read(n)  # type: ignore[method-assign]
        return fh

    monkeypatch.setattr(Path, "open", counting_open)
    code, out, _ = _run([str(big), "-f", "json", "-j", "1", "-q"], capsys)
    rec = json.loads(out)
    assert code == 0 and reads == [1001]
    assert rec["truncated"] is True and rec["text"].startswith("第0段正文内容。") and "第100段" not in rec["text"]
    assert rec == {"path": str(big), **wxclean.clean(big.read_bytes(), max_bytes=1000).to_dict()}


def test_a_jsonl_line_over_the_limit_is_a_failed_record_and_the_next_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import wxclean.cli as cli

    monkeypatch.setattr(cli, "_MAX_BYTES", 100)  # (lines of up to 400 bytes)
    src = tmp_path / "crawl.jsonl"
    records = [{"id": 1, "text": "正文" * 300}, {"id": 2, "text": "第二条正文。"}]
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    code, out, err = _run([str(src), "-j", "1"], capsys)
    assert code == 1 and f"wxclean: {src}:1: record over 400 bytes" in err
    assert [(r["id"], r["text"]) for r in map(json.loads, out.splitlines())] == [(2, "第二条正文。")]
