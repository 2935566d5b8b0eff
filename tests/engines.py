"""Real database engines for mixfilter's tests, behind one small interface.

SQL: SQLite (stdlib), DuckDB, PostgreSQL, MariaDB, Spark (local) and ClickHouse (chdb).
MongoDB wire protocol: SecantusDB, embedded, unless ``MIXFILTER_MONGO_URI`` names a server.

PostgreSQL and MariaDB are servers: start them with ``bash .ci/engines.sh``. Connection
settings come from ``MIXFILTER_PG_*`` / ``MIXFILTER_MARIADB_*`` (HOST, PORT, USER, PASSWORD,
DATABASE); the defaults match that script. Every engine is created at most once per process
(``get_engine``), so fixtures imported into several modules still share one Spark session.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import warnings
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal

if TYPE_CHECKING:
    import pymongo

LogicalType = Literal["text", "int", "float", "bool"]
ParamStyle = Literal["qmark", "numeric", "named", "format", "pyformat"]
Params = Sequence[Any] | Mapping[str, Any] | None
TypeMap = Mapping[LogicalType, str]

START_HINT = "start the servers with: bash .ci/engines.sh"
INSTALL_HINT = "install the test engines with: pip install -e '.[engines]'"
SQL_ENGINE_NAMES = ("sqlite", "duckdb", "postgres", "mariadb", "spark", "clickhouse")

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class EngineUnavailableError(Exception):
    """The engine's driver is not installed or its server cannot be reached."""


def _env(engine: str, key: str, default: str) -> str:
    return os.environ.get(f"MIXFILTER_{engine}_{key}", default)


def _ident(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"not a plain identifier: {name!r}")
    return name


def _coerce(value: Any, logical: LogicalType) -> Any:
    if value is None:
        return None
    return {"text": str, "int": int, "float": float, "bool": bool}[logical](value)


class SqlEngine(ABC):
    """One SQL engine: load rows into a table, then run ``SELECT id ... WHERE <sql>``."""

    name: ClassVar[str]
    dialect: ClassVar[str]  # sqlglot dialect to compile for
    paramstyle: ClassVar[ParamStyle | None]  # the driver's own style; None: cannot bind
    paramstyles: ClassVar[tuple[ParamStyle, ...]]  # every PEP 249 style the driver accepts
    types: ClassVar[TypeMap]
    quote: ClassVar[str] = '"'
    table_suffix: ClassVar[str] = ""

    def q(self, name: str) -> str:
        return f"{self.quote}{_ident(name)}{self.quote}"

    def column_type(self, logical: LogicalType, *, nullable: bool) -> str:
        return self.types[logical] if nullable else f"{self.types[logical]} NOT NULL"

    def load(
        self, table: str, columns: Mapping[str, LogicalType], rows: Sequence[Mapping[str, Any]]
    ) -> None:
        """(Re)create ``table``: an int ``id`` plus ``columns``; missing keys and None are NULL."""
        cols: dict[str, LogicalType] = {"id": "int", **columns}
        for row in rows:
            if unknown := set(row) - set(cols):
                raise ValueError(f"row {row!r} has keys not in columns: {sorted(unknown)}")
        values = [tuple(_coerce(row.get(c), t) for c, t in cols.items()) for row in rows]
        self._create_and_insert(table, cols, values)

    def select_ids(self, table: str, where_sql: str, params: Params = None) -> list[int]:
        """Sorted ids of the rows of ``table`` matching ``where_sql`` (passed through as is)."""
        rows = self._fetch(f"SELECT id FROM {self.q(table)} WHERE {where_sql}", params)
        return sorted(int(row[0]) for row in rows)

    def _create_sql(self, table: str, cols: Mapping[str, LogicalType]) -> str:
        defs = ", ".join(
            f"{self.q(c)} {self.column_type(t, nullable=c != 'id')}" for c, t in cols.items()
        )
        return f"CREATE TABLE {self.q(table)} ({defs}){self.table_suffix}"

    @abstractmethod
    def _create_and_insert(
        self, table: str, cols: Mapping[str, LogicalType], values: list[tuple[Any, ...]]
    ) -> None:
        """Drop and create ``table``, then insert ``values`` (tuples in ``cols`` order)."""

    @abstractmethod
    def _fetch(self, sql: str, params: Params) -> Sequence[Sequence[Any]]:
        """Run ``sql`` (binding ``params`` if not None) and return its rows."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection or session."""


