"""Client and Session: one method per REST route of termpool, over urllib (standard library only),
with the bearer token on every request. Any 4xx/5xx answer except the 408 of a wait or run becomes
a :class:`~termpool.errors.TermpoolError`.

Proxies from the environment (``http_proxy``) are not used, as the TypeScript client's fetch does
not use them: termpool is usually on loopback. Pass ``proxies={...}`` to use one.
"""
from __future__ import annotations

import json
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, Iterable, List, Literal, Mapping, Optional, Sequence, Tuple, Union, overload

from .errors import TermpoolConnectionError, TermpoolError
from .types import (
    JSON, CommandList, RunResult, ScreenDelta, ScreenRead, ScrollbackRange, SearchResult, SessionInfo, SignalResult,
    WaitResult,
)

#: Where termpool listens when neither ``url`` nor ``TERMPOOL_URL`` says (its default port).
DEFAULT_URL = "http://127.0.0.1:7681"

#: The server's own defaults, used to size the HTTP timeout of a wait or run left at its default.
_WAIT_DEFAULT_MS = 10_000
_RUN_DEFAULT_MS = 30_000

ScreenFormat = str  # 'text' | 'json' | 'ansi' | 'html' | 'svg' | 'png'


def _camel(name: str) -> str:
    """``stable_ms`` -> ``stableMs``; names without ``_`` are kept (``afterCommand`` stays)."""
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def _body(**fields: Any) -> JSON:
    """A JSON body from keyword arguments: None is left out, snake_case names become camelCase."""
    return {_camel(k): v for k, v in fields.items() if v is not None}


