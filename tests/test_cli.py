"""The command-line tool, run as a real subprocess."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

import mixfilter


def run(
    *args: str, stdin: str | None = None, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``env`` is added to this process's environment."""
    return subprocess.run(
        [sys.executable, "-m", "mixfilter", *args], input=stdin, capture_output=True, text=True,
        timeout=60, env={**os.environ, **env} if env else None,
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


# command, the flags its help must list
HELP = [
    ("json", ["--legacy", "--compact", "--limits"]),
    ("text", ["--limits"]),
    ("check", ["--verbose", "--limits"]),
    ("sql", [
        "--dialect", "--params", "--pretty", "--fields", "--json-columns", "--column-types",
        "--bindings", "--limits",
    ]),
    ("mongo", ["--bson-dates", "--compact", "--bindings", "--limits"]),
]  # fmt: skip


@pytest.mark.parametrize(("command", "flags"), HELP, ids=[c for c, _ in HELP])
def test_help_on_every_command(command: str, flags: list[str]) -> None:
    out = run(command, "--help", env={"PYTHONIOENCODING": "ascii"})  # the help is ASCII
    assert out.returncode == 0 and "usage: mixfilter" in out.stdout, out.stderr
    assert [flag for flag in flags if f" {flag} " not in out.stdout] == []


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
    for empty in (["--params", ""], ["--params="]):  # an empty STYLE is refused, not dropped
        bad = run("sql", "a = 1", *empty)
        assert bad.returncode == 1 and "unknown paramstyle ''" in bad.stderr and not bad.stdout
    typo = run("sql", "a = 1", "--dialect", "postgress")
    assert typo.returncode == 1 and "did you mean 'postgres'" in typo.stderr


def test_mongo() -> None:
    out = run("mongo", "price <= 10 or tags = 'sale'", "--compact")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {
        "$or": [{"price": {"$lte": 10}}, {"tags": {"$regex": "\\A[sS][aA][lL][eE]\\z"}}]
    }


def run_bytes(*args: str, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "mixfilter", *args], input=stdin, capture_output=True, timeout=60
    )


