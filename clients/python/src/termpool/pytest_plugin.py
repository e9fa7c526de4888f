"""pytest plugin (entry point ``pytest11``; in a source checkout ``-p termpool.pytest_plugin``).

Fixtures:

- ``termpool_client``: a :class:`termpool.Client` for ``--termpool-url`` / ``$TERMPOOL_URL`` (default
  ``http://127.0.0.1:7681``) and ``$TERMPOOL_TOKEN``; one per test run. An unreachable server is an
  error naming the URL, not a skip.
- ``termpool_session_factory``: ``factory(command=..., args=..., shell=..., cols=..., ...)`` creates
  sessions (the arguments of :meth:`termpool.Client.create_session`); every one is deleted when the test
  ends, passed or failed.
- ``termpool_session``: a bash session with shell integration (``shell="bash"``, 80x24), deleted at
  teardown. Other arguments through indirect parametrisation:
  ``@pytest.mark.parametrize("termpool_session", [{"command": "cat"}], indirect=True)``.

Options: ``--termpool-url``, ``--termpool-update-golden`` (rewrite golden screens, see
:func:`termpool.assert_screen`; also ``TERMPOOL_UPDATE_GOLDEN=1``).
"""
from __future__ import annotations

import os
from typing import Any, Callable, Iterator, List

import pytest

from . import golden
from .client import Client, Session
from .errors import TermpoolConnectionError, TermpoolError


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("termpool", "termpool terminal sessions")
    group.addoption("--termpool-url", default=None,
                    help="termpool server URL (default: $TERMPOOL_URL, else http://127.0.0.1:7681); token: $TERMPOOL_TOKEN")
    group.addoption("--termpool-update-golden", action="store_true", default=False,
                    help="write golden screens instead of comparing with them (also TERMPOOL_UPDATE_GOLDEN=1)")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("termpool_update_golden", False):
        golden.update_default = True


def pytest_unconfigure(config: pytest.Config) -> None:
    if config.getoption("termpool_update_golden", False):
        golden.update_default = False


@pytest.fixture(scope="session")
def termpool_client(pytestconfig: pytest.Config) -> Client:
    """A Client for the server given by --termpool-url or $TERMPOOL_URL, checked with /healthz once."""
    client = Client(url=pytestconfig.getoption("termpool_url") or os.environ.get("TERMPOOL_URL"))
    try:
        client.health()
    except TermpoolConnectionError as e:
        pytest.fail(f"termpool: no server answers at {client.url} ({e.message}); start one (`termpool serve`) and "
                    "set --termpool-url or TERMPOOL_URL", pytrace=False)
    return client


SessionFactory = Callable[..., Session]


@pytest.fixture
def termpool_session_factory(termpool_client: Client) -> Iterator[SessionFactory]:
    """``factory(**create_session_arguments)``: sessions deleted when the test ends, whatever its outcome."""
    made: List[Session] = []

    def factory(*args: Any, **kwargs: Any) -> Session:
        s = termpool_client.create_session(*args, **kwargs)
        made.append(s)
        return s

    yield factory
    errors: List[TermpoolError] = []
    for s in reversed(made):
        try:
            s.close()
        except TermpoolError as e:  # close() already ignores 404: anything else is worth reporting
            errors.append(e)
    if errors:
        raise errors[0]


@pytest.fixture
def termpool_session(request: pytest.FixtureRequest, termpool_session_factory: SessionFactory) -> Session:
    """A bash session with shell integration (80x24); ``indirect`` parametrisation gives other arguments."""
    kwargs = dict(getattr(request, "param", None) or {"shell": "bash"})
    return termpool_session_factory(**kwargs)
