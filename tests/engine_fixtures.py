"""Session-scoped pytest fixtures for the real engines; use ``from tests.engine_fixtures import *``.

An unavailable engine skips its tests, or fails them when ``MIXFILTER_REQUIRE_ENGINES=1`` (CI).
Engines are shared process-wide (``tests.engines.get_engine``), so importing these fixtures
into more than one module still starts each engine once.
"""

from __future__ import annotations

import os

import pytest

from tests.engines import (
    SQL_ENGINE_NAMES,
    EngineUnavailableError,
    MongoEngine,
    SqlEngine,
    close_engine,
    get_engine,
)

__all__ = [
    "clickhouse_engine",
    "duckdb_engine",
    "mariadb_engine",
    "mongo_engine",
    "postgres_engine",
    "spark_engine",
    "sql_engine",
    "sqlite_engine",
]


def engines_required() -> bool:
    return os.environ.get("MIXFILTER_REQUIRE_ENGINES", "") in ("1", "true", "yes")


def _engine(request: pytest.FixtureRequest, name: str) -> SqlEngine | MongoEngine:
    try:
        engine = get_engine(name)
    except EngineUnavailableError as exc:
        if engines_required():
            pytest.fail(f"{exc} (MIXFILTER_REQUIRE_ENGINES=1)", pytrace=False)
        pytest.skip(str(exc))
    request.addfinalizer(lambda: close_engine(name))
    return engine


def _sql(request: pytest.FixtureRequest, name: str) -> SqlEngine:
    engine = _engine(request, name)
    assert isinstance(engine, SqlEngine)
    return engine


@pytest.fixture(scope="session")
def sqlite_engine(request: pytest.FixtureRequest) -> SqlEngine:
    return _sql(request, "sqlite")


@pytest.fixture(scope="session")
def duckdb_engine(request: pytest.FixtureRequest) -> SqlEngine:
    return _sql(request, "duckdb")


@pytest.fixture(scope="session")
def postgres_engine(request: pytest.FixtureRequest) -> SqlEngine:
    return _sql(request, "postgres")


@pytest.fixture(scope="session")
def mariadb_engine(request: pytest.FixtureRequest) -> SqlEngine:
    return _sql(request, "mariadb")


@pytest.fixture(scope="session")
def spark_engine(request: pytest.FixtureRequest) -> SqlEngine:
    return _sql(request, "spark")


@pytest.fixture(scope="session")
def clickhouse_engine(request: pytest.FixtureRequest) -> SqlEngine:
    return _sql(request, "clickhouse")


@pytest.fixture(scope="session", params=SQL_ENGINE_NAMES)
def sql_engine(request: pytest.FixtureRequest) -> SqlEngine:
    """Each of the six SQL engines in turn (ids: sqlite, duckdb, postgres, ...).

    It borrows the per-engine fixture, which owns the engine: pytest tears a parametrized
    session fixture down whenever the param changes, and that must not close the engine."""
    engine = request.getfixturevalue(f"{request.param}_engine")
    assert isinstance(engine, SqlEngine)
    return engine


@pytest.fixture(scope="session")
def mongo_engine(request: pytest.FixtureRequest) -> MongoEngine:
    engine = _engine(request, "mongo")
    assert isinstance(engine, MongoEngine)
    return engine