# file bytes, exit status, what stdout must contain
CHECK_BYTES = [
    (b'{"a": "\xff"}', 1, "not UTF-8 text (invalid start byte at byte 7"),
    (b"\xff\xfe{\x00}\x00", 1, "UTF-16 text, not UTF-8"),
    # found by a bad-input hunt: UTF-32 was called UTF-16, and without a byte order mark the
    # NULs decode as UTF-8 and the message was about JSON syntax
    ('{"a": 1}'.encode("utf-32"), 1, "UTF-32 text, not UTF-8"),
    ('{"a": 1}'.encode("utf-16-le"), 1, "UTF-16 text, not UTF-8"),
    ('{"a": 1}'.encode("utf-32-be"), 1, "UTF-32 text, not UTF-8"),
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


def test_an_argument_that_is_not_utf8_says_so() -> None:
    # found by review: it was reported as a string holding a lone surrogate \udcff
    out = subprocess.run(
        [sys.executable.encode(), b"-m", b"mixfilter", b"json", b'a = "\xff"'],
        capture_output=True, timeout=60, env={**os.environ, "LC_ALL": "C.UTF-8"},
    )  # fmt: skip
    assert out.returncode == 1
    assert out.stderr.decode().splitlines() == [
        "mixfilter: the argument is not UTF-8 text; pass the filter as UTF-8"
    ]


def test_a_utf8_argument_under_the_c_locale_is_read_as_utf8() -> None:
    env = {**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0"}
    out = subprocess.run(
        [sys.executable, "-m", "mixfilter", "json", "--compact", 'a = "é"'],
        capture_output=True, timeout=60, env=env,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"AND": [{"field": "a", "operator": "eq", "value": "é"}]}


def test_stdin_that_is_not_utf8_is_one_error_line() -> None:
    out = run_bytes("json", "-", stdin=b'a = "\xff"')
    assert out.returncode == 1
    assert out.stderr.decode().splitlines() == [
        "mixfilter: standard input is not UTF-8 text (invalid start byte at byte 5: b'\\xff\"')"
    ]


@pytest.mark.parametrize("command", [["json", "-"], ["sql", "-"], ["check", "-"]])
@pytest.mark.parametrize(
    ("stdin", "words"), [("closed", "it is closed"), ("write-only", "Bad file")]
)
def test_standard_input_that_cannot_be_read_is_one_line(
    command: list[str], stdin: str, words: str
) -> None:
    # found by review: a closed standard input (<&-) was an AttributeError traceback
    with open(os.devnull, "w") as write_only:
        out = subprocess.run(
            [sys.executable, "-m", "mixfilter", *command], capture_output=True, text=True,
            timeout=60, stdin=write_only if stdin == "write-only" else None,
            preexec_fn=(lambda: os.close(0)) if stdin == "closed" else None,
        )  # fmt: skip
    assert out.returncode == 1 and "Traceback" not in out.stderr
    lines = (out.stdout + out.stderr).splitlines()
    assert len(lines) == 1 and "cannot read" in lines[0] and words in lines[0], lines


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


# the options of to_sql / to_mongo as flags: arguments, the lines printed
OPTION_FLAGS = [
    (["sql", 'metadata.title = "x"', "--fields", '{"metadata.title": "title"}'],
     ["LOWER(\"title\") = LOWER('x')"]),
    (["sql", "m.t = 1", "--fields", '{"m.t": ["s", "t", "c"]}'], ['"s"."t"."c" = 1']),
    (["sql", 'a.x = "1"', "--json-columns", " a , b", "--dialect", "sqlite"],
     ["LOWER(CASE WHEN JSON_TYPE(\"a\", '$.x') = 'text' THEN \"a\" ->> '$.x' END) = LOWER('1')"]),
    (["sql", 'a.x = "1"', "--json-columns", '["a", "b"]', "--dialect", "sqlite"],  # a JSON list
     ["LOWER(CASE WHEN JSON_TYPE(\"a\", '$.x') = 'text' THEN \"a\" ->> '$.x' END) = LOWER('1')"]),
    (["sql", "a.x = 1 and b.y = 2", "--json-columns", "b,a",
      "--fields", '{"a.x": "x", "b.y": "y"}'], ['"x" = 1 AND "y" = 2']),
    (["sql", 'a.x = "1" and b.y = "2"', "--json-columns", "a", "--json-columns", "b",
      "--dialect", "duckdb"],
     ["LOWER(CASE WHEN JSON_TYPE(\"a\", '$.x') = 'VARCHAR' THEN \"a\" ->> '$.x' END) = LOWER('1')"
      " AND LOWER(CASE WHEN JSON_TYPE(\"b\", '$.y') = 'VARCHAR' THEN \"b\" ->> '$.y' END)"
      " = LOWER('2')"]),
    (["sql", 'age = "30" or age in [1, "2"]', "--column-types", '{"age": "int"}'],
     ['FALSE OR "age" IN (1)']),
    (["sql", "price <= {{INPUT.max}}", "--bindings", '{"INPUT.max": 10}'], ['"price" <= 10']),
    (["sql", '{"field": "u", "value": {"type": "dynamic", "field": "inputs.user"}}',
      "--bindings", '{"inputs.user": 7}'], ['"u" = 7']),
    (["sql", "p <= {{INPUT.max}} and d = {{INPUT.d}}", "--bindings", '{"INPUT.max": 10}',
      "--params", "named"],
     ['"p" <= :p1 AND LOWER("d") = LOWER(:INPUT_d)', '{"p1":10}']),
    (["sql", 'first_column = "a long value" or second_column = "another long value"',
      "--pretty"],
     ["LOWER(\"first_column\") = LOWER('a long value')",
      "OR LOWER(\"second_column\") = LOWER('another long value')"]),
    (["sql", "a = 1 and b = 2", "--limits", '{"max_conditions": 2}'], ['"a" = 1 AND "b" = 2']),
    (["mongo", "--compact", "price <= {{INPUT.max}}", "--bindings", '{"INPUT.max": 10}'],
     ['{"price": {"$lte": 10}}']),
    (["mongo", "--compact", '{"field": "u", "value": {"type": "dynamic", "field": "inputs.user"}}',
      "--bindings", '{"inputs.user": 7}'], ['{"u": 7}']),
    (["json", "--compact", "a = 1", "--limits", '{"max_text_length": 5}'],
     ['{"AND":[{"field":"a","operator":"eq","value":1}]}']),
]  # fmt: skip


@pytest.mark.parametrize(("args", "lines"), OPTION_FLAGS, ids=range(len(OPTION_FLAGS)))
def test_library_options_as_flags(args: list[str], lines: list[str]) -> None:
    out = run(*args)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == lines


# a library error about an option names the flag that sets it: arguments, how the error starts
# (the library's wording), the hint line (the CLI's)
OPTION_ERRORS = [
    (["sql", 'metadata.title = "x"'],
     "FilterCompileError: field 'metadata.title' is a dotted path",
     "fields is --fields, json_columns is --json-columns"),
    (["sql", "a = 1", "--fields", '{"a": 3}'], "FilterOptionError: fields['a'] must be",
     "fields is --fields"),
    (["sql", "a = 1", "--json-columns", ""],
     "FilterOptionError: every item of json_columns must be", "json_columns is --json-columns"),
    (["sql", "a = 1", "--column-types", '{"a": "integer"}'],
     "FilterOptionError: column_types['a'] is 'integer'", "column_types is --column-types"),
    (["sql", "a = 1", "--bindings", '{"": 1}'], "FilterOptionError: to_sql() bindings keys must",
     "bindings is --bindings"),
    (["mongo", "price <= {{INPUT.max}}"], "FilterCompileError: no binding for 'INPUT.max'",
     "bindings is --bindings"),
    (["json", "a = 1 and b = 2", "--limits", '{"max_conditions": 1}'],
     "FilterLimitError: limit max_conditions=1 exceeded", "limits is --limits"),
    (["check", "-", "--limits", '{"max_dept": 1}'],
     "FilterOptionError: Limits() got an unknown option 'max_dept'", "limits is --limits"),
    (["text", "{}", "--limits", '{"max_depth": 0}'],
     "FilterOptionError: Limits.max_depth must be a positive integer", "limits is --limits"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "error", "hint"), OPTION_ERRORS, ids=range(len(OPTION_ERRORS)))
def test_a_bad_option_value_is_a_filter_error_naming_the_flag(
    args: list[str], error: str, hint: str
) -> None:
    out = run(*args, stdin="{}")
    assert out.returncode == 1 and out.stdout == ""
    lines = out.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"mixfilter: {error}"), out.stderr
    assert lines[1] == f"mixfilter: on the command line, {hint}"


# a flag's value that is not a JSON object: flag, value, the error after "argument FLAG: "
BAD_JSON = [
    ("--fields", "nope", "invalid JSON (Expecting value: line 1 column 1 (char 0)): 'nope'"),
    ("--fields", "{'a': 'b'}",
     "invalid JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"
     ": \"{'a': 'b'}\""),
    ("--fields", '["a"]', "expected a JSON object {...}, got an array"),
    ("--fields", '"a"', "expected a JSON object {...}, got a string"),
    ("--fields", "1.5", "expected a JSON object {...}, got a number"),
    ("--fields", "null", "expected a JSON object {...}, got null"),
    ("--fields", '{"a": "x", "a": "y"}',
     "invalid JSON (duplicate key 'a'): '{\"a\": \"x\", \"a\": \"y\"}'"),
    ("--fields", "[" * 100_000, "invalid JSON (it nests too deeply to read): '[[[["),
    ("--json-columns", '["m", 1]',
     "expected column names separated by commas, or a JSON list of strings: '[\"m\", 1]'"),
    ("--bindings", '{"INPUT.x": ' + "9" * 5000 + "}",
     "invalid JSON (an integer of 5,000 digits is out of the signed 64-bit range): "),
]  # fmt: skip

# every JSON flag of every command
JSON_FLAGS = [
    ("sql", "--fields"), ("sql", "--column-types"), ("sql", "--bindings"), ("sql", "--limits"),
    ("mongo", "--bindings"), ("mongo", "--limits"), ("json", "--limits"), ("text", "--limits"),
    ("check", "--limits"),
]  # fmt: skip


def bad_flag_error(command: str, flag: str, value: str) -> str:
    """The one line of a usage error for ``flag``; asserts exit status 2 and no traceback."""
    out = run(command, "a = 1", flag, value)
    assert out.returncode == 2 and out.stdout == ""
    assert "Traceback" not in out.stderr and out.stderr.startswith("usage: mixfilter")
    errors = [line for line in out.stderr.splitlines() if not line.startswith(("usage:", " "))]
    assert len(errors) == 1, out.stderr
    return errors[0]


@pytest.mark.parametrize(("flag", "value", "error"), BAD_JSON, ids=range(len(BAD_JSON)))
def test_bad_json_in_a_flag_is_a_usage_error(flag: str, value: str, error: str) -> None:
    assert bad_flag_error("sql", flag, value).startswith(
        f"mixfilter sql: error: argument {flag}: {error}"
    )


@pytest.mark.parametrize(("command", "flag"), JSON_FLAGS, ids=[" ".join(f) for f in JSON_FLAGS])
def test_every_json_flag_checks_its_json(command: str, flag: str) -> None:
    assert bad_flag_error(command, flag, "[]") == (
        f"mixfilter {command}: error: argument {flag}: expected a JSON object {{...}}, got an array"
    )


# PYTHONIOENCODING, arguments, exit status, standard output, standard error
ENCODINGS = [
    # JSON falls back to \u escapes: the same JSON, in ASCII
    ("ascii", ["json", "--compact", 'a = "é😀"'], 0,
     '{"AND":[{"field":"a","operator":"eq","value":"\\u00e9\\ud83d\\ude00"}]}\n', ""),
    ("ascii", ["mongo", "--compact", 'a = "é"'], 0,
     '{"a": {"$regex": "\\\\A[\\u00e9\\u00c9]\\\\z"}}\n', ""),
    ("ascii", ["sql", "--params", "qmark", 'a = "é"'], 0, 'LOWER("a") = LOWER(?)\n["\\u00e9"]\n',
     ""),
    # an encoding that has the character: written as it is
    ("latin-1", ["json", "--compact", 'a = "é"'], 0,
     '{"AND":[{"field":"a","operator":"eq","value":"é"}]}\n', ""),
    ("utf-8", ["sql", 'a = "é😀"'], 0, "LOWER(\"a\") = LOWER('é😀')\n", ""),
    # text and SQL cannot be escaped: one line saying what to do, nothing on standard output
    ("ascii", ["sql", 'a = "é"'], 1, "",
     "mixfilter: standard output (ascii) cannot encode '\\xe9': set PYTHONIOENCODING=utf-8\n"),
    ("ascii", ["text", '{"a": "x😀"}'], 1, "",
     "mixfilter: standard output (ascii) cannot encode '\\U0001f600': "
     "set PYTHONIOENCODING=utf-8\n"),
    # error messages quote the input with backslash escapes, the caret under all of them
    ("ascii", ["json", 'a = "é'], 1, "",
     'mixfilter: FilterSyntaxError: line 1, column 5: unterminated string\n  a = "\\xe9\n'
     "      ^^^^^\n"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("encoding", "args", "status", "stdout", "stderr"), ENCODINGS, ids=range(len(ENCODINGS))
)
def test_output_in_an_encoding_that_lacks_the_characters(
    encoding: str, args: list[str], status: int, stdout: str, stderr: str
) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "mixfilter", *args], capture_output=True, timeout=60,
        env={**os.environ, "PYTHONIOENCODING": encoding},
    )  # fmt: skip
    assert (out.returncode, out.stdout.decode(encoding), out.stderr.decode(encoding)) == (
        status, stdout, stderr,
    )  # fmt: skip


