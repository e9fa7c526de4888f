/**
 * bench/service.ts's tmux teardown (bench/tmux-teardown.ts): when `tmux kill-server` leaves the
 * server running (seen after a 1,000-window run), the server and every window's program are
 * signalled and none survives. A real private tmux server with real windows; its kill-server is
 * replaced by one that does nothing, as that run's did.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, processTree, stopTmuxServer } from '../../bench/tmux-teardown.js';

const hasTmux = existsSync('/usr/bin/tmux');
let cleanup: (() => void)[] = [];

afterEach(() => { for (const f of cleanup.splice(0)) { try { f(); } catch { /* best effort */ } } });

/** A private tmux server with these windows; returns its pid and a polite kill-server. */
function startTmux(windows: string[]): { pid: number; killServer: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'termpool-tmux-teardown-'));
  const sock = `teardown-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', sock, '-f', '/dev/null', ...args], { encoding: 'utf8', env: { ...process.env, TMUX_TMPDIR: dir }, timeout: 10_000 });
  tmux('new-session', '-d', '-s', 't', '-x', '80', '-y', '24', windows[0]!);
  for (const w of windows.slice(1)) tmux('new-window', '-d', '-t', 't:', w);
  const pid = Number(tmux('display-message', '-p', '#{pid}').trim());
  const tree = processTree(pid);
  cleanup.push(() => { for (const p of tree) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } } }, () => rmSync(dir, { recursive: true, force: true }));
  return { pid, killServer: () => { tmux('kill-server'); } };
}

async function waitTree(pid: number, n: number): Promise<number[]> {
  for (let k = 0; k < 100; k++) {
    const tree = processTree(pid);
    if (tree.length >= n) return tree;
    await new Promise((r) => setTimeout(r, 50));
  }
  return processTree(pid);
}

describe.skipIf(!hasTmux)('tmux teardown of bench service', () => {
  it('a kill-server that leaves the server: SIGTERM ends the server and every window, none survives', async () => {
    const { pid } = startTmux(['exec sleep 600', 'exec sleep 601', 'exec sleep 602']);
    const tree = await waitTree(pid, 4);
    expect(tree.length).toBeGreaterThanOrEqual(4); // the server and its three windows' programs
    const logs: string[] = [];
    const how = await stopTmuxServer(pid, () => { /* kill-server did nothing */ }, (m) => logs.push(m), 300);
    expect(how).toBe('SIGTERM');
    expect(tree.filter(isAlive)).toEqual([]);
    expect(logs[0]).toMatch(/kill-server left 4 of 4 processes/);
  });

  it('a window that ignores SIGTERM is killed', async () => {
    // Ignored signals stay ignored across exec: this sleep ignores SIGTERM and the pty's hangup.
    const { pid } = startTmux(["bash --norc -c \"trap '' TERM HUP; exec sleep 600\""]);
    const tree = await waitTree(pid, 2);
    const how = await stopTmuxServer(pid, () => { /* kill-server did nothing */ }, () => {}, 300);
    expect(how).toBe('SIGKILL');
    expect(tree.filter(isAlive)).toEqual([]);
  });

  it('a kill-server that works needs no signal', async () => {
    const { pid, killServer } = startTmux(['exec sleep 600', 'exec sleep 601']);
    const tree = await waitTree(pid, 3);
    expect(await stopTmuxServer(pid, killServer, () => {})).toBe('kill-server');
    expect(tree.filter(isAlive)).toEqual([]);
  });
});
