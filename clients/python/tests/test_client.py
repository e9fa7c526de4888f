"""The client against a real termpool server (TERMPOOL_URL, TERMPOOL_TOKEN) and real programs."""
from __future__ import annotations

import json
import os
import socket
import time

import pytest

from termpool import Client, TermpoolConnectionError, TermpoolError


# -- server, errors, transport ----------------------------------------------------------------------

def test_health_metrics_and_env_defaults(termpool_client: Client) -> None:
    c = Client()  # TERMPOOL_URL and TERMPOOL_TOKEN from the environment
    assert c.url == os.environ["TERMPOOL_URL"].rstrip("/")
    assert c.token == os.environ["TERMPOOL_TOKEN"]
    assert "***" in repr(c) and c.token not in repr(c)
    h = c.health()
    assert h["status"] == "ok"
    assert "termpool_sessions" in c.metrics()


def test_errors_carry_status_code_message_and_details(termpool_client: Client) -> None:
    with pytest.raises(TermpoolError) as e:
        termpool_client.get_session("nope")
    assert (e.value.status, e.value.code) == (404, "SESSION_NOT_FOUND")
    assert "nope" in e.value.message and e.value.request == "GET /v1/sessions/nope"
    assert str(e.value).startswith("404 SESSION_NOT_FOUND: ")

    with pytest.raises(TermpoolError) as e:
        termpool_client.create_session("bash", cols=1)
    assert (e.value.status, e.value.code) == (400, "VALIDATION")
    assert any(i["path"] == "/cols" for i in e.value.details["issues"])


def test_the_token_is_sent_and_a_wrong_one_is_401(termpool_client: Client) -> None:
    assert termpool_client.token, "the suite runs the server with a token"
    bad = Client(termpool_client.url, token="wrong-" + termpool_client.token)
    with pytest.raises(TermpoolError) as e:
        bad.sessions()
    assert e.value.status == 401
    none = Client(termpool_client.url, token="")
    with pytest.raises(TermpoolError) as e:
        none.sessions()
    assert e.value.status == 401
    assert none.health()["status"] == "ok"  # /healthz needs no token


def test_an_unreachable_server_is_a_connection_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(TermpoolConnectionError) as e:
        Client(f"http://127.0.0.1:{port}", timeout=5).health()
    assert (e.value.status, e.value.code) == (0, "CONNECTION_FAILED")
    assert isinstance(e.value, TermpoolError)


def test_a_request_past_the_client_timeout_is_client_timeout() -> None:
    # A listener that accepts and never answers.
    with socket.socket() as srv:
        srv.bind(("127.0.0.1", 0))
        srv.listen(1)
        port = srv.getsockname()[1]
        t0 = time.monotonic()
        with pytest.raises(TermpoolConnectionError) as e:
            Client(f"http://127.0.0.1:{port}", timeout=0.5).health()
        assert e.value.code == "CLIENT_TIMEOUT"
        assert time.monotonic() - t0 < 5


# -- sessions -----------------------------------------------------------------------------------------

def test_create_with_size_env_cwd_and_list_get_delete(termpool_client: Client, tmp_path) -> None:
    with termpool_client.session("bash", ["--norc", "--noprofile"], cols=250, rows=7, cwd=str(tmp_path),
                                 env={"PS1": "$ ", "TP_PY_VAR": "from-python"}) as s:
        assert (s.info.cols, s.info.rows, s.info.cwd, s.info.state) == (250, 7, str(tmp_path), "running")
        assert s.wait(text="$ ")
        s.send_text('echo "$TP_PY_VAR in $PWD"\r')
        assert s.wait(regex=f"^from-python in {tmp_path}$", timeout_ms=5000)
        assert s.id in [x.id for x in termpool_client.sessions()]
        assert termpool_client.get_session(s.id).command == "bash"
        assert termpool_client.attach(s.id).info.pid == s.info.pid
        assert len(s.screen_lines()) == 7
    # deleted on leaving the block
    with pytest.raises(TermpoolError) as e:
        termpool_client.get_session(s.id)
    assert e.value.code == "SESSION_NOT_FOUND"
    assert s.close() is None  # closing again is fine