# JSON output with characters from all over Unicode
UNICODE_JSON = [
    ["json", 'a = "é \\"ü\\" 😀 中文" and `ключ` in ["ß", "\\u2028"]'],
    ["mongo", 'a = "é 😀" or b starts with "中"'],
    ["sql", 'a = "é 😀" or b contains "中"', "--params"],
]


@pytest.mark.parametrize("args", UNICODE_JSON, ids=[a[0] for a in UNICODE_JSON])
def test_ascii_json_is_the_same_json(args: list[str]) -> None:
    utf8, ascii = (run(*args, env={"PYTHONIOENCODING": e}) for e in ("utf-8", "ascii"))
    assert utf8.returncode == ascii.returncode == 0, ascii.stderr
    assert ascii.stdout.isascii() and not utf8.stdout.isascii()
    assert json.loads(ascii.stdout.splitlines()[-1] if args[0] == "sql" else ascii.stdout) == (
        json.loads(utf8.stdout.splitlines()[-1] if args[0] == "sql" else utf8.stdout)
    )


def test_error_messages_survive_a_strict_ascii_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    from mixfilter import cli

    raw = io.BytesIO()
    stderr = io.TextIOWrapper(raw, encoding="ascii")  # errors="strict"
    monkeypatch.setattr(sys, "stderr", stderr)
    assert cli.main(["json", 'a = "é']) == 1
    stderr.flush()
    assert raw.getvalue().splitlines()[1] == b'  a = "\\xe9'


