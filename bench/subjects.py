"""What is timed: mixfilter's stages and the peers', each a Subject (or a Matcher for matches()).

A library that cannot be imported becomes a subject marked "not available", never a stub.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

import workload as w

REPO = Path(__file__).resolve().parent.parent
BIG = 100_000  # --big: mixfilter alone, for the linearity check
PEER_MAX = 10_000  # peers are timed up to this size

Call = Callable[[Any], object]
Make = Callable[[int, int], Any]


@dataclass
class Subject:
    """One thing that is timed: ``call(make(conditions, variant))``."""

    name: str
    role: str  # "mixfilter", "peer" or "reference" (a floor, not a peer)
    make: Make | None = None
    call: Call | None = None
    error: str | None = None  # why it is not available
    max_size: int = PEER_MAX


def subject(name: str, role: str, setup: Callable[[], tuple[Make, Call]], **kw: Any) -> Subject:
    """Build a subject; an import or attribute error makes it "not available"."""
    try:
        make, call = setup()
    except Exception as exc:
        return Subject(name, role, error=f"not available: {type(exc).__name__}: {exc}", **kw)
    return Subject(name, role, make, call, **kw)


def short_error(exc: BaseException) -> str:
    text = str(exc).splitlines()[0][:160] if str(exc) else ""
    return f"failed: {type(exc).__name__}: {text}"


def mixfilter_api(attr: str) -> Any:
    import mixfilter

    return getattr(mixfilter, attr)


def mixfilter_filter(n: int, variant: int) -> Any:
    """A Filter, built outside the timed call, with the peers' semantics (case-sensitive)."""
    return mixfilter_api("validate")(w.mixfilter_dict(n, variant, case_sensitive=True))


def mf(name: str, make: Make, call: Callable[[], Call]) -> Subject:
    return subject(name, "mixfilter", lambda: (make, call()), max_size=BIG)


def locate_mixfilter() -> str:
    """Import mixfilter: installed (run.sh does that), else from the source checkout."""
    try:
        import mixfilter
    except ImportError:
        if not (REPO / "mixfilter" / "__init__.py").is_file():
            return "mixfilter is not importable: its stages are reported as not available"
        sys.path.append(str(REPO))
        os.environ["PYTHONPATH"] = os.pathsep.join(
            p for p in (os.environ.get("PYTHONPATH"), str(REPO)) if p
        )  # for the import-time subprocesses
        try:
            import mixfilter
        except Exception as exc:
            return f"mixfilter is not importable ({short_error(exc)}): stages not available"
        where = "from the source checkout (NOT installed: pip install of the project failed)"
    else:
        where = "installed"
    return f"mixfilter {getattr(mixfilter, '__version__', '?')} {where}: {mixfilter.__file__}"


def raise_limits() -> str:
    """Lift mixfilter's size limits so the big workloads parse (peers have no such limits)."""
    try:
        import mixfilter
    except ImportError:
        return "mixfilter limits: not importable"
    setter = getattr(mixfilter, "set_default_limits", None)
    if setter is None:
        return "no mixfilter.set_default_limits: default limits apply (large sizes may fail)"
    setter(max_text_length=10**9, max_conditions=10**7)
    return (
        "mixfilter limits raised: set_default_limits(max_text_length=10**9, max_conditions=10**7)"
    )


def _cql2_text() -> tuple[Make, Call]:
    from pygeofilter.parsers.cql2_text import parse

    return w.cql2_text, parse


def _cql2_json() -> tuple[Make, Call]:
    from pygeofilter.parsers.cql2_json import parse

    return w.cql2_json, parse


def _odata() -> tuple[Make, Call]:
    from odata_query.grammar import ODataLexer, ODataParser

    lexer, parser = ODataLexer(), ODataParser()
    return w.odata, lambda text: parser.parse(lexer.tokenize(text))


def _luqum() -> tuple[Make, Call]:
    from luqum.parser import parser

    return w.lucene, parser.parse


def _langchain() -> tuple[Make, Call]:
    from langchain_classic.chains.query_constructor.parser import get_parser

    return w.langchain, get_parser().parse


def _sqlglot_parse() -> tuple[Make, Call]:
    import sqlglot

    return w.sql_where, partial(sqlglot.parse_one, dialect="postgres")


SAME_SQL = "sqlglot: generate mixfilter's own SQL from its tree (copy=False)"


SAME_SQL_COPY = "sqlglot: the same with the default .sql() (deep-copies the tree first)"