def test_extra_create_arguments_go_through(termpool_client: Client) -> None:
    # scrollback is named; shell_integration is camel-cased; an unknown one reaches the server
    with termpool_client.session("bash", scrollback=50, shell_integration=True) as s:
        assert s.info.shell == "bash" and s.info.raw["scrollback"] == 50
    with pytest.raises(TermpoolError) as e:
        termpool_client.create_session("bash", no_such_option=1)
    assert e.value.code == "VALIDATION" and "noSuchOption" in e.value.message


# -- input ----------------------------------------------------------------------------------------------

def test_send_text_and_keys_tmux_playwright_and_literal(bash) -> None:
    s = bash()
    assert s.send_text("echo one") == len("echo one")
    s.send_keys(["Enter"])
    assert s.wait(regex="^one$")
    s.send_keys(["echo two three", "Enter"], literal=True)
    assert s.wait(regex="^two three$")
    s.send_keys(["ArrowUp", "Enter"])  # Playwright names: the last command again
    assert s.wait(regex=r"^two three\n\$ echo two three\ntwo three$")
    s.send_text("echo started; sleep 30")
    s.send_keys("Enter")
    assert s.wait(regex="^started$")  # the terminal is the program's now: C-c is SIGINT, not readline's
    s.send_keys("C-c")
    assert s.wait(regex=r"^\^C +\n\$ +$", trim=False)  # full-width rows: the prompt's trailing blanks
    with pytest.raises(TermpoolError) as e:
        s.send_keys(["NoSuchKey"])
    assert (e.value.status, e.value.code) == (400, "TP_BAD_KEY")


def bracketed_paste(s, on: bool) -> None:
    """Waits until the program has bracketed paste (mode 2004) on or off, as the JSON screen says."""
    deadline = time.monotonic() + 10
    while s.screen("json")["modes"]["bracketedPaste"] != on:
        assert time.monotonic() < deadline, f"bracketed paste never {'on' if on else 'off'}"
        time.sleep(0.05)


def test_paste_is_bracketed_only_when_the_program_asks(bash) -> None:
    s = bash()
    s.send_text("cat -v\r")
    bracketed_paste(s, False)  # bash's readline turns it off to run the command
    s.paste("plain\r")
    assert s.wait(regex="^plain\nplain$")
    s.send_keys("C-c")
    assert s.wait(regex=r"^\^C\n\$$")
    s.send_text("printf 'ready\\n\\e[?2004h'; cat -v\r")
    assert s.wait(regex="^ready$")  # past the prompt (whose readline has bracketed paste on too)
    bracketed_paste(s, True)
    s.paste("braced\r")
    assert s.wait(text="^[[200~braced", timeout_ms=5000)


def test_mouse_while_tracking_is_off_is_409(bash) -> None:
    s = bash()
    with pytest.raises(TermpoolError) as e:
        s.mouse("press", 0, 0, button="left")
    assert (e.value.status, e.value.code) == (409, "TP_MOUSE_OFF")


def test_resize_reaches_the_program(bash) -> None:
    s = bash()
    info = s.resize(100, 30)
    assert (info.cols, info.rows) == (100, 30) and s.info is info
    s.send_text('echo "size $(tput cols)x$(tput lines)"\r')
    assert s.wait(regex="^size 100x30$")


def test_signal_reaches_the_foreground_program(termpool_session_factory) -> None:
    s = termpool_session_factory(shell="bash")
    s.run("true")
    last = s.commands().commands[-1].id
    # sh prints from the foreground group it then execs sleep in: once "started" shows, SIGINT reaches sleep
    s.send_text("sh -c 'echo started; exec sleep 30'\r")
    assert s.wait(regex="^started$")
    r = s.signal("SIGINT")
    assert r.signal == "SIGINT" and r.foreground and r.process_group != s.info.pid
    w = s.wait(command="finished", after_command=last, timeout_ms=10_000)
    assert w and w.command is not None and w.command.exit_code == 130
    with pytest.raises(TermpoolError) as e:
        s.signal("SIGNOPE")
    assert e.value.code == "VALIDATION"


