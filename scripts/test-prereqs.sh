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
#   nginx        the gateway of the local multi-pod test (test/deploy/multi-pod.test.ts), run as its own
#                process with -p/-c; Debian's daemon is never started (policy-rc.d) and is disabled
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
have nginx || [ -x /usr/sbin/nginx ] || missing+=(nginx)

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && have apt-get; then
  echo "pretest: installing ${missing[*]}" >&2
  apt-get update -qq
  rest=()
  want_prometheus=0 want_nginx=0
  for p in "${missing[@]}"; do
    case "$p" in prometheus) want_prometheus=1 ;; nginx) want_nginx=1 ;; *) rest+=("$p") ;; esac
  done
  [ ${#rest[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${rest[@]}" >/dev/null
  if [ $want_nginx = 1 ]; then
    # Only the binary is wanted: a policy-rc.d that refuses every start keeps Debian's postinst from
    # starting a system nginx on port 80 (removed again unless one was there before).
    own_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; own_policy=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null || { [ $own_policy = 0 ] || rm -f /usr/sbin/policy-rc.d; exit 1; }
    [ $own_policy = 0 ] || rm -f /usr/sbin/policy-rc.d
    if have systemctl && [ -d /run/systemd/system ]; then
      systemctl disable --now nginx.service >/dev/null 2>&1 || true
    else
      invoke-rc.d nginx stop >/dev/null 2>&1 || true
      update-rc.d nginx disable >/dev/null 2>&1 || true
    fi
  fi
  if [ $want_prometheus = 1 ]; then
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