class Client:
    """A termpool server.

    ``url`` defaults to ``$TERMPOOL_URL`` (else ``http://127.0.0.1:7681``), ``token`` to
    ``$TERMPOOL_TOKEN`` (sent as ``Authorization: Bearer``; empty = no auth). ``timeout`` (seconds)
    bounds every request; a wait or run gets its ``timeout_ms`` on top, so the server always answers
    (with a 408 result) before the client gives up.
    """

    def __init__(self, url: Optional[str] = None, token: Optional[str] = None, timeout: float = 30.0,
                 headers: Optional[Mapping[str, str]] = None, proxies: Optional[Mapping[str, str]] = None) -> None:
        self.url = (url or os.environ.get("TERMPOOL_URL") or DEFAULT_URL).rstrip("/")
        self.token = (token if token is not None else os.environ.get("TERMPOOL_TOKEN")) or None
        self.timeout = timeout
        self._headers: Dict[str, str] = dict(headers or {})
        if self.token:
            self._headers["Authorization"] = f"Bearer {self.token}"
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler(dict(proxies or {})))

    def __repr__(self) -> str:
        return f"Client(url={self.url!r}, token={'***' if self.token else None})"

    # -- server ---------------------------------------------------------------------------------

    def health(self) -> JSON:
        """``GET /healthz`` (no token needed): status, sessions, uptime, archive, containment, sandbox."""
        return self._json("GET", "/healthz")

    def metrics(self) -> str:
        """``GET /metrics``: Prometheus text format."""
        return self._request("GET", "/metrics")[1].decode("utf-8")

    def render(self, data: Union[bytes, str], *, format: ScreenFormat = "text", at: Optional[float] = None,
               cols: Optional[int] = None, rows: Optional[int] = None, raw: bool = False) -> Union[str, bytes, JSON]:
        """``POST /v1/render``: the screen of an asciicast v2 (``data``, e.g. :meth:`Session.recording`) at
        ``at`` seconds (default: its end), or of raw pty bytes (``raw=True``, or a body without a cast
        header). Returns what :meth:`Session.screen` returns for ``format``."""
        body = data.encode("utf-8") if isinstance(data, str) else data
        ctype = "application/octet-stream" if raw else "application/x-asciicast"
        query = {"format": format, "at": at, "cols": cols, "rows": rows, "input": "raw" if raw else None}
        _, out = self._request("POST", "/v1/render", query=query, data=body, content_type=ctype)
        return _decode_screen(format, out)

    # -- sessions -------------------------------------------------------------------------------

    def create_session(self, command: Optional[str] = None, args: Optional[Sequence[str]] = None, *,
                       shell: Optional[str] = None, cols: Optional[int] = None, rows: Optional[int] = None,
                       env: Optional[Mapping[str, str]] = None, cwd: Optional[str] = None,
                       scrollback: Optional[int] = None, record: Optional[bool] = None,
                       shell_integration: Optional[bool] = None, **extra: Any) -> "Session":
        """``POST /v1/sessions``: starts ``command`` (looked up in PATH) with ``args`` under a new pty, or
        ``shell="bash"|"zsh"|"fish"`` with shell integration (:meth:`Session.run`, :meth:`Session.commands`).
        Keyword arguments the server knows but this method does not name are passed through
        (snake_case becomes camelCase). The session is deleted when used as a context manager."""
        body = _body(command=command, args=list(args) if args is not None else None, shell=shell, cols=cols, rows=rows,
                     env=dict(env) if env is not None else None, cwd=cwd, scrollback=scrollback, record=record,
                     shell_integration=shell_integration, **extra)
        return Session(self, SessionInfo.from_json(self._json("POST", "/v1/sessions", body=body)))

    #: ``with client.session("bash") as s: ...`` reads well; the same as :meth:`create_session`.
    session = create_session

    def sessions(self) -> List[SessionInfo]:
        """``GET /v1/sessions``: running and retained exited sessions."""
        return [SessionInfo.from_json(s) for s in self._json("GET", "/v1/sessions")["sessions"]]

    def get_session(self, id: str) -> SessionInfo:
        """``GET /v1/sessions/{id}``."""
        return SessionInfo.from_json(self._json("GET", _path(id)))

    def attach(self, id: str) -> "Session":
        """A :class:`Session` for an existing session id (its info is read once)."""
        return Session(self, self.get_session(id))

    def delete_session(self, id: str) -> SessionInfo:
        """``DELETE /v1/sessions/{id}``: kills the process group; answers with the session as it ended."""
        return SessionInfo.from_json(self._json("DELETE", _path(id)))

    # -- transport ------------------------------------------------------------------------------

    def _json(self, method: str, path: str, *, body: Optional[JSON] = None, query: Optional[Mapping[str, Any]] = None,
              accept: Iterable[int] = (), timeout: Optional[float] = None) -> Any:
        _, out = self._request(method, path, body=body, query=query, accept=accept, timeout=timeout)
        return json.loads(out.decode("utf-8"))

    def _request(self, method: str, path: str, *, body: Optional[JSON] = None, data: Optional[bytes] = None,
                 content_type: Optional[str] = None, query: Optional[Mapping[str, Any]] = None,
                 accept: Iterable[int] = (), timeout: Optional[float] = None) -> Tuple[int, bytes]:
        """One request; returns (status, body). Raises TermpoolError for a status outside 2xx and
        ``accept``, TermpoolConnectionError when there is no answer."""
        status, out, _ = self._exchange(method, path, body=body, data=data, content_type=content_type, query=query,
                                        accept=accept, timeout=timeout)
        return status, out

    def _exchange(self, method: str, path: str, *, body: Optional[JSON] = None, data: Optional[bytes] = None,
                  content_type: Optional[str] = None, query: Optional[Mapping[str, Any]] = None,
                  accept: Iterable[int] = (), timeout: Optional[float] = None,
                  headers: Optional[Mapping[str, str]] = None) -> Tuple[int, bytes, Mapping[str, str]]:
        """:meth:`_request` with extra request ``headers``, answering the response's headers too."""
        url = self.url + path
        params = [(k, _query_value(v)) for k, v in (query or {}).items() if v is not None]
        if params:
            url += "?" + urllib.parse.urlencode(params)
        headers = {**self._headers, **(headers or {})}
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            content_type = "application/json"
        if content_type is not None:
            headers["Content-Type"] = content_type
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        what = f"{method} {path}"
        try:
            with self._opener.open(req, timeout=timeout if timeout is not None else self.timeout) as r:
                return r.status, r.read(), r.headers
        except urllib.error.HTTPError as e:
            out = e.read()
            e.close()
            if e.code in accept:
                return e.code, out, e.headers
            raise TermpoolError.from_body(e.code, what, out) from None
        except (socket.timeout, TimeoutError) as e:
            raise TermpoolConnectionError("CLIENT_TIMEOUT", f"{what}: no answer from {self.url} in time", what, e) from e
        except urllib.error.URLError as e:
            if isinstance(e.reason, (socket.timeout, TimeoutError)):
                raise TermpoolConnectionError("CLIENT_TIMEOUT", f"{what}: no answer from {self.url} in time", what, e) from e
            raise TermpoolConnectionError("CONNECTION_FAILED", f"{what}: cannot reach {self.url}: {e.reason}", what, e) from e
        except (ConnectionError, OSError) as e:
            raise TermpoolConnectionError("CONNECTION_FAILED", f"{what}: cannot reach {self.url}: {e}", what, e) from e


