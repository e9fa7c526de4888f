#!/usr/bin/env bash
# `npm test`'s pretest: what the suite needs from outside npm, obtained by the test command itself
# so that the README's two commands are all a fresh machine needs. Debian packages:
#   vim-tiny     pty tests drive vim
#   bubblewrap   TERMPOOL_SANDBOX=bwrap tests
#   chromium     viewer and browser-attack tests (playwright-core)
#   zsh fish     shell integration tests (OSC 133 marks injected into each shell)
#   dialog       a real TUI menu for the cell-style waits (the reverse-video item)
#   asciinema    test/cast/asciinema.test.ts: asciinema cat/play on termpool's casts, termpool on asciinema rec's
#   vttest       the vttest end-to-end check against tmux (test/conformance/vttest.test.ts)
#   python3-pytest  the Python client's tests (clients/python, run by test/clients/python.test.ts),
#                checked in Debian's own interpreter: a pyenv python3 on PATH has no pytest
#   prometheus   for promtool only (lints /metrics, the alert rules and runs their unit tests); installed
#                without its recommends (no node exporter), and the daemon it may start is stopped and disabled
# No fonts: PNG rendering takes its fonts from npm packages (src/render/font-packages.ts).
# Installed with apt-get when that can be done here (root); otherwise one line names the command.
set -euo pipefail

missing=()
have() { command -v "$1" >/dev/null 2>&1; }
have vim || have vim.tiny || missing+=(vim-tiny)
have bwrap || missing+=(bubblewrap)
have chromium || missing+=(chromium)
have zsh || missing+=(zsh)
have fish || missing+=(fish)
have dialog || missing+=(dialog)
have asciinema || missing+=(asciinema)
have vttest || missing+=(vttest)
/usr/bin/python3 -c 'import pytest' >/dev/null 2>&1 || missing+=(python3-pytest)
have promtool || missing+=(prometheus)

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && have apt-get; then
  echo "pretest: installing ${missing[*]}" >&2
  apt-get update -qq
  rest=()
  for p in "${missing[@]}"; do [ "$p" = prometheus ] || rest+=("$p"); done
  [ ${#rest[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${rest[@]}" >/dev/null
  if [ ${#rest[@]} -lt ${#missing[@]} ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
    # Only promtool is wanted: no Prometheus server left running or starting at boot.
    if have systemctl && [ -d /run/systemd/system ]; then
      systemctl disable --now prometheus.service >/dev/null 2>&1 || true
    else
      invoke-rc.d prometheus stop >/dev/null 2>&1 || true
      update-rc.d prometheus disable >/dev/null 2>&1 || true
    fi
  fi
  exit 0
fi
echo "pretest: the tests need Debian packages that are missing; run: sudo apt-get install -y ${missing[*]}" >&2
exit 1