class _DbApiEngine(SqlEngine):
    """A PEP 249 connection in autocommit mode. Params are passed only when not None, so
    format/pyformat drivers see a lone ``%`` unchanged unless there are params."""

    conn: Any
    insert_mark: ClassVar[str] = "?"

    def _create_and_insert(
        self, table: str, cols: Mapping[str, LogicalType], values: list[tuple[Any, ...]]
    ) -> None:
        self._fetch(f"DROP TABLE IF EXISTS {self.q(table)}", None)
        self._fetch(self._create_sql(table, cols), None)
        if values:
            names = ", ".join(self.q(c) for c in cols)
            marks = ", ".join([self.insert_mark] * len(cols))
            cur = self.conn.cursor()
            try:
                cur.executemany(f"INSERT INTO {self.q(table)} ({names}) VALUES ({marks})", values)
            finally:
                cur.close()

    def _fetch(self, sql: str, params: Params) -> Sequence[Sequence[Any]]:
        cur = self.conn.cursor()
        try:
            if params is None:
                cur.execute(sql)
            else:
                cur.execute(sql, params)
            return list(cur.fetchall()) if cur.description is not None else []
        finally:
            cur.close()

    def close(self) -> None:
        self.conn.close()


def _sqlite_regexp(pattern: str | None, value: str | None) -> bool | None:
    """``value REGEXP pattern`` with Python ``re.search`` semantics; NULL in, NULL out."""
    if pattern is None or value is None:
        return None
    return re.search(pattern, value) is not None


class SqliteEngine(_DbApiEngine):
    """stdlib sqlite3 in memory with default pragmas (so LIKE ignores ASCII case)."""

    name, dialect, paramstyle = "sqlite", "sqlite", "qmark"
    paramstyles = ("qmark", "numeric", "named")
    types: ClassVar[TypeMap] = {
        "text": "TEXT",
        "int": "INTEGER",
        "float": "REAL",
        "bool": "BOOLEAN",
    }

    def __init__(self) -> None:
        self.conn = sqlite3.connect(":memory:", isolation_level=None)
        self.conn.create_function("regexp", 2, _sqlite_regexp, deterministic=True)


class DuckdbEngine(_DbApiEngine):
    """DuckDB in memory. Besides ``?`` it binds ``$1`` and ``$name``, but not ``:name``."""

    name, dialect, paramstyle = "duckdb", "duckdb", "qmark"
    paramstyles = ("qmark",)
    types: ClassVar[TypeMap] = {
        "text": "VARCHAR",
        "int": "BIGINT",
        "float": "DOUBLE",
        "bool": "BOOLEAN",
    }

    def __init__(self) -> None:
        try:
            import duckdb
        except ImportError as exc:
            raise EngineUnavailableError(
                f"duckdb: python package not installed ({exc}); {INSTALL_HINT}"
            ) from exc
        self.conn = duckdb.connect(":memory:")


class PostgresEngine(_DbApiEngine):
    """PostgreSQL via psycopg 3: %s / %(name)s; double a literal ``%`` when params are given."""

    name, dialect, paramstyle = "postgres", "postgres", "pyformat"
    paramstyles = ("format", "pyformat")
    types: ClassVar[TypeMap] = {
        "text": "TEXT",
        "int": "BIGINT",
        "float": "DOUBLE PRECISION",
        "bool": "BOOLEAN",
    }
    insert_mark = "%s"

    def __init__(self) -> None:
        try:
            import psycopg
        except ImportError as exc:
            raise EngineUnavailableError(
                f"postgres: python package not installed ({exc}); {INSTALL_HINT}"
            ) from exc
        host, port = _env("PG", "HOST", "127.0.0.1"), int(_env("PG", "PORT", "55432"))
        try:
            self.conn = psycopg.connect(
                host=host,
                port=port,
                user=_env("PG", "USER", "sqltest"),
                password=_env("PG", "PASSWORD", "sqltest"),
                dbname=_env("PG", "DATABASE", "sqltest"),
                autocommit=True,
                connect_timeout=5,
            )
        except psycopg.OperationalError as exc:
            raise EngineUnavailableError(
                f"postgres: cannot connect to {host}:{port} ({exc}); {START_HINT}"
            ) from exc


