"""The ``mixfilter`` command: each stage of the library from the shell.

    mixfilter json 'status = "active" and age >= 30'      text → filter JSON
    mixfilter text '{"AND": [{"field": "age", ...}]}'      filter JSON → canonical text
    mixfilter check filters/*.json                          validate JSON files
    mixfilter sql 'age >= 30' --dialect mysql [--params]    SQL WHERE body
    mixfilter mongo 'age >= 30'                             pymongo find() filter

The library's keyword options are flags: ``--fields``, ``--json-columns``,
``--column-types`` and ``--bindings`` for ``sql``; ``--bindings`` for ``mongo``; ``--limits`` for
every command. An argument of ``-`` reads standard input. Files and standard input are read as
UTF-8; a leading byte order mark is dropped. JSON that standard output cannot encode is printed
with ``\\u`` escapes (the same JSON); other output it cannot encode is an error. Errors print a
message (with a caret under the place for expression text) and exit with status 1; usage errors
(including a flag's bad JSON) exit with status 2; a closed pipe (``| head``) exits with 141.
"""

from __future__ import annotations

import argparse
import builtins
import contextlib
import errno
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .api import parse, validate
from .errors import FilterError, FilterSyntaxError, FilterValidationError, quote_slice
from .limits import Limits
from .validation import wide_encoding

#: The exit status after a closed pipe: what a shell reports for a process killed by SIGPIPE.
#: Not 1, which says the input was bad.
BROKEN_PIPE = 141


class _Unreadable(Exception):
    """Input that is not UTF-8 text; the message says where the first bad byte is."""


class _Unwritable(Exception):
    """Output (other than JSON) that standard output's encoding cannot represent."""