def _sqlglot_generate() -> tuple[Make, Call]:
    """sqlglot generating the plain WHERE clause from its built tree."""
    import sqlglot

    def make(n: int, variant: int) -> Any:
        return sqlglot.parse_one(w.sql_where(n, variant), dialect="postgres")

    return make, lambda tree: tree.sql(dialect="postgres", copy=False)


def _sqlglot_same_sql() -> tuple[Make, Call]:
    """sqlglot generating exactly mixfilter's SQL from a built tree: to_sql's floor."""
    import sqlglot

    to_sql = mixfilter_api("to_sql")

    def make(n: int, variant: int) -> Any:
        sql = to_sql(mixfilter_filter(n, variant), dialect="postgres")
        return sqlglot.parse_one(sql, dialect="postgres")

    return make, lambda tree: tree.sql(dialect="postgres", copy=False)


def _sqlglot_same_sql_copy() -> tuple[Make, Call]:
    """The same with sqlglot's default .sql(), which deep-copies the tree before generating."""
    make, _ = _sqlglot_same_sql()
    return make, lambda tree: tree.sql(dialect="postgres")


def _pygeofilter_sql() -> tuple[Make, Call]:
    from pygeofilter.backends.sql.evaluate import to_sql_where
    from pygeofilter.parsers.cql2_text import parse

    mapping = {f: f for f in w.FIELDS}
    return lambda n, v: parse(w.cql2_text(n, v)), lambda tree: to_sql_where(tree, mapping)


def _luqum_str() -> tuple[Make, Call]:
    from luqum.parser import parser

    return lambda n, v: parser.parse(w.lucene(n, v)), str


def sqlglot_label() -> str:
    try:
        import sqlglot.parser

        compiled = not sqlglot.parser.__file__ or not sqlglot.parser.__file__.endswith(".py")
    except ImportError:
        compiled = False
    return "sqlglot (mypyc-compiled)" if compiled else "sqlglot (pure Python)"


def text_copy(render: Callable[[int, int], str]) -> Make:
    """The same expression every call, as a new equal string (a cache must hash it)."""
    once = cache(render)
    return lambda n, _variant: "".join((once(n, 0)[:1], once(n, 0)[1:]))


def stage_subjects(stage: str) -> list[Subject]:
    if stage == "parse":
        return [
            mf("mixfilter.parse", w.mixfilter_text, lambda: mixfilter_api("parse")),
            subject("pygeofilter (CQL2 text, Lark)", "peer", _cql2_text),
            subject("odata-query (OData, SLY)", "peer", _odata),
            subject("luqum (Lucene, PLY)", "peer", _luqum),
            subject("LangChain query constructor (Lark)", "peer", _langchain),
            subject(sqlglot_label() + " parse_one", "peer", _sqlglot_parse),
        ]
    if stage == "validate":
        return [
            mf(
                "mixfilter.validate (JSON string)",
                w.mixfilter_json,
                lambda: mixfilter_api("validate"),
            ),
            subject("pygeofilter (CQL2 JSON string)", "peer", _cql2_json),
            subject(
                "json.loads alone (C floor)", "reference", lambda: (w.mixfilter_json, json.loads)
            ),
        ]
    if stage == "to_sql":
        return [
            mf(
                "mixfilter.to_sql (postgres)",
                mixfilter_filter,
                lambda: partial(mixfilter_api("to_sql"), dialect="postgres"),
            ),
            subject(SAME_SQL, "peer", _sqlglot_same_sql),
            subject(SAME_SQL_COPY, "reference", _sqlglot_same_sql_copy),
            subject("sqlglot: generate the plain WHERE from its tree", "peer", _sqlglot_generate),
            subject("pygeofilter SQL backend", "peer", _pygeofilter_sql),
        ]
    if stage == "to_mongo":
        return [mf("mixfilter.to_mongo", mixfilter_filter, lambda: mixfilter_api("to_mongo"))]
    if stage == "to_text":
        return [
            mf("mixfilter.to_text", mixfilter_filter, lambda: mixfilter_api("to_text")),
            subject("luqum str(tree)", "peer", _luqum_str),
            subject("sqlglot: generate the plain WHERE from its tree", "peer", _sqlglot_generate),
        ]
    if stage == "cached":
        return [
            mf(
                "mixfilter.parse, same text",
                text_copy(w.mixfilter_text),
                lambda: mixfilter_api("parse"),
            ),
            mf(
                "mixfilter.validate, same JSON string",
                text_copy(w.mixfilter_json),
                lambda: mixfilter_api("validate"),
            ),
        ]
    raise ValueError(stage)


Prepare = Callable[[int], tuple[Callable[[Any], object], list[Any]]]


