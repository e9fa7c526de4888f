"""termpool: a Python client for termpool, the headless terminal service (standard library only),
and a pytest plugin (fixtures ``termpool_client``, ``termpool_session``, ``termpool_session_factory``;
golden screens with :func:`assert_screen`).

    from termpool import Client
    with Client().session(shell="bash") as s:   # TERMPOOL_URL, TERMPOOL_TOKEN
        r = s.run("echo hi")
        assert r.exit_code == 0 and r.output == ["hi"]
"""
from .client import DEFAULT_URL, Client, Session
from .errors import TermpoolConnectionError, TermpoolError
from .golden import assert_screen
from .types import (
    Command, CommandList, DeltaLine, RunResult, ScreenDelta, ScreenRead, ScrollbackRange, SearchMatch, SearchResult,
    SessionInfo, SignalResult, WaitResult,
)

__all__ = [
    "DEFAULT_URL", "Client", "Session", "TermpoolError", "TermpoolConnectionError", "assert_screen",
    "Command", "CommandList", "DeltaLine", "RunResult", "ScreenDelta", "ScreenRead", "ScrollbackRange", "SearchMatch", "SearchResult", "SessionInfo",
    "SignalResult", "WaitResult",
]
__version__ = "0.1.0"