class MariadbEngine(_DbApiEngine):
    """MariaDB via PyMySQL; tables and connection use utf8mb4_bin (case-sensitive, PAD SPACE)."""

    name, dialect, paramstyle = "mariadb", "mysql", "pyformat"
    paramstyles = ("format", "pyformat")
    types: ClassVar[TypeMap] = {
        "text": "TEXT",
        "int": "BIGINT",
        "float": "DOUBLE",
        "bool": "BOOLEAN",
    }
    quote = "`"
    table_suffix = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
    insert_mark = "%s"

    def __init__(self) -> None:
        try:
            import pymysql  # type: ignore[import-untyped]
        except ImportError as exc:
            raise EngineUnavailableError(
                f"mariadb: python package not installed ({exc}); {INSTALL_HINT}"
            ) from exc
        host, port = _env("MARIADB", "HOST", "127.0.0.1"), int(_env("MARIADB", "PORT", "33306"))
        try:
            self.conn = pymysql.connect(
                host=host,
                port=port,
                user=_env("MARIADB", "USER", "sqltest"),
                password=_env("MARIADB", "PASSWORD", "sqltest"),
                database=_env("MARIADB", "DATABASE", "sqltest"),
                charset="utf8mb4",
                collation="utf8mb4_bin",
                autocommit=True,
                connect_timeout=5,
            )
        except pymysql.err.OperationalError as exc:
            raise EngineUnavailableError(
                f"mariadb: cannot connect to {host}:{port} ({exc}); {START_HINT}"
            ) from exc