@dataclass
class Matcher:
    name: str
    role: str
    prepare: Prepare | None
    error: str | None = None
    max_size: int = PEER_MAX


def matcher(
    name: str, role: str, setup: Callable[[], Prepare], max_size: int = PEER_MAX
) -> Matcher:
    try:
        return Matcher(name, role, setup(), max_size=max_size)
    except Exception as exc:
        return Matcher(name, role, None, f"not available: {type(exc).__name__}: {exc}", max_size)


NO_MATCH_LABEL = "mixfilter.matches, a document no group matches (every group evaluated)"


GEO = "pygeofilter native backend (compiled lambda)"


CEL = "cel-python (CEL) evaluate"
COMPILED = "mixfilter.compile_predicate(f)(doc) (case_sensitive=true)"


def matchers(docs: list[dict[str, Any]]) -> list[Matcher]:
    def mixfilter_exact() -> Prepare:
        matches, validate = mixfilter_api("matches"), mixfilter_api("validate")
        return lambda n: (partial(matches, validate(w.mixfilter_dict(n, 0, True))), docs)

    def mixfilter_default() -> Prepare:
        matches, parse = mixfilter_api("matches"), mixfilter_api("parse")
        return lambda n: (partial(matches, parse(w.mixfilter_text(n, 0))), docs)

    def mixfilter_compiled() -> Prepare:
        compile_predicate, validate = mixfilter_api("compile_predicate"), mixfilter_api("validate")
        return lambda n: (compile_predicate(validate(w.mixfilter_dict(n, 0, True))), docs)

    def mixfilter_no_match() -> Prepare:
        matches, validate = mixfilter_api("matches"), mixfilter_api("validate")
        nothing = [w.NO_MATCH] * len(docs)
        return lambda n: (partial(matches, validate(w.mixfilter_dict(n, 0, True))), nothing)

    def pygeofilter_native() -> Prepare:
        from pygeofilter.backends.native.evaluate import NativeEvaluator
        from pygeofilter.parsers.cql2_text import parse

        return lambda n: (
            NativeEvaluator(use_getattr=False).evaluate(parse(w.cql2_text(n, 0))),
            docs,
        )

    def cel_python() -> Prepare:
        import celpy

        env = celpy.Environment()
        cel_docs = [celpy.json_to_cel(d) for d in docs]
        return lambda n: (env.program(env.compile(w.cel(n, 0))).evaluate, cel_docs)

    return [
        matcher(
            "mixfilter.matches (case_sensitive=true: the peers' semantics)",
            "mixfilter",
            mixfilter_exact,
            BIG,
        ),
        matcher(
            "mixfilter.matches (default: case-insensitive strings)",
            "mixfilter-extra",
            mixfilter_default,
            BIG,
        ),
        matcher(
            COMPILED,
            "mixfilter-extra",
            mixfilter_compiled,
            BIG,
        ),
        matcher(NO_MATCH_LABEL, "mixfilter-worst", mixfilter_no_match, BIG),
        matcher(GEO, "peer", pygeofilter_native),
        matcher(CEL, "peer", cel_python),
    ]


IMPORTS = (
    ("mixfilter", "import mixfilter", "mixfilter.parse({mixfilter})"),
    ("pygeofilter (CQL2 text)", "from pygeofilter.parsers.cql2_text import parse", "parse({cql2})"),
    (
        "odata-query",
        "from odata_query.grammar import ODataLexer, ODataParser",
        "ODataParser().parse(ODataLexer().tokenize({odata}))",
    ),
    ("luqum", "from luqum.parser import parser", "parser.parse({lucene})"),
    (
        "LangChain query constructor",
        "from langchain_classic.chains.query_constructor.parser import get_parser",
        "get_parser().parse({langchain})",
    ),
    ("sqlglot", "import sqlglot", "sqlglot.parse_one({sql}, dialect='postgres')"),
    ("cel-python", "import celpy", "celpy.Environment().compile({cel})"),
)

# Import time: (name, import statement, first call), each run in a fresh interpreter.
PYDANTIC_FLOOR = "import pydantic\nclass M(pydantic.BaseModel):\n    x: int"
# What a library built on pydantic and Lark pays before any code of its own.
FLOORS = (
    ("floor: import pydantic, define one model", PYDANTIC_FLOOR, "M(x=1)"),
    ("floor: import lark", "import lark", "lark.Lark('start: \"a\"', parser='lalr')"),
)

MIN_VENV_LABEL = "mixfilter (minimal venv: mixfilter and its dependencies only)"
