"""The command-line tool, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mixfilter", *args], input=stdin, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip


def test_json() -> None:
    out = run("json", 'status = "active" and age >= 30')
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {
        "AND": [
            {"field": "status", "operator": "eq", "value": "active"},
            {"field": "age", "operator": "gte", "value": 30},
        ]
    }


def test_json_legacy_from_stdin() -> None:
    out = run("json", "--legacy", "--compact", "-", stdin="not a = 1")
    assert out.stdout.strip() == '{"NOR":[{"key":"a","operator":"eq","value":1}]}'


def test_text() -> None:
    out = run("text", '{"NOR": [{"key": "status", "value": "x"}], "case_sensitive": true}')
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == 'case sensitive (not status = "x")'


def test_syntax_error_prints_the_caret_not_a_traceback() -> None:
    out = run("json", 'status contians "x"')
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    assert "^^^^^^^^" in out.stderr and "did you mean 'contains'" in out.stderr


def test_check(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text('{"AND": [{"field": "a", "operator": "eq", "value": 1}]}')
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"AND": [{"field": "a", "operator": "neq", "value": 1}, {"fieldz": "b"}], "Or": []}'
    )
    broken = tmp_path / "broken.json"
    broken.write_text('{"AND": [')
    out = run("check", str(good))
    assert out.returncode == 0 and out.stdout == ""
    out = run("check", str(good), str(bad), str(broken), str(tmp_path / "missing.json"))
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert f"{bad}: $.AND[0].operator: unknown operator 'neq' (did you mean 'ne'?)" in lines
    assert any(line.startswith(f"{bad}: $.Or: unknown key 'Or'") for line in lines)
    assert any(line.startswith(f"{broken}: $: invalid JSON") for line in lines)
    assert "missing.json: cannot read" in out.stderr


@pytest.mark.parametrize("command", ["json", "text", "check", "sql", "mongo"])
def test_help_on_every_command(command: str) -> None:
    out = run(command, "--help")
    assert out.returncode == 0 and "usage: mixfilter" in out.stdout


@pytest.mark.parametrize("args", [[], ["nope"], ["json"], ["json", "a = 1", "--bogus"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert run(*args).returncode == 2


def test_sql_inline_and_with_parameters() -> None:
    out = run("sql", 'name = "O\'Brien" and age >= 30', "--dialect", "duckdb")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "LOWER(\"name\") = LOWER('O''Brien') AND \"age\" >= 30"
    out = run(
        "sql", "-", "--dialect", "duckdb", "--params", "qmark", stdin='{"field": "a", "value": "x"}'
    )
    assert out.stdout.splitlines() == ['LOWER("a") = LOWER(?)', '["x"]']
    bad = run("sql", "a = 1", "--params", "nonsense")
    assert bad.returncode == 1 and "unknown paramstyle" in bad.stderr
    typo = run("sql", "a = 1", "--dialect", "postgress")
    assert typo.returncode == 1 and "did you mean 'postgres'" in typo.stderr


def test_mongo() -> None:
    out = run("mongo", "price <= 10 or tags = 'sale'", "--compact")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {
        "$or": [{"price": {"$lte": 10}}, {"tags": {"$regex": "\\Asale\\z", "$options": "i"}}]
    }


def run_bytes(*args: str, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "mixfilter", *args], input=stdin, capture_output=True, timeout=60
    )


# file bytes, exit status, what stdout must contain
CHECK_BYTES = [
    (b'{"a": "\xff"}', 1, "not UTF-8 text (invalid start byte at byte 7"),
    (b"\xff\xfe{\x00}\x00", 1, "UTF-16 text, not UTF-8"),
    (b'\xef\xbb\xbf{"a": 1}', 0, "ok"),
    (b'{"a": 1, "a": 2}', 1, "$.a: duplicate key 'a'"),
]


@pytest.mark.parametrize(("data", "status", "words"), CHECK_BYTES, ids=range(len(CHECK_BYTES)))
def test_check_reads_bytes(tmp_path: Path, data: bytes, status: int, words: str) -> None:
    path = tmp_path / "f.json"
    path.write_bytes(data)
    out = run("check", "-v", str(path))
    assert out.returncode == status
    assert "Traceback" not in out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path}: ") and words in lines[0]


def test_stdin_may_start_with_a_byte_order_mark() -> None:
    out = run_bytes("json", "--compact", "-", stdin=b"\xef\xbb\xbfa = 1")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == b'{"AND":[{"field":"a","operator":"eq","value":1}]}'
    out = run_bytes("check", "-v", "-", stdin=b'\xef\xbb\xbf{"a": 1}')
    assert out.stdout.strip() == b"-: ok"


def test_stdin_that_is_not_utf8_is_one_error_line() -> None:
    out = run_bytes("json", "-", stdin=b'a = "\xff"')
    assert out.returncode == 1
    assert out.stderr.decode().splitlines() == [
        "mixfilter: standard input is not UTF-8 text (invalid start byte at byte 5: b'\\xff\"')"
    ]


def test_a_missing_optional_dependency_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--bson-dates needs pymongo's bson: without it, a sentence and exit 1, no traceback."""
    import builtins

    from mixfilter import cli

    real_import = builtins.__import__

    def no_bson(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "bson" or name.startswith("bson."):
            raise ModuleNotFoundError(f"No module named {name!r}", name="bson")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_bson)
    assert cli.main(["mongo", "--bson-dates", 'd = "2024-01-15"']) == 1
    err = capsys.readouterr().err
    assert err == "mixfilter: this needs the bson package (pip install 'mixfilter[mongo]')\n"
