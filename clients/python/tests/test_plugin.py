"""The pytest plugin: its fixtures, and golden screens (pass, failure with its diff, updating).
Runs of pytest inside the test (pytester) check what a user's own test run would see."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from termpool import Client, Session, TermpoolError, assert_screen
from termpool import golden

GOLDEN = Path(__file__).parent / "golden"


def printf_session(factory, text: str) -> Session:
    """A session whose program prints `text` and exits: a screen that never changes afterwards."""
    s = factory("printf", [text], cols=24, rows=4)
    assert s.wait(exited=True, timeout_ms=10_000)
    return s


# -- fixtures ---------------------------------------------------------------------------------------------

def test_termpool_session_is_bash_with_shell_integration(termpool_session: Session) -> None:
    assert termpool_session.info.shell == "bash" and (termpool_session.info.cols, termpool_session.info.rows) == (80, 24)
    r = termpool_session.run("echo $((6 * 7))")
    assert (r.exit_code, r.output) == (0, ["42"])


@pytest.mark.parametrize("termpool_session", [{"command": "cat", "cols": 30, "rows": 3}], indirect=True)
def test_termpool_session_takes_arguments_indirectly(termpool_session: Session) -> None:
    assert termpool_session.info.command == "cat" and termpool_session.info.cols == 30
    termpool_session.send_text("meow\r")
    assert termpool_session.wait(regex="^meow\nmeow$")


def test_the_factory_makes_several(termpool_session_factory, termpool_client: Client) -> None:
    a = termpool_session_factory("cat")
    b = termpool_session_factory(shell="bash", rows=5)
    ids = {x.id for x in termpool_client.sessions()}
    assert {a.id, b.id} <= ids and b.info.rows == 5


# -- golden screens -----------------------------------------------------------------------------------------

def test_golden_screen_passes(termpool_session_factory) -> None:
    s = printf_session(termpool_session_factory, "golden one\\r\\n  golden two\\r\\n")
    assert_screen(s, GOLDEN / "printf.txt")
    # the same from the text and from the lines
    assert_screen(s.screen(), GOLDEN / "printf.txt")
    assert_screen(s.screen_lines(), GOLDEN / "printf.txt")


def test_golden_screen_failure_shows_a_unified_diff(termpool_session_factory) -> None:
    s = printf_session(termpool_session_factory, "golden one\\r\\n  golden 2\\r\\n")
    with pytest.raises(AssertionError) as e:
        assert_screen(s, GOLDEN / "printf.txt", update=False)
    msg = str(e.value)
    assert msg.startswith(f"screen differs from golden {GOLDEN / 'printf.txt'}; rerun with --termpool-update-golden")
    assert f"--- {GOLDEN / 'printf.txt'} (golden)\n+++ screen (actual)\n" in msg
    assert msg.endswith("\n@@ -1,2 +1,2 @@\n golden one\n-  golden two\n+  golden 2")
    # the golden file is left alone
    assert (GOLDEN / "printf.txt").read_text() == "golden one\n  golden two\n"


def test_golden_text_format_is_shared_with_the_typescript_matcher(tmp_path: Path) -> None:
    # rows with trailing spaces trimmed, trailing blank rows dropped, one final newline; CRLF read as LF
    path = tmp_path / "shared.txt"
    path.write_bytes(b"$ ls\r\n  a  b\r\n\r\n\r\n")
    assert_screen(["$ ls  ", "  a  b", "", ""], path)
    assert_screen("$ ls\n  a  b\n", path)
    with pytest.raises(AssertionError) as e:
        assert_screen(["$ ls", "  a  b", "", "late"], path)  # a row gaining text at the bottom still differs
    assert "\n+\n+late" in str(e.value)
    assert_screen(["$ ls", "  a  b", "", "late"], path, update=True)
    assert path.read_text() == "$ ls\n  a  b\n\nlate\n"


def test_golden_screen_missing_fails_unless_updating(termpool_session_factory, tmp_path: Path) -> None:
    s = printf_session(termpool_session_factory, "fresh\\r\\n")
    path = tmp_path / "sub" / "fresh.txt"
    with pytest.raises(AssertionError, match="does not exist; rerun with --termpool-update-golden"):
        assert_screen(s, path, update=False)
    assert not path.exists()
    assert_screen(s, path, update=True)
    assert path.read_text() == "fresh\n"  # trailing blank rows dropped
    assert_screen(s, path)  # and now it holds


def test_golden_update_by_env_rewrites_a_different_file(termpool_session_factory, tmp_path: Path, monkeypatch) -> None:
    s = printf_session(termpool_session_factory, "new\\r\\n")
    path = tmp_path / "g.txt"
    path.write_text("old\n")
    monkeypatch.setenv("TERMPOOL_UPDATE_GOLDEN", "1")
    assert_screen(s, path)
    assert path.read_text() == "new\n"
    monkeypatch.setenv("TERMPOOL_UPDATE_GOLDEN", "0")
    with pytest.raises(AssertionError):
        assert_screen("other", path)


def test_golden_screen_with_styles_as_ansi(termpool_session_factory, tmp_path: Path) -> None:
    s = printf_session(termpool_session_factory, "\\033[31mred\\033[0m\\r\\n")
    path = tmp_path / "red.ansi"
    assert_screen(s, path, format="ansi", update=True)
    assert "\x1b[" in path.read_text()
    assert_screen(s, path, format="ansi")
    with pytest.raises(AssertionError):
        assert_screen(s, path)  # the text format has no escapes


# -- the plugin in a user's own test run --------------------------------------------------------------------

def test_sessions_are_deleted_after_a_failing_test(pytester: pytest.Pytester, termpool_client: Client, tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    pytester.makepyfile(textwrap.dedent(f"""
        def test_fails(termpool_session, termpool_session_factory):
            other = termpool_session_factory("cat")
            with open({str(ids)!r}, "w") as f:
                f.write(termpool_session.id + " " + other.id)
            assert termpool_session.run("exit_3() {{ return 3; }}; exit_3").exit_code == 0
    """))
    result = pytester.runpytest("-p", "termpool.pytest_plugin", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*assert 3 == 0*"])
    for sid in ids.read_text().split():
        with pytest.raises(TermpoolError) as e:
            termpool_client.get_session(sid)
        assert e.value.code == "SESSION_NOT_FOUND"


def test_update_golden_flag_writes_and_a_mismatch_fails_without_it(pytester: pytest.Pytester, tmp_path: Path) -> None:
    path = tmp_path / "flag.txt"
    pytester.makepyfile(textwrap.dedent(f"""
        from termpool import assert_screen

        def test_screen(termpool_session_factory):
            s = termpool_session_factory("printf", ["flagged\\\\r\\\\n"], cols=20, rows=2)
            assert s.wait(exited=True)
            assert_screen(s, {str(path)!r})
    """))
    result = pytester.runpytest("-p", "termpool.pytest_plugin", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*golden screen * does not exist; rerun with --termpool-update-golden*"])
    assert not path.exists()

    result = pytester.runpytest("-p", "termpool.pytest_plugin", "-p", "no:cacheprovider", "--termpool-update-golden")
    result.assert_outcomes(passed=1)
    assert path.read_text() == "flagged\n"
    assert golden.update_default is False  # reset when that run ended

    path.write_text("flagged\nextra\n")
    result = pytester.runpytest("-p", "termpool.pytest_plugin", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*@@ -1,2 +1 @@", "*flagged", "*-extra"])


def test_an_unreachable_server_fails_with_its_url(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_needs_it(termpool_client):\n    pass\n")
    result = pytester.runpytest("-p", "termpool.pytest_plugin", "-p", "no:cacheprovider",
                                "--termpool-url", "http://127.0.0.1:9")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*termpool: no server answers at http://127.0.0.1:9*"])