def _decode(data: bytes) -> str:
    """UTF-8 text without a leading byte order mark (editors on Windows like to add one)."""
    if 0 in data[:64] and (wide := wide_encoding(data)) is not None:  # decodes, as NULs
        raise _Unreadable(f"{wide} text, not UTF-8; save it as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        wide = wide_encoding(data)
        if wide is not None:
            raise _Unreadable(f"{wide} text, not UTF-8; save it as UTF-8") from None
        bad = data[exc.start : exc.start + 4]
        raise _Unreadable(f"not UTF-8 text ({exc.reason} at byte {exc.start}: {bad!r})") from None


#: What Python puts in sys.argv for bytes that are not UTF-8 (PEP 383's surrogate escapes).
_UNDECODED = re.compile("[\udc80-\udcff]")


def _stdin() -> str:
    if sys.stdin is None:  # started with standard input closed (<&-)
        raise OSError(errno.EBADF, "it is closed")
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # replaced by a text-only stream (tests, embedding): already decoded
        return sys.stdin.read().removeprefix("\ufeff")
    return _decode(buffer.read())


def _read(arg: str) -> str:
    if arg != "-":
        if _UNDECODED.search(arg):  # bytes the locale could not decode (surrogateescape)
            try:  # under LC_ALL=C, valid UTF-8 arrives escaped too
                return os.fsencode(arg).decode("utf-8")
            except UnicodeDecodeError:
                raise _Unreadable(
                    "the argument is not UTF-8 text; pass the filter as UTF-8"
                ) from None
        return arg
    try:
        return _stdin()
    except _Unreadable as exc:
        raise _Unreadable(f"standard input is {exc}") from None
    except OSError as exc:
        raise _Unreadable(f"cannot read standard input: {exc.strerror or exc}") from None


def _dump(data: Any, compact: bool) -> str:
    if compact:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return json.dumps(data, ensure_ascii=False, indent=2)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _out(text: str, *, is_json: bool = False) -> None:
    """Print ``text``. JSON that standard output cannot encode is printed with ``\\u`` escapes
    (what ``ensure_ascii=True`` writes: in JSON text, non-ASCII characters only occur in strings);
    other text is an error asking for a UTF-8 stream. Nothing is written when encoding fails."""
    with _writing():
        if sys.stdout is None:  # started with standard output closed: say so, lose nothing quietly
            raise _WriteFailed("standard output is closed")
        try:
            print(text)
        except UnicodeEncodeError as exc:
            if not is_json:
                bad = ascii(exc.object[exc.start : exc.end])
                raise _Unwritable(
                    f"standard output ({exc.encoding}) cannot encode {bad}: "
                    "set PYTHONIOENCODING=utf-8"
                ) from None
            print(_NON_ASCII.sub(lambda m: json.dumps(m.group())[1:-1], text))


class _WriteFailed(Exception):
    """Standard output refused a write, and not because its reader went away."""


@contextlib.contextmanager
def _writing() -> Iterator[None]:
    """A failed write to standard output (a full disk, say) as :class:`_WriteFailed`; a
    closed pipe stays a BrokenPipeError."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _WriteFailed(exc) from None


def _json_object(text: str) -> dict[str, Any]:
    """argparse ``type`` of the JSON flags: a JSON object, or a one-line usage error."""
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_int=_json_int)
    except ValueError as exc:  # bad syntax, a duplicate key, an integer too long to read
        raise argparse.ArgumentTypeError(f"invalid JSON ({exc}): {quote_slice(text)}") from None
    except RecursionError:
        raise argparse.ArgumentTypeError(
            f"invalid JSON (it nests too deeply to read): {quote_slice(text)}"
        ) from None
    if not isinstance(value, dict):
        kind = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
        got = kind.get(type(value), "a number")
        raise argparse.ArgumentTypeError(f"expected a JSON object {{...}}, got {got}")
    return value


def _json_int(token: str) -> int:
    """``parse_int`` of the JSON flags: int() refuses more than 4,300 digits with advice about
    sys.set_int_max_str_digits, which a user of the command cannot follow."""
    try:
        return int(token)
    except ValueError:
        digits = len(token.lstrip("-"))
        raise ValueError(
            f"an integer of {digits:,} digits is out of the signed 64-bit range"
        ) from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {quote_slice(key)}")
        out[key] = value
    return out


def _style(text: str) -> str:
    """argparse ``type`` of ``--params STYLE``: a word (the library checks which), not the filter
    that ``--params`` took for its STYLE because it came first (``--params 'a = 1'``)."""
    if text and not text.isidentifier():  # (an empty STYLE is the library's to refuse)
        raise argparse.ArgumentTypeError(
            f"{quote_slice(text)} is no STYLE: give the filter before --params, or write "
            "--params=STYLE"
        )
    return text


def _names(text: str) -> list[str]:
    """argparse ``type`` of ``--json-columns``: comma-separated names, or a JSON list of them
    (``["m"]`` would otherwise be one column named ``["m"]``)."""
    if not text.lstrip().startswith("["):
        return [name.strip() for name in text.split(",")]
    try:
        names = json.loads(text)
    except (ValueError, RecursionError):
        names = None
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise argparse.ArgumentTypeError(
            f"expected column names separated by commas, or a JSON list of strings: "
            f"{quote_slice(text)}"
        )
    return names


@dataclass(frozen=True)
class _Flag:
    """A keyword option of the library as a command-line flag."""

    flag: str
    metavar: str
    type: Callable[[str], Any]
    help: str
    action: str | builtins.type[argparse.Action] = "store"  # (type: the field above)


class _Once(argparse.Action):
    """A flag that may be given once: a second value (a JSON object, a dialect) would silently
    replace the first."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        if getattr(namespace, self.dest, None) is not None:
            fix = "write one JSON object with every entry" if self.metavar == "JSON" else "give one"
            parser.error(f"{option_string} given twice: {fix}")
        setattr(namespace, self.dest, values)


#: Keyword option -> flag. Library error messages name the option; the CLI then names the flag.
_FLAGS = {
    "fields": _Flag(
        "--fields", "JSON", _json_object,
        'JSON object: field -> column name, or a list of name parts for a qualified column: '
        '{"metadata.title": "title", "author": ["users", "name"]}',
        action=_Once,
    ),
    "json_columns": _Flag(
        "--json-columns", "NAMES", _names,
        "columns holding JSON, comma-separated or a JSON list (repeatable): with metadata, "
        "metadata.title reads title from the metadata column",
        action="extend",
    ),
    "column_types": _Flag(
        "--column-types", "JSON", _json_object,
        'JSON object: field -> text, int, float or bool: {"age": "int"}; a value of another '
        "type never matches",
        action=_Once,
    ),
    "bindings": _Flag(
        "--bindings", "JSON", _json_object,
        'JSON object: values of templates and dynamic values: {"INPUT.max_price": 10}',
        action=_Once,
    ),
    "limits": _Flag(
        "--limits", "JSON", _json_object,
        'JSON object: limits to change: {"max_depth": 64} (max_text_length, max_depth, '
        "max_conditions, max_list_length, max_string_length, max_regex_length)",
        action=_Once,
    ),
}  # fmt: skip


def _options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword options given as flags to this command."""
    given = {name: getattr(args, name) for name in args.options}
    options = {name: value for name, value in given.items() if value is not None}
    if "limits" in options:
        options["limits"] = Limits(**options["limits"])
    return options


def _flag_hint(message: str, names: Sequence[str]) -> str | None:
    """Library messages name keyword options (``fields={...}``): say which flag sets each."""
    word = {"limits": "Limits"}
    found = [n for n in names if re.search(rf"\b{word.get(n, n)}\b", message)]
    if not found:
        return None
    return "on the command line, " + ", ".join(f"{n} is {_FLAGS[n].flag}" for n in found)


def _cmd_json(args: argparse.Namespace) -> int:
    f = parse(_read(args.expression), **_options(args))
    _out(_dump(f.to_json(legacy=args.legacy), args.compact), is_json=True)
    return 0


def _cmd_text(args: argparse.Namespace) -> int:
    _out(validate(_read(args.json), **_options(args)).to_text())
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    if args.files.count("-") > 1:  # the second read would find standard input empty
        print("mixfilter check: standard input (-) can be read once: give - once", file=sys.stderr)
        return 2
    options = _options(args)
    failed = False
    for name in args.files:
        try:
            if name == "-":
                data = _stdin()
            else:
                with open(name, "rb") as fh:
                    data = _decode(fh.read())
            validate(data, **options)
        except OSError as exc:
            print(f"{name}: cannot read: {exc.strerror}", file=sys.stderr)
            failed = True
        except _Unreadable as exc:
            _out(f"{name}: $: {exc}")
            failed = True
        except FilterValidationError as exc:
            for problem in exc.problems:
                _out(f"{name}: {problem}")
            failed = True
        except FilterError as exc:  # a limit: the hint says which flag raises it
            _out(f"{name}: $: {exc}")
            hint = _flag_hint(str(exc), args.options)
            if hint:
                print(f"mixfilter: {hint}", file=sys.stderr)
            failed = True
        else:
            if args.verbose:
                _out(f"{name}: ok")
    return 1 if failed else 0


def _cmd_sql(args: argparse.Namespace) -> int:
    from .targets.sql import to_sql

    f, options = _read(args.filter), _options(args)
    dialect = "postgres" if args.dialect is None else args.dialect  # None: no --dialect given
    if args.params is not False:  # --params, or --params STYLE (an empty STYLE is refused)
        style = None if args.params is True else args.params
        sql, params = to_sql(
            f, dialect, params=True, paramstyle=style, pretty=args.pretty, **options
        )
        _out(sql)
        _out(_dump(params, compact=True), is_json=True)
    else:
        _out(to_sql(f, dialect, pretty=args.pretty, **options))
    return 0


def _cmd_mongo(args: argparse.Namespace) -> int:
    from .targets.mongo import to_mongo, to_mongo_json

    query = to_mongo(_read(args.filter), bson_dates=args.bson_dates, **_options(args))
    _out(to_mongo_json(query, indent=None if args.compact else 2), is_json=True)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mixfilter",
        description="Readable filter expressions to Mixpeek filter JSON, SQL and MongoDB.",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"mixfilter {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str, help: str, run: Callable[[argparse.Namespace], int], *options: str
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(run=run, options=options)
        return p

    p = command("json", "expression text to filter JSON", _cmd_json, "limits")
    p.add_argument("expression", help="the expression, or - to read standard input")
    p.add_argument("--legacy", action="store_true", help="use 'key' and 'NOR' (older endpoints)")
    p.add_argument("--compact", action="store_true", help="one line of JSON")

    p = command("text", "filter JSON to canonical expression text", _cmd_text, "limits")
    p.add_argument("json", help="the filter JSON, or - to read standard input")

    p = command(
        "check", "validate filter JSON files: one line per problem, exit 1 if any",
        _cmd_check, "limits",
    )  # fmt: skip
    p.add_argument("files", nargs="+", metavar="FILE", help="JSON files (- for standard input)")
    p.add_argument("-v", "--verbose", action="store_true", help="also report files that are ok")

    p = command(
        "sql", "a filter (text or JSON) to a SQL WHERE body", _cmd_sql,
        "fields", "json_columns", "column_types", "bindings", "limits",
    )  # fmt: skip
    p.add_argument("filter", help="expression text or filter JSON, or - for standard input")
    p.add_argument(
        "--dialect", default=None, action=_Once, help="a sqlglot dialect (default: postgres)"
    )
    p.add_argument(
        "--params", nargs="?", const=True, default=False, metavar="STYLE", type=_style,
        help="bind literals as parameters and print them as JSON on a second line; STYLE is "
        "qmark, numeric, named, format, pyformat or clickhouse (default: the dialect's usual "
        "style); a template without --bindings becomes a named parameter where STYLE allows",
    )  # fmt: skip
    p.add_argument("--pretty", action="store_true", help="multi-line SQL")

    p = command(
        "mongo", "a filter (text or JSON) to a pymongo find() filter", _cmd_mongo,
        "bindings", "limits",
    )  # fmt: skip
    p.add_argument("filter", help="expression text or filter JSON, or - for standard input")
    p.add_argument(
        "--bson-dates", action="store_true", help="ISO dates as BSON dates (extended JSON)"
    )
    p.add_argument("--compact", action="store_true", help="one line of JSON")

    for p in sub.choices.values():  # the library's options, after each command's own flags
        for option in p.get_default("options"):
            f = _FLAGS[option]
            p.add_argument(
                f.flag, dest=option, metavar=f.metavar, type=f.type, action=f.action, help=f.help
            )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if sys.stderr is None:  # started with standard error closed: print() would fall back to stdout
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (for the rest of the process)
    if isinstance(sys.stderr, io.TextIOWrapper):  # an error message must never fail to print
        sys.stderr.reconfigure(errors="backslashreplace")
    try:
        try:
            return _main(argv)
        finally:
            with _writing():
                if sys.stdout is not None:
                    sys.stdout.flush()  # a closed pipe shows here, not in the flush at exit
    except BrokenPipeError:
        _discard_stdout()
        return BROKEN_PIPE
    except _WriteFailed as exc:
        print(f"mixfilter: cannot write to standard output: {exc}", file=sys.stderr)
        _discard_stdout()
        return 1


def _discard_stdout() -> None:
    """The recipe of the signal module's docs: stdout to devnull, so that the flush at exit (of
    what is still buffered) cannot fail again and print a traceback."""
    with contextlib.suppress(OSError, ValueError, AttributeError):  # not a file, or closed (None)
        stdout = sys.stdout.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stdout)
        os.close(devnull)


def _printable(exc: FilterError) -> str:
    """The message, with the caret still under the offending text when standard error cannot
    encode the source line (it prints é as \\xe9 there: four characters, not one)."""
    message = str(exc)
    encoding = getattr(sys.stderr, "encoding", None) or "utf-8"
    if not isinstance(exc, FilterSyntaxError):
        return message
    try:
        exc.source_line.encode(encoding)
        return message
    except (UnicodeEncodeError, LookupError):
        pass

    def shown(text: str) -> str:
        return text.encode(encoding, "backslashreplace").decode(encoding)

    at = exc.caret.index("^")
    width = len(exc.caret) - at
    line = exc.source_line
    marked = shown(line[at : at + width]) or " "
    caret = " " * len(shown(line[:at])) + "^" * len(marked)
    drawn = f"\n  {line}\n  {exc.caret}"
    return message.replace(drawn, f"\n  {shown(line)}\n  {caret}", 1)


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except FilterError as exc:
        print(f"mixfilter: {type(exc).__name__}: {_printable(exc)}", file=sys.stderr)
        hint = _flag_hint(str(exc), args.options)
        if hint:
            print(f"mixfilter: {hint}", file=sys.stderr)
        return 1
    except (_Unreadable, _Unwritable) as exc:
        print(f"mixfilter: {exc}", file=sys.stderr)
        return 1
    except ModuleNotFoundError as exc:  # an optional dependency (pymongo, for --bson-dates)
        extra = " (pip install 'mixfilter[mongo]')" if exc.name in ("bson", "pymongo") else ""
        print(f"mixfilter: this needs the {exc.name} package{extra}", file=sys.stderr)
        return 1
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
