"""Fixtures of the client's own tests, on top of the plugin's (termpool_client, termpool_session,
termpool_session_factory): a plain bash with a fixed prompt, so screens do not name the machine."""
from __future__ import annotations

from typing import Any, Callable

import pytest

from termpool import Session


@pytest.fixture
def bash(termpool_session_factory: Callable[..., Session]) -> Callable[..., Session]:
    """``bash(**create_args)``: bash --norc with PS1='$ ', its prompt already shown."""

    def make(**kwargs: Any) -> Session:
        env = {"PS1": "$ ", **kwargs.pop("env", {})}
        s = termpool_session_factory("bash", ["--norc", "--noprofile"], env=env, **kwargs)
        assert s.wait(text="$ ", timeout_ms=10_000)
        return s

    return make