# -- waits ------------------------------------------------------------------------------------------------

def test_wait_conditions_title_cell_cursor_absent_and_passthrough(bash) -> None:
    s = bash(cols=40, rows=6)
    s.send_text("clear; printf '\\e]2;py-title\\a\\e[7mSEL\\e[0m \\e[31mred\\e[0m\\nLoading'\r")
    assert s.wait(text="Loading")
    r = s.wait(title="py-title", cell={"row": 0, "col": 0, "inverse": True}, timeout_ms=5000)
    assert r.satisfied and r.reason == "matched" and r.failing == []
    assert s.wait(cell={"row": 0, "col": 4, "fg": "red", "inverse": False})
    assert s.wait(title={"regex": "^py-"}, absent="Nowhere")
    s.send_text("clear\r")
    assert s.wait(absent="Loading", cursor={"row": 0, "col": 2})
    # a condition the client does not name goes through by keyword (camel-cased): the server judges it
    with pytest.raises(TermpoolError) as e:
        s.wait(text="x", some_future_condition=True, timeout_ms=100)
    assert e.value.code == "VALIDATION" and "someFutureCondition" in e.value.message


def test_wait_timeout_is_a_result_with_the_failing_conditions(bash) -> None:
    s = bash()
    r = s.wait(text="never shown", cursor={"row": 0}, timeout_ms=300)
    assert not r and r.reason == "timeout" and r.failing == ["text"]
    assert r.lines[0] == "$" and "failing=['text']" in repr(r) and "lines=['$']" in repr(r)


def test_a_wait_longer_than_the_client_timeout_still_gets_its_answer(termpool_client: Client, bash) -> None:
    s = bash()
    slow = Client(termpool_client.url, termpool_client.token, timeout=0.5)
    t0 = time.monotonic()
    r = slow.attach(s.id).wait(text="never shown", timeout_ms=1500)
    assert r.reason == "timeout" and r.elapsed_ms >= 1500
    assert time.monotonic() - t0 >= 1.5


def test_wait_for_exit_and_stable(termpool_session_factory) -> None:
    s = termpool_session_factory("bash", ["-c", "echo bye; exit 7"])
    r = s.wait(exited=True, timeout_ms=10_000)
    assert r and r.session is not None and r.session.exit_code == 7 and s.info.state == "exited"
    assert s.refresh().exit_code == 7
    assert s.wait(text="bye", stable_ms=100)
    # a condition that can no longer hold ends at once
    r = s.wait(text="never", timeout_ms=10_000)
    assert r.reason == "exited" and r.elapsed_ms < 5000


def test_wait_in_scrollback(bash) -> None:
    s = bash(rows=5)
    s.send_text("echo MARK-OLD; seq 20\r")
    assert s.wait(regex="^20$")
    assert not s.wait(regex="^MARK-OLD$", timeout_ms=100)
    r = s.wait(regex="^MARK-OLD$", scrollback=True, timeout_ms=2000)
    assert r and r.match is not None and r.match["row"] < 0


# -- shell integration -----------------------------------------------------------------------------------

