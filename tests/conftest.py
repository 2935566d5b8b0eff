"""Shared pytest setup: the real-engine fixtures (SQL servers, in-process engines, MongoDB)."""

from tests.engine_fixtures import *  # noqa: F403
