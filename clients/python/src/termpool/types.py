"""The answers of termpool's routes as dataclasses (snake_case fields; ``raw`` keeps the JSON as the
server sent it, so fields added to the API later are there before this client names them)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

JSON = Dict[str, Any]


@dataclass
class SessionInfo:
    """A session as the server describes it (``GET /v1/sessions/{id}``)."""

    id: str
    pid: int
    command: str
    args: List[str]
    cwd: str
    #: ``running``, ``exited`` or ``archived``.
    state: str
    exit_code: Optional[int]
    #: The signal name (e.g. ``SIGHUP``) when the program was killed by one.
    signal: Optional[str]
    cols: int
    rows: int
    title: str
    recording: bool
    #: The shell integration injected (``bash``, ``zsh``, ``fish``), or None.
    shell: Optional[str]
    raw: JSON = field(repr=False)

    @classmethod
    def from_json(cls, j: JSON) -> "SessionInfo":
        return cls(id=j["id"], pid=j.get("pid", 0), command=j.get("command", ""), args=list(j.get("args", [])),
                   cwd=j.get("cwd", ""), state=j.get("state", ""), exit_code=j.get("exitCode"), signal=j.get("signal"),
                   cols=j.get("cols", 0), rows=j.get("rows", 0), title=j.get("title", ""),
                   recording=bool(j.get("recording", False)), shell=j.get("shell"), raw=j)


@dataclass
class Command:
    """A command of a shell with integration (``GET /commands``, ``/run``, ``/wait {command}``)."""

    id: int
    command: str
    started_at: str
    finished_at: Optional[str]
    duration_ms: Optional[int]
    exit_code: Optional[int]
    cwd: Optional[str]
    prompt_line: Optional[int]
    output_start_line: int
    output_end_line: Optional[int]
    raw: JSON = field(repr=False)

    @classmethod
    def from_json(cls, j: JSON) -> "Command":
        return cls(id=j["id"], command=j.get("command", ""), started_at=j.get("startedAt", ""),
                   finished_at=j.get("finishedAt"), duration_ms=j.get("durationMs"), exit_code=j.get("exitCode"),
                   cwd=j.get("cwd"), prompt_line=j.get("promptLine"), output_start_line=j.get("outputStartLine", 0),
                   output_end_line=j.get("outputEndLine"), raw=j)


def _command(j: Optional[JSON]) -> Optional[Command]:
    return Command.from_json(j) if isinstance(j, dict) else None


@dataclass
class CommandList:
    """``GET /commands``: oldest first; ``more`` says to ask again with ``after`` = the last id."""

    commands: List[Command]
    more: bool
    #: The shell now: ``unknown``, ``prompt``, ``input`` or ``running``.
    state: str
    cwd: Optional[str]
    first_line: int
    scrollback_length: int
    raw: JSON = field(repr=False)

    @classmethod
    def from_json(cls, j: JSON) -> "CommandList":
        return cls(commands=[Command.from_json(c) for c in j.get("commands", [])], more=bool(j.get("more")),
                   state=j.get("state", "unknown"), cwd=j.get("cwd"), first_line=j.get("firstLine", 0),
                   scrollback_length=j.get("scrollbackLength", 0), raw=j)


@dataclass
class WaitResult:
    """``POST /wait``'s answer. A timeout (HTTP 408) is a result, not an error: ``satisfied`` is False,
    ``reason`` is ``timeout`` or ``exited`` and ``failing`` names the conditions that did not hold.
    Truthy when satisfied, so ``assert s.wait(text="hi")`` reads well (and shows the screen when not).
    """

    satisfied: bool
    #: ``matched``, ``timeout`` or ``exited``.
    reason: str
    elapsed_ms: int
    #: Where text/regex matched: ``{"row", "column", "text", "line"?}``, or None.
    match: Optional[JSON]
    #: The screen that satisfied the conditions (or the last one checked).
    lines: List[str]
    failing: List[str]
    command: Optional[Command]
    session: Optional[SessionInfo]
    raw: JSON = field(repr=False)

    def __bool__(self) -> bool:
        return self.satisfied

    def __repr__(self) -> str:
        lines = list(self.lines)
        while lines and lines[-1] == "":
            lines.pop()
        return (f"WaitResult(satisfied={self.satisfied}, reason={self.reason!r}, failing={self.failing!r}, "
                f"elapsed_ms={self.elapsed_ms}, match={self.match!r}, lines={lines!r})")

    @classmethod
    def from_json(cls, j: JSON) -> "WaitResult":
        s = j.get("session")
        return cls(satisfied=bool(j.get("satisfied")), reason=j.get("reason", ""), elapsed_ms=j.get("elapsedMs", 0),
                   match=j.get("match"), lines=list(j.get("lines", [])), failing=list(j.get("failing", [])),
                   command=_command(j.get("command")), session=SessionInfo.from_json(s) if isinstance(s, dict) else None,
                   raw=j)


@dataclass
class RunResult:
    """``POST /run``'s answer: ``reason`` ``finished`` (HTTP 200), or ``timeout`` / ``exited`` (408, a
    result too: the command goes on after a timeout). ``output`` holds its lines, scrollback included."""

    reason: str
    exit_code: Optional[int]
    output: List[str]
    truncated: bool
    duration_ms: int
    cwd: Optional[str]
    command: Optional[Command]
    session: Optional[SessionInfo]
    raw: JSON = field(repr=False)

    @property
    def finished(self) -> bool:
        return self.reason == "finished"

    @property
    def ok(self) -> bool:
        """It finished with exit status 0."""
        return self.finished and self.exit_code == 0

    @property
    def text(self) -> str:
        """The output lines joined by newlines."""
        return "\n".join(self.output)

    @classmethod
    def from_json(cls, j: JSON) -> "RunResult":
        s = j.get("session")
        return cls(reason=j.get("reason", ""), exit_code=j.get("exitCode"), output=list(j.get("output", [])),
                   truncated=bool(j.get("truncated")), duration_ms=j.get("durationMs", 0), cwd=j.get("cwd"),
                   command=_command(j.get("command")), session=SessionInfo.from_json(s) if isinstance(s, dict) else None,
                   raw=j)


@dataclass
class ScrollbackRange:
    """``GET /scrollback``: ``lines`` from line ``start`` (0 = oldest kept) of ``total`` kept."""

    start: int
    total: int
    lines: List[str]
    raw: JSON = field(repr=False)

    @classmethod
    def from_json(cls, j: JSON) -> "ScrollbackRange":
        return cls(start=j.get("start", 0), total=j.get("total", 0), lines=list(j.get("lines", [])), raw=j)


@dataclass
class SearchMatch:
    #: 0 = the oldest scrollback line; ``scrollback_length + r`` = screen row r.
    line: int
    column: int
    #: The whole line.
    text: str


@dataclass
class SearchResult:
    """``GET /scrollback?q=`` or ``?regex=``: one match per line, scrollback then screen."""

    query: str
    #: ``text`` or ``regex``.
    kind: str
    total: int
    scrollback_length: int
    truncated: bool
    matches: List[SearchMatch]
    raw: JSON = field(repr=False)

    @classmethod
    def from_json(cls, j: JSON) -> "SearchResult":
        return cls(query=j.get("query", ""), kind=j.get("kind", ""), total=j.get("total", 0),
                   scrollback_length=j.get("scrollbackLength", 0), truncated=bool(j.get("truncated")),
                   matches=[SearchMatch(m["line"], m["column"], m["text"]) for m in j.get("matches", [])], raw=j)


@dataclass
class SignalResult:
    """``POST /signal``: the signal, the process group it went to, whether that was the foreground one."""

    signal: str
    process_group: int
    foreground: bool
    session: Optional[SessionInfo]
    raw: JSON = field(repr=False)

    @classmethod
    def from_json(cls, j: JSON) -> "SignalResult":
        s = j.get("session")
        return cls(signal=j.get("signal", ""), process_group=j.get("processGroup", 0),
                   foreground=bool(j.get("foreground")), session=SessionInfo.from_json(s) if isinstance(s, dict) else None,
                   raw=j)


@dataclass
class ScreenRead:
    """``GET /screen`` with its ETag (:meth:`Session.screen_if_changed`). ``not_modified`` True: the
    screen is the one ``if_none_match`` named (HTTP 304) and ``body`` is None; otherwise ``body`` is
    the screen as :meth:`Session.screen` returns it. ``etag``: pass it next time."""

    not_modified: bool
    etag: str
    body: Any = None


@dataclass
class DeltaLine:
    """A row that changed: 0-based ``row``, its right-trimmed ``text``; with ``format="json"`` also
    ``wrapped`` and ``cells`` (style and link indexes point into the delta's own ``styles``/``links``)."""

    row: int
    text: str
    wrapped: Optional[bool] = None
    cells: Optional[List[JSON]] = None


@dataclass
class ScreenDelta:
    """``GET /screen?since=<etag>`` (:meth:`Session.screen_delta`): only the rows that changed since the
    screen ``since`` named, top to bottom; rows not in ``lines`` are as they were. ``full`` True: that tag
    was not known (any more), or the size changed, so every row is there. ``etag``: pass it next time."""

    etag: str
    since: str
    full: bool
    cols: int
    rows: int
    title: str
    #: ``{"row", "col", "visible", "shape"}``.
    cursor: JSON
    lines: List[DeltaLine]
    styles: Optional[List[JSON]]
    links: Optional[List[str]]
    raw: JSON = field(repr=False)

    @classmethod
    def from_json(cls, j: JSON) -> "ScreenDelta":
        lines = [DeltaLine(row=ln["row"], text=ln.get("text", ""), wrapped=ln.get("wrapped"), cells=ln.get("cells"))
                 for ln in j.get("lines", [])]
        return cls(etag=j["etag"], since=j.get("since", ""), full=bool(j.get("full", False)), cols=j.get("cols", 0),
                   rows=j.get("rows", 0), title=j.get("title", ""), cursor=j.get("cursor", {}), lines=lines,
                   styles=j.get("styles"), links=j.get("links"), raw=j)

    def apply(self, lines: List[str]) -> List[str]:
        """The screen's text lines after this delta, from the lines of the ``since`` screen (ignored when
        ``full``): a list of exactly ``rows`` lines."""
        out = [""] * self.rows if self.full else (list(lines[:self.rows]) + [""] * max(0, self.rows - len(lines)))
        for ln in self.lines:
            if 0 <= ln.row < self.rows:
                out[ln.row] = ln.text
        return out