def test_run_returns_exit_code_output_and_cwd(termpool_session_factory, tmp_path) -> None:
    s = termpool_session_factory(shell="bash", cwd=str(tmp_path), rows=10)
    r = s.run("echo hi")
    assert (r.reason, r.exit_code, r.output, r.cwd) == ("finished", 0, ["hi"], str(tmp_path))
    assert r.ok and r.text == "hi" and r.command is not None and r.command.command == "echo hi"
    r = s.run("ls /nope-py")
    assert r.exit_code == 2 and not r.ok and "/nope-py" in r.text
    r = s.run("cd / && seq 100")  # more than the screen: the scrollback is included
    assert r.output == [str(i) for i in range(1, 101)] and r.cwd == "/"
    r = s.run("seq 50", max_lines=5)
    assert r.output == ["46", "47", "48", "49", "50"] and r.truncated
    r = s.run("sleep 5", timeout_ms=200)
    assert r.reason == "timeout" and r.exit_code is None and not r.ok
    with pytest.raises(TermpoolError) as e:
        s.run("echo busy")
    assert (e.value.status, e.value.code) == (409, "COMMAND_RUNNING")
    s.signal("SIGINT")


def test_commands_lists_the_history_and_pages(termpool_session_factory) -> None:
    s = termpool_session_factory(shell="bash")
    for cmd in ["true", "false", "exit_code_3() { return 3; }; exit_code_3"]:
        s.run(cmd)
    cl = s.commands()
    assert [c.exit_code for c in cl.commands] == [0, 1, 3] and not cl.more and cl.state in ("prompt", "input")
    assert cl.commands[0].command == "true" and cl.commands[0].output_start_line >= 0
    page = s.commands(after=cl.commands[0].id, limit=1)
    assert [c.command for c in page.commands] == ["false"] and page.more


def test_run_without_shell_integration_is_409(bash) -> None:
    s = bash()
    with pytest.raises(TermpoolError) as e:
        s.run("echo hi")
    assert (e.value.status, e.value.code) == (409, "NO_SHELL_INTEGRATION")


# -- screen formats, scrollback, search ---------------------------------------------------------------

PRINTF_COLOURS = "clear; printf '\\e[1;31mRED\\e[0m \\e[42mGREENBG\\e[0m plain\\n'"


def test_screen_formats(bash) -> None:
    s = bash(cols=30, rows=4)
    s.send_text(PRINTF_COLOURS + "\r")
    assert s.wait(regex="^RED GREENBG plain$")

    text = s.screen()
    assert isinstance(text, str) and "RED GREENBG plain" in text and "\x1b" not in text

    ansi = s.screen("ansi")
    assert isinstance(ansi, str) and "RED" in ansi and "\x1b[" in ansi

    snap = s.screen("json")
    assert (snap["cols"], snap["rows"]) == (30, 4)
    row = next(line for line in snap["lines"] if line["text"].startswith("RED"))
    style = snap["styles"][row["cells"][0]["style"]]
    assert style["fg"] == 1 and style.get("bold") is True
    assert snap["styles"][row["cells"][4]["style"]]["bg"] == 2

    html = s.screen("html")
    assert "<" in html and "RED" in html and "GREENBG" in html
    svg = s.screen("svg")
    assert "<svg" in svg and "RED" in svg

    png = s.screen("png")
    assert isinstance(png, bytes) and png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 100

    with pytest.raises(TermpoolError) as e:
        s.screen("bmp")
    assert e.value.code == "VALIDATION"


def test_screen_etag_and_if_none_match_answer_not_modified(bash) -> None:
    s = bash(cols=40, rows=6)
    assert s.wait(stable_ms=200, timeout_ms=10_000)
    first = s.screen_if_changed()
    assert not first.not_modified and first.etag.startswith('"') and first.body.startswith("$")
    same = s.screen_if_changed(if_none_match=first.etag)
    assert same.not_modified and same.body is None and same.etag == first.etag
    png = s.screen_if_changed("png")
    assert png.body[:8] == b"\x89PNG\r\n\x1a\n"
    assert s.screen_if_changed("png", if_none_match=png.etag).not_modified  # PNG too: no image sent

    s.send_text("echo changed-$((1+1))\r")
    assert s.wait(text="changed-2")
    after = s.screen_if_changed(if_none_match=first.etag)
    assert not after.not_modified and "changed-2" in after.body and after.etag != first.etag