class SparkEngine(SqlEngine):
    """Spark SQL on a local[2] session bound to 127.0.0.1; tables are temp views."""

    name, dialect, paramstyle = "spark", "spark", "named"
    paramstyles = ("qmark", "named")
    types: ClassVar[TypeMap] = {
        "text": "STRING",
        "int": "BIGINT",
        "float": "DOUBLE",
        "bool": "BOOLEAN",
    }
    quote = "`"

    def __init__(self) -> None:
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ.setdefault("JAVA_TOOL_OPTIONS", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1")
        try:
            with warnings.catch_warnings():  # pyspark 4.3 frets about pandas 3 (chdb brings it)
                warnings.filterwarnings(
                    "ignore", "PySpark does not yet fully support", FutureWarning
                )
                import pyspark.testing  # noqa: F401  (where that warning comes from)
                from pyspark.sql import SparkSession
        except ImportError as exc:
            raise EngineUnavailableError(
                f"spark: python package not installed ({exc}); {INSTALL_HINT}"
            ) from exc
        try:
            self.spark = (
                SparkSession.builder.master("local[2]")
                .appName("mixfilter-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate()
            )
        except Exception as exc:  # no Java, port trouble, ...: all mean "no Spark here"
            raise EngineUnavailableError(
                f"spark: cannot start a local session ({exc}); needs Java 17 or 21"
            ) from exc
        self.spark.sparkContext.setLogLevel("FATAL")  # errors still reach Python as exceptions

    def _create_and_insert(
        self, table: str, cols: Mapping[str, LogicalType], values: list[tuple[Any, ...]]
    ) -> None:
        schema = ", ".join(
            f"{self.q(c)} {self.column_type(t, nullable=c != 'id')}" for c, t in cols.items()
        )
        self.spark.createDataFrame(values, schema).createOrReplaceTempView(_ident(table))

    def _fetch(self, sql: str, params: Params) -> Sequence[Sequence[Any]]:
        args: dict[str, Any] | list[Any] | None = None
        if isinstance(params, Mapping):
            args = dict(params)
        elif params is not None:
            args = list(params)
        return self.spark.sql(sql, args=args).collect()

    def close(self) -> None:
        self.spark.stop()


class ClickhouseEngine(SqlEngine):
    """ClickHouse in process (chdb). It binds only its own ``{name:Type}`` placeholders, from a
    dict, so ``paramstyle`` is None; ``select_ids`` passes a dict through to that binding."""

    name, dialect, paramstyle = "clickhouse", "clickhouse", None
    paramstyles = ()
    types: ClassVar[TypeMap] = {
        "text": "String",
        "int": "Int64",
        "float": "Float64",
        "bool": "Bool",
    }
    table_suffix = " ENGINE = Memory"

    def __init__(self) -> None:
        try:
            from chdb import session
        except ImportError as exc:
            raise EngineUnavailableError(
                f"clickhouse: python package chdb not installed ({exc}); {INSTALL_HINT}"
            ) from exc
        self.session: Any = session.Session()  # type: ignore[no-untyped-call]

    def column_type(self, logical: LogicalType, *, nullable: bool) -> str:
        return f"Nullable({self.types[logical]})" if nullable else self.types[logical]

    def _create_and_insert(
        self, table: str, cols: Mapping[str, LogicalType], values: list[tuple[Any, ...]]
    ) -> None:
        self._fetch(f"DROP TABLE IF EXISTS {self.q(table)}", None)
        self._fetch(self._create_sql(table, cols), None)
        if values:  # JSON text needs no SQL escaping
            lines = "\n".join(json.dumps(dict(zip(cols, row, strict=True))) for row in values)
            self._fetch(f"INSERT INTO {self.q(table)} FORMAT JSONEachRow\n{lines}", None)

    def _fetch(self, sql: str, params: Params) -> Sequence[Sequence[Any]]:
        if params is not None and not isinstance(params, Mapping):
            raise TypeError("ClickHouse binds only named {name:Type} placeholders: pass a dict")
        result = self.session.query(sql, "CSV", params=None if params is None else dict(params))
        return list(csv.reader(io.StringIO(result.data())))

    def close(self) -> None:
        self.session.close()


class MongoEngine:
    """A MongoDB wire-protocol server: SecantusDB embedded on 127.0.0.1 on a free port,
    or the server named by ``MIXFILTER_MONGO_URI``. Documents carry an integer ``id``."""

    name = "mongo"

    def __init__(self) -> None:
        try:
            import pymongo
        except ImportError as exc:
            raise EngineUnavailableError(
                f"mongo: python package pymongo not installed ({exc}); {INSTALL_HINT}"
            ) from exc
        self.server: Any = None
        self.client: pymongo.MongoClient[dict[str, Any]] | None = None
        uri = os.environ.get("MIXFILTER_MONGO_URI", "")
        if not uri:
            try:
                from secantus import SecantusDBServer  # type: ignore[import-untyped]
            except ImportError as exc:
                raise EngineUnavailableError(
                    f"mongo: SecantusDB not installed ({exc}); {INSTALL_HINT}"
                ) from exc
            self.server = SecantusDBServer(
                host="127.0.0.1", port=0, storage_path=":memory:", replica_set_name=None
            )
            self.server.start()
            uri = self.server.uri + "?directConnection=true"
        client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(
            uri, serverSelectionTimeoutMS=5000
        )
        self.client = client
        try:
            client.admin.command("ping")
        except pymongo.errors.PyMongoError as exc:
            self.close()
            raise EngineUnavailableError(f"mongo: cannot reach {uri} ({exc})") from exc
        self.db = client["mixfilter_test"]

    def load(self, coll_name: str, docs: Sequence[Mapping[str, Any]]) -> None:
        """Replace the collection's contents with copies of ``docs``."""
        coll = self.db[coll_name]
        coll.drop()
        if docs:
            coll.insert_many([dict(doc) for doc in docs])

    def find_ids(self, coll_name: str, query: Mapping[str, Any]) -> list[int]:
        """Sorted ``id`` values of the documents matching ``query``."""
        return sorted(int(doc["id"]) for doc in self.db[coll_name].find(query, {"id": 1, "_id": 0}))

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.server is not None:
            self.server.stop()
            self.server = None


Engine = SqlEngine | MongoEngine
_FACTORIES: dict[str, Callable[[], Engine]] = {
    "sqlite": SqliteEngine,
    "duckdb": DuckdbEngine,
    "postgres": PostgresEngine,
    "mariadb": MariadbEngine,
    "spark": SparkEngine,
    "clickhouse": ClickhouseEngine,
    "mongo": MongoEngine,
}
_CACHE: dict[str, Engine | EngineUnavailableError] = {}


def get_engine(name: str) -> Engine:
    """The process-wide engine ``name``, created on first use; raises EngineUnavailableError."""
    if name not in _CACHE:
        try:
            _CACHE[name] = _FACTORIES[name]()
        except EngineUnavailableError as exc:
            _CACHE[name] = exc
    found = _CACHE[name]
    if isinstance(found, EngineUnavailableError):
        raise found
    return found


def get_sql_engine(name: str) -> SqlEngine:
    engine = get_engine(name)
    assert isinstance(engine, SqlEngine)
    return engine


def close_engine(name: str) -> None:
    """Close engine ``name`` if it was started; a later ``get_engine`` starts it again."""
    found = _CACHE.pop(name, None)
    if found is not None and not isinstance(found, EngineUnavailableError):
        found.close()


def close_engines() -> None:
    """Close every engine started so far."""
    for name in list(_CACHE):
        close_engine(name)