# arguments and standard input of commands that write to a pipe nobody reads (| head -c0)
CLOSED_PIPE = [
    (["json", "a = 1"], None),
    (["sql", "a = 1", "--params"], None),
    (["check", "-v", "-"], "{}"),
    (["--help"], None),
]


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize(("args", "stdin"), CLOSED_PIPE, ids=range(len(CLOSED_PIPE)))
def test_a_closed_pipe_is_exit_141_without_a_traceback(
    args: list[str], stdin: str | None, buffered: bool
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write to the pipe now fails with EPIPE
    try:
        out = subprocess.run(
            [sys.executable, "-m", "mixfilter", *args], input=stdin, stdout=write_end,
            stderr=subprocess.PIPE, text=True, env=env, timeout=60,
        )  # fmt: skip
    finally:
        os.close(write_end)
    assert out.stderr == ""
    if args == ["--help"] and not buffered:
        # argparse writes --help itself; from Python 3.11 it ignores a write that fails (and
        # unbuffered, the write fails at once), Python 3.10 lets the error reach the CLI
        assert out.returncode in (0, 141)
    else:
        assert out.returncode == 141


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
def test_a_full_disk_is_an_error_line_not_a_traceback(buffered: bool) -> None:
    """Writing to /dev/full fails with ENOSPC (found by review: a traceback)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    with open("/dev/full", "w") as full:
        out = subprocess.run(
            [sys.executable, "-m", "mixfilter", "json", "a = 1"], stdout=full,
            stderr=subprocess.PIPE, text=True, env=env, timeout=60,
        )  # fmt: skip
    assert out.returncode == 1
    assert out.stderr == (
        "mixfilter: cannot write to standard output: [Errno 28] No space left on device\n"
    )


def test_check_names_the_flag_of_a_limit(tmp_path: Path) -> None:
    """A file over a limit is one problem line, and the flag that raises the limit is named."""
    deep = tmp_path / "deep.json"
    deep.write_text('{"AND": [' * 40 + '{"field": "a", "value": 1}' + "]}" * 40)
    out = run("check", str(deep))
    assert out.returncode == 1
    assert out.stdout.startswith(f"{deep}: $: limit max_depth=32 exceeded"), out.stdout
    assert out.stderr.strip() == "mixfilter: on the command line, limits is --limits"
    assert run("check", str(deep), "--limits", '{"max_depth": 64}').returncode == 0


@pytest.mark.parametrize("flag", ["--fields", "--column-types", "--bindings", "--limits"])
def test_a_json_object_flag_given_twice_is_refused(flag: str) -> None:
    """Found by review: the second object silently replaced the first."""
    out = run("sql", "a = 1", flag, "{}", flag, "{}")
    assert out.returncode == 2 and out.stdout == ""
    assert f"error: {flag} given twice: write one JSON object with every entry" in out.stderr
    assert run("sql", "a = 1", flag, "{}").returncode == 0


def test_dialect_given_twice_is_refused() -> None:
    """Found by a bad-input hunt: the last --dialect won silently."""
    out = run("sql", "a = 1", "--dialect", "sqlite", "--dialect", "mysql")
    assert out.returncode == 2 and out.stdout == ""
    assert "error: --dialect given twice: give one" in out.stderr
    assert run("sql", "a = 1", "--dialect", "mysql").stdout == "`a` = 1\n"
    assert run("sql", "a = 1").stdout == '"a" = 1\n'  # postgres when not given


def test_params_before_the_filter_says_what_happened() -> None:
    """Found by a bad-input hunt: --params took the filter for its STYLE, then the filter was
    'required'."""
    out = run("sql", "--params", "a = 1")
    assert out.returncode == 2 and out.stdout == ""
    assert "argument --params: 'a = 1' is no STYLE: give the filter before --params" in out.stderr
    assert run("sql", "--params=qmark", "a = 1").stdout == '"a" = ?\n[1]\n'


def test_version() -> None:
    out = run("--version")
    assert out.returncode == 0 and out.stdout == f"mixfilter {mixfilter.__version__}\n"


def test_json_columns_may_be_repeated() -> None:
    out = run("sql", "m.a = 'x' and n.b = 'y'", "--json-columns", "m", "--json-columns", "n")
    assert out.returncode == 0, out.stderr
    assert '"m"' in out.stdout and '"n"' in out.stdout


def test_check_reads_standard_input_once() -> None:
    out = run("check", "-", "-", stdin="{}")
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr == "mixfilter check: standard input (-) can be read once: give - once\n"


@pytest.mark.parametrize(
    ("expression", "line", "caret"),
    [
        ('é = "x" and b = = 1', '\\xe9 = "x" and b = = 1', " " * 19 + "^"),
        ("a = 1 and b = ééé", "a = 1 and b = \\xe9\\xe9\\xe9", " " * 14 + "^" * 12),
    ],
)
def test_the_caret_stays_under_the_error_on_an_ascii_terminal(
    expression: str, line: str, caret: str
) -> None:
    """stderr escapes what it cannot encode (é is \\xe9): the caret moves with it (found by
    review: it pointed three columns too far left)."""
    out = run("json", expression, env={"PYTHONIOENCODING": "ascii"})
    assert out.returncode == 1
    assert out.stderr.splitlines()[1:3] == [f"  {line}", f"  {caret}"], out.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a = 1", "mixfilter: cannot write to standard output: standard output is closed"),
        ("a =", "mixfilter: FilterSyntaxError: line 1, column 4: unexpected end of the expression"),
    ],
)
def test_a_closed_standard_output_is_an_error_line(text: str, message: str) -> None:
    """Started with stdout closed (>&-), Python's sys.stdout is None (found by review: the
    output was lost without a word, then the final flush was an AttributeError traceback)."""
    out = subprocess.run(
        [sys.executable, "-m", "mixfilter", "json", text], stderr=subprocess.PIPE, text=True,
        timeout=60, preexec_fn=lambda: os.close(1),
    )  # fmt: skip
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.splitlines()[0].startswith(message), out.stderr


def test_a_closed_standard_error_sends_nothing_to_standard_output() -> None:
    """With stderr closed (2>&-), print(file=sys.stderr) would write the error to stdout."""
    out = subprocess.run(
        [sys.executable, "-m", "mixfilter", "json", "a ="], stdout=subprocess.PIPE, text=True,
        timeout=60, preexec_fn=lambda: os.close(2),
    )  # fmt: skip
    assert (out.returncode, out.stdout) == (1, "")