def test_screen_delta_gives_only_the_changed_rows(bash) -> None:
    s = bash(cols=40, rows=6)
    assert s.wait(stable_ms=200, timeout_ms=10_000)
    base = s.screen_if_changed()
    base_json = s.screen_if_changed("json")
    before = base.body.rstrip("\n").split("\n")

    s.send_text("echo delta-$((2+3))\r")
    assert s.wait(regex="^delta-5$") and s.wait(stable_ms=200, timeout_ms=10_000)
    d = s.screen_delta(base.etag)
    assert not d.full and (d.cols, d.rows) == (40, 6) and d.since == base.etag
    assert [(ln.row, ln.text) for ln in d.lines] == [(0, "$ echo delta-$((2+3))"), (1, "delta-5"), (2, "$")]
    assert d.cursor["row"] == 2 and d.apply(before) == s.screen_lines()

    # Nothing changed since the delta's own tag: no rows.
    again = s.screen_delta(d.etag)
    assert not again.full and again.lines == []

    # json: the changed rows with their cells, styles indexing the delta's own list.
    dj = s.screen_delta(base_json.etag, format="json")
    assert [ln.row for ln in dj.lines] == [0, 1, 2]
    assert dj.lines[1].cells is not None and dj.styles is not None
    assert "".join(c["text"] for c in dj.lines[1].cells[:7]) == "delta-5"

    # A tag the server never gave: every row, full, not an error.
    unknown = s.screen_delta('"not-a-tag"')
    assert unknown.full and len(unknown.lines) == 6 and unknown.apply([]) == s.screen_lines()


def test_scrollback_and_search(bash) -> None:
    s = bash(rows=5)
    s.send_text("seq 1 30 | sed 's/^/line-/'\r")
    assert s.wait(regex="^line-30$")
    sb = s.scrollback()
    assert sb.total == len(sb.lines) and sb.total > 20
    assert "line-1" in sb.lines
    part = s.scrollback(start=2, count=3)
    assert part.start == 2 and part.lines == sb.lines[2:5]
    with_history = s.screen(scrollback=10)
    assert with_history.endswith("\n") and len(with_history[:-1].split("\n")) == 15
    assert with_history.split("\n")[0] == sb.lines[-10]

    found = s.search("line-2")
    assert found.kind == "text" and {m.text for m in found.matches} >= {"line-2", "line-20", "line-29"}
    m = next(m for m in found.matches if m.text == "line-2")
    assert sb.lines[m.line] == "line-2" and m.column == 0
    rx = s.search(r"^line-2\d$", regex=True, limit=3)
    assert rx.kind == "regex" and [m.text for m in rx.matches] == ["line-20", "line-21", "line-22"] and rx.truncated


# -- recording ------------------------------------------------------------------------------------------

def test_recording_download_parse_save_and_render(termpool_client: Client, bash, tmp_path) -> None:
    s = bash(record=True, cols=40, rows=5)
    assert s.info.recording
    s.send_text("echo recorded-py\r")
    assert s.wait(regex="^recorded-py$")
    cast = s.recording()
    header, events = s.recording_events()
    assert header["version"] == 2 and (header["width"], header["height"]) == (40, 5)
    assert json.loads(cast.split("\n")[0]) == header
    assert any(e[1] == "i" and "recorded-py" in e[2] for e in events)
    assert any(e[1] == "o" and "recorded-py" in e[2] for e in events)
    out = tmp_path / "s.cast"
    s.save_recording(out)
    assert out.read_text().startswith('{"version":2')
    screen = termpool_client.render(cast)
    assert "recorded-py" in screen.split("\n")
    png = termpool_client.render(cast, format="png")
    assert png[:4] == b"\x89PNG"
    raw = termpool_client.render(b"hello\r\nworld", raw=True, cols=20, rows=3)
    assert raw.split("\n")[:2] == ["hello", "world"]

    plain = bash()
    with pytest.raises(TermpoolError) as e:
        plain.recording()
    assert (e.value.status, e.value.code) == (404, "NOT_RECORDED")
