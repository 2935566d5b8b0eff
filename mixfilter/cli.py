"""The ``mixfilter`` command: each stage of the library from the shell.

    mixfilter json 'status = "active" and age >= 30'      text → filter JSON
    mixfilter text '{"AND": [{"field": "age", ...}]}'      filter JSON → canonical text
    mixfilter check filters/*.json                          validate JSON files
    mixfilter sql 'age >= 30' --dialect mysql [--params]    SQL WHERE body
    mixfilter mongo 'age >= 30'                             pymongo find() filter

An argument of ``-`` reads standard input. Files and standard input are read as UTF-8; a leading
byte order mark is dropped. Errors print a message (with a caret under the place for expression
text) and exit with status 1; usage errors exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from .api import as_filter, parse, validate
from .errors import FilterError, FilterValidationError


class _Unreadable(Exception):
    """Input that is not UTF-8 text; the message says where the first bad byte is."""


def _decode(data: bytes) -> str:
    """UTF-8 text without a leading byte order mark (editors on Windows like to add one)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise _Unreadable("UTF-16 text, not UTF-8; save it as UTF-8") from None
        bad = data[exc.start : exc.start + 4]
        raise _Unreadable(f"not UTF-8 text ({exc.reason} at byte {exc.start}: {bad!r})") from None


def _stdin() -> str:
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # replaced by a text-only stream (tests, embedding): already decoded
        return sys.stdin.read().removeprefix("\ufeff")
    return _decode(buffer.read())


def _read(arg: str) -> str:
    if arg != "-":
        return arg
    try:
        return _stdin()
    except _Unreadable as exc:
        raise _Unreadable(f"standard input is {exc}") from None


def _dump(data: Any, compact: bool) -> str:
    if compact:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return json.dumps(data, ensure_ascii=False, indent=2)


def _cmd_json(args: argparse.Namespace) -> int:
    f = parse(_read(args.expression))
    print(_dump(f.to_json(legacy=args.legacy), args.compact))
    return 0


def _cmd_text(args: argparse.Namespace) -> int:
    print(validate(_read(args.json)).to_text())
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    failed = False
    for name in args.files:
        try:
            if name == "-":
                data = _stdin()
            else:
                with open(name, "rb") as fh:
                    data = _decode(fh.read())
            validate(data)
        except OSError as exc:
            print(f"{name}: cannot read: {exc.strerror}", file=sys.stderr)
            failed = True
        except _Unreadable as exc:
            print(f"{name}: $: {exc}")
            failed = True
        except FilterValidationError as exc:
            for problem in exc.problems:
                print(f"{name}: {problem}")
            failed = True
        except FilterError as exc:
            print(f"{name}: $: {exc}")
            failed = True
        else:
            if args.verbose:
                print(f"{name}: ok")
    return 1 if failed else 0


def _cmd_sql(args: argparse.Namespace) -> int:
    from .targets.sql import to_sql

    f = as_filter(_read(args.filter))
    if args.params:
        style = None if args.params is True else args.params
        sql, params = to_sql(f, dialect=args.dialect, params=True, paramstyle=style)
        print(sql)
        print(_dump(params, compact=True))
    else:
        print(to_sql(f, dialect=args.dialect))
    return 0


def _cmd_mongo(args: argparse.Namespace) -> int:
    from .targets.mongo import to_mongo, to_mongo_json

    f = as_filter(_read(args.filter))
    query = to_mongo(f, bson_dates=args.bson_dates)
    print(to_mongo_json(query, indent=None if args.compact else 2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mixfilter",
        description="Readable filter expressions to Mixpeek filter JSON, SQL and MongoDB.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str, help: str, run: Callable[[argparse.Namespace], int]
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(run=run)
        return p

    p = command("json", "expression text to filter JSON", _cmd_json)
    p.add_argument("expression", help="the expression, or - to read standard input")
    p.add_argument("--legacy", action="store_true", help="use 'key' and 'NOR' (older endpoints)")
    p.add_argument("--compact", action="store_true", help="one line of JSON")

    p = command("text", "filter JSON to canonical expression text", _cmd_text)
    p.add_argument("json", help="the filter JSON, or - to read standard input")

    p = command(
        "check", "validate filter JSON files: one line per problem, exit 1 if any", _cmd_check
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="JSON files (- for standard input)")
    p.add_argument("-v", "--verbose", action="store_true", help="also report files that are ok")

    p = command("sql", "a filter (text or JSON) to a SQL WHERE body", _cmd_sql)
    p.add_argument("filter", help="expression text or filter JSON, or - for standard input")
    p.add_argument("--dialect", default="postgres", help="a sqlglot dialect (default: postgres)")
    p.add_argument(
        "--params", nargs="?", const=True, default=False, metavar="STYLE",
        help="bind literals as parameters and print them as JSON on a second line; STYLE is "
        "qmark, numeric, named, format or pyformat (default: the dialect's usual style)",
    )  # fmt: skip

    p = command("mongo", "a filter (text or JSON) to a pymongo find() filter", _cmd_mongo)
    p.add_argument("filter", help="expression text or filter JSON, or - for standard input")
    p.add_argument(
        "--bson-dates", action="store_true", help="ISO dates as BSON dates (extended JSON)"
    )
    p.add_argument("--compact", action="store_true", help="one line of JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except FilterError as exc:
        print(f"mixfilter: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    except _Unreadable as exc:
        print(f"mixfilter: {exc}", file=sys.stderr)
        return 1
    except ModuleNotFoundError as exc:  # an optional dependency (pymongo, for --bson-dates)
        extra = " (pip install 'mixfilter[mongo]')" if exc.name in ("bson", "pymongo") else ""
        print(f"mixfilter: this needs the {exc.name} package{extra}", file=sys.stderr)
        return 1
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