class Session:
    """One terminal session. ``info`` is the session as last described by the server (updated by
    every answer that carries it); ``id`` its id. As a context manager it is deleted on exit."""

    def __init__(self, client: Client, info: SessionInfo) -> None:
        self.client = client
        self.info = info
        self.id = info.id

    def __repr__(self) -> str:
        return f"Session(id={self.id!r}, command={self.info.command!r}, state={self.info.state!r})"

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- description ----------------------------------------------------------------------------

    def refresh(self) -> SessionInfo:
        """``GET /v1/sessions/{id}``: the session now (state, exit code, size, title)."""
        self.info = self.client.get_session(self.id)
        return self.info

    def close(self) -> Optional[SessionInfo]:
        """``DELETE /v1/sessions/{id}``: kills its process group. A session already gone (404) is fine."""
        try:
            self.info = self.client.delete_session(self.id)
        except TermpoolError as e:
            if e.status == 404:
                return None
            raise
        return self.info

    #: An alias of :meth:`close`.
    delete = close

    # -- input ----------------------------------------------------------------------------------

    def input(self, **body: Any) -> int:
        """``POST /input`` with exactly one of ``text``, ``keys``, ``paste``, ``mouse``; returns the bytes written."""
        return int(self.client._json("POST", _path(self.id, "input"), body=_body(**body))["bytes"])

    def send_text(self, text: str) -> int:
        """Writes ``text`` as is (``"\\r"`` is Enter)."""
        return self.input(text=text)

    def send_keys(self, keys: Union[str, Sequence[str]], literal: bool = False) -> int:
        """Key names encoded for the program's modes: tmux-style (``Enter``, ``C-c``, ``M-x``, ``Up``, ``F5``,
        ``S-Tab``) or Playwright-style (``ArrowUp``, ``Control+c``, ``Shift+Tab``). With ``literal=True``
        items that are not key names are typed as text: ``send_keys(["exit 3", "Enter"], literal=True)``.
        A single string is one key."""
        items = [keys] if isinstance(keys, str) else list(keys)
        return self.input(keys=items, literal=True if literal else None)

    def paste(self, text: str) -> int:
        """Pasted text, bracketed when the program enabled bracketed paste."""
        return self.input(paste=text)

    def mouse(self, action: str, row: int, col: int, button: Optional[str] = None, **mods: Any) -> int:
        """A mouse event (``action`` press/release/move/scroll, 0-based ``row``/``col``, ``button`` left,
        wheelUp, ...; ``shift``/``alt``/``ctrl``); 409 TP_MOUSE_OFF unless the program enabled tracking."""
        return self.input(mouse=_body(action=action, row=row, col=col, button=button, **mods))

    def resize(self, cols: int, rows: int) -> SessionInfo:
        """``POST /resize``: answers once the screen has been reflowed."""
        self.info = SessionInfo.from_json(self.client._json("POST", _path(self.id, "resize"), body={"cols": cols, "rows": rows}))
        return self.info

    def signal(self, signal: str) -> SignalResult:
        """``POST /signal``: ``SIGINT``, ``SIGTERM``, ``SIGHUP``, ``SIGKILL``, ``SIGQUIT``, ``SIGTSTP``, ``SIGCONT``,
        ``SIGUSR1``, ``SIGUSR2`` or ``SIGWINCH`` to the terminal's foreground process group (what Ctrl-C
        reaches); 409 SESSION_EXITED once the program has exited."""
        r = SignalResult.from_json(self.client._json("POST", _path(self.id, "signal"), body={"signal": signal}))
        if r.session is not None:
            self.info = r.session
        return r

    # -- waits ----------------------------------------------------------------------------------

    def wait(self, text: Optional[str] = None, *, regex: Optional[str] = None, absent: Any = None, title: Any = None,
             cursor: Optional[Mapping[str, int]] = None, cell: Optional[Mapping[str, Any]] = None,
             stable_ms: Optional[int] = None, exited: Optional[bool] = None, command: Optional[str] = None,
             after_command: Optional[int] = None, scrollback: Optional[bool] = None, trim: Optional[bool] = None,
             timeout_ms: Optional[int] = None, **conditions: Any) -> WaitResult:
        """``POST /wait``: returns once every condition given holds, or (``satisfied`` False) when
        ``timeout_ms`` passed or the program exited first — never raises for that. Conditions:
        ``text`` / ``regex`` on screen, ``absent`` (text, ``{"regex": ...}``), ``title``, ``cursor``
        (``{"row", "col"}``), ``cell`` (``{"row", "col", "inverse", "fg", ...}``), ``stable_ms``, ``exited``
        (the program ended), ``command="finished"`` (shell integration). Conditions this client does not
        name yet go through as keyword arguments (snake_case becomes camelCase)."""
        body = _body(text=text, regex=regex, absent=absent, title=title, cursor=dict(cursor) if cursor is not None else None,
                     cell=dict(cell) if cell is not None else None, stable_ms=stable_ms, exit=exited, command=command,
                     after_command=after_command, scrollback=scrollback, trim=trim, timeout_ms=timeout_ms, **conditions)
        ms = timeout_ms if timeout_ms is not None else _WAIT_DEFAULT_MS
        j = self.client._json("POST", _path(self.id, "wait"), body=body, accept=(408,),
                              timeout=self.client.timeout + ms / 1000)
        r = WaitResult.from_json(j)
        if r.session is not None:
            self.info = r.session
        return r

    def run(self, command: str, timeout_ms: Optional[int] = None, max_lines: Optional[int] = None) -> RunResult:
        """``POST /run`` (a session with shell integration): types ``command`` and Enter, returns once the
        shell reports it finished: ``exit_code``, ``output`` (lines, scrollback included), ``duration_ms``,
        ``cwd``. A timeout or an exited shell is a result (``reason``), not an exception; 409
        NO_SHELL_INTEGRATION / COMMAND_RUNNING are raised."""
        ms = timeout_ms if timeout_ms is not None else _RUN_DEFAULT_MS
        j = self.client._json("POST", _path(self.id, "run"), body=_body(command=command, timeout_ms=timeout_ms, max_lines=max_lines),
                              accept=(408,), timeout=self.client.timeout + ms / 1000)
        r = RunResult.from_json(j)
        if r.session is not None:
            self.info = r.session
        return r

    def commands(self, after: Optional[int] = None, limit: Optional[int] = None) -> CommandList:
        """``GET /commands``: the shell's commands with an id above ``after``, oldest first."""
        return CommandList.from_json(self.client._json("GET", _path(self.id, "commands"), query={"after": after, "limit": limit}))

    # -- reading --------------------------------------------------------------------------------

    @overload
    def screen(self, format: Literal['json'], scrollback: Optional[int] = ...) -> JSON: ...
    @overload
    def screen(self, format: Literal['png'], scrollback: Optional[int] = ...) -> bytes: ...
    @overload
    def screen(self, format: str = ..., scrollback: Optional[int] = ...) -> str: ...

    def screen(self, format: str = "text", scrollback: Optional[int] = None) -> Any:
        """``GET /screen``: ``text`` (right-trimmed lines, one per row), ``ansi``, ``html``, ``svg`` as str;
        ``json`` as a dict (cells, styles, cursor, modes); ``png`` as bytes. ``scrollback`` adds that many
        lines of history above the screen."""
        _, out = self.client._request("GET", _path(self.id, "screen"), query={"format": format, "scrollback": scrollback})
        return _decode_screen(format, out)

    def screen_if_changed(self, format: str = "text", scrollback: Optional[int] = None,
                          if_none_match: Optional[str] = None) -> ScreenRead:
        """``GET /screen`` with its ETag: with ``if_none_match`` (an earlier ``etag``) an unchanged screen is
        HTTP 304, answered as ``ScreenRead(not_modified=True, body=None)`` — in every format, PNG
        included. Otherwise ``body`` is what :meth:`screen` returns and ``etag`` the tag to send next time.
        For polling: ``r = s.screen_if_changed(if_none_match=r.etag)``."""
        status, out, headers = self.client._exchange(
            "GET", _path(self.id, "screen"), query={"format": format, "scrollback": scrollback}, accept=(304,),
            headers={"If-None-Match": if_none_match} if if_none_match is not None else None)
        etag = headers.get("ETag") or ""
        if status == 304:
            return ScreenRead(not_modified=True, etag=etag or (if_none_match or ""))
        return ScreenRead(not_modified=False, etag=etag, body=_decode_screen(format, out))

    def screen_delta(self, since: str, format: str = "text") -> ScreenDelta:
        """``GET /screen?since=<etag>`` (``format`` text or json): only the rows that changed since the screen
        ``since`` named (:class:`~termpool.types.ScreenDelta`; ``apply(lines)`` gives the new text lines). A
        tag the server no longer remembers answers every row with ``full`` True, never an error. Pass the
        answer's ``etag`` next time."""
        j = self.client._json("GET", _path(self.id, "screen"), query={"format": format, "since": since})
        return ScreenDelta.from_json(j)

    def screen_lines(self) -> List[str]:
        """The visible screen as right-trimmed lines (exactly ``rows`` of them)."""
        text = self.screen()
        return (text[:-1] if text.endswith("\n") else text).split("\n")

    def scrollback(self, start: Optional[int] = None, count: Optional[int] = None) -> ScrollbackRange:
        """``GET /scrollback``: ``count`` lines from ``start`` (0 = the oldest kept)."""
        return ScrollbackRange.from_json(self.client._json("GET", _path(self.id, "scrollback"), query={"start": start, "count": count}))

    def search(self, query: str, regex: bool = False, limit: Optional[int] = None) -> SearchResult:
        """Case-sensitive search of scrollback then screen (``?q=``); ``regex=True``: ``query`` is a
        JavaScript regular expression with flag m (``?regex=``). One match per line."""
        q: Dict[str, Any] = {"regex": query} if regex else {"q": query}
        q["limit"] = limit
        return SearchResult.from_json(self.client._json("GET", _path(self.id, "scrollback"), query=q))

    def recording(self) -> str:
        """``GET /recording``: the asciicast v2 text (sessions created with ``record=True``; 404
        NOT_RECORDED otherwise). Works while running and after exit until the session is reaped."""
        return self.client._request("GET", _path(self.id, "recording"))[1].decode("utf-8")

    def recording_events(self) -> Tuple[JSON, List[List[Any]]]:
        """The recording parsed: its header and its events (``[time, code, data]``, code ``o``, ``i``, ``r``, ``m``)."""
        lines = [ln for ln in self.recording().split("\n") if ln]
        return json.loads(lines[0]), [json.loads(ln) for ln in lines[1:]]

    def save_recording(self, path: "Union[str, os.PathLike[str]]") -> None:
        """Writes the recording to ``path`` (an ``.cast`` file any asciicast v2 player plays)."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.recording())


def _path(id: str, sub: Optional[str] = None) -> str:
    return "/v1/sessions/" + urllib.parse.quote(id, safe="") + (f"/{sub}" if sub else "")


def _query_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _decode_screen(format: str, out: bytes) -> Any:
    if format == "png":
        return out
    if format == "json":
        return json.loads(out.decode("utf-8"))
    return out.decode("utf-8")
