/**
 * The real process: `termpool` with no arguments serves; SIGTERM/SIGINT closes every session's
 * process group and exits 0. Also config validation, idle timeout and exited-session retention.
 */
import WebSocket from 'ws';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError, assertSafeBind, isLoopback, loadConfig } from '../../src/config.js';
import { PagePool, auditPool } from '../../src/engine/index.js';
import { alive, gone, startTestServer } from '../helpers/service.js';

const BIN = fileURLToPath(new URL('../../bin/termpool.js', import.meta.url));

describe('Server: process lifecycle', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('no arguments serves; %s kills every session and exits 0', async (sig) => {
    // The defaults, archive included, in a state dir of its own.
    const state = mkdtempSync(path.join(tmpdir(), 'termpool-server-state-'));
    const child = spawn(process.execPath, [BIN], {
      env: { ...process.env, XDG_STATE_HOME: state, TERMPOOL_PORT: '0', TERMPOOL_TOKEN: 'tok' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onTestFinished(() => {
      // Whatever failed above: the server does not outlive the test.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(state, { recursive: true, force: true });
    });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const headers = { authorization: 'Bearer tok', 'content-type': 'application/json' };
    const pids: number[] = [];
    for (const args of [['-c', 'sleep 300'], ['-c', "trap '' HUP TERM; sleep 300 & echo child=$!; wait"]]) {
      const r = await fetch(`${url}/v1/sessions`, { method: 'POST', headers, body: JSON.stringify({ command: 'bash', args }) });
      expect(r.status).toBe(201);
      const s = (await r.json()) as { id: string; pid: number };
      pids.push(s.pid);
      if (args[1]!.includes('child')) {
        const w = await fetch(`${url}/v1/sessions/${s.id}/wait`, { method: 'POST', headers, body: JSON.stringify({ regex: 'child=\\d+' }) });
        pids.push(Number(/child=(\d+)/.exec(((await w.json()) as { match: { text: string } }).match.text)![1]));
      }
    }
    // An open long wait must not hold up the shutdown.
    const pending = fetch(`${url}/v1/sessions`, { headers }).then(async (r) => {
      const id = ((await r.json()) as { sessions: { id: string }[] }).sessions[0]!.id;
      return fetch(`${url}/v1/sessions/${id}/wait`, { method: 'POST', headers, body: JSON.stringify({ text: 'never', timeoutMs: 60_000 }) });
    });
    await new Promise((r) => setTimeout(r, 100));
    for (const p of pids) expect(alive(p)).toBe(true);
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill(sig);
    });
    expect(code).toBe(0);
    // Well inside the shutdown grace (10 s), with room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(8000);
    // The wait ended with the shutdown (408 "exited" with the last screen, or 410 if already closed).
    expect([408, 410]).toContain((await pending).status);
    for (const p of pids) expect(await gone(p), `pid ${p} survived`).toBe(true);
  });
});

describe('Server: configuration', () => {
  it('defaults are loopback, 7681, no token', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 7681, token: '', maxSessions: 64 });
    expect(() => assertSafeBind(c)).not.toThrow();
  });

  it('bad values name the variable', () => {
    expect(() => loadConfig({ TERMPOOL_PORT: 'http' })).toThrow(ConfigError);
    expect(() => loadConfig({ TERMPOOL_PORT: 'http' })).toThrow(/TERMPOOL_PORT="http"/);
    expect(() => loadConfig({ TERMPOOL_MAX_COLS: '100000' })).toThrow(/TERMPOOL_MAX_COLS/);
    expect(() => loadConfig({ TERMPOOL_IDLE_TIMEOUT_MS: '-1' })).toThrow(/TERMPOOL_IDLE_TIMEOUT_MS/);
  });

  it('every budget of issues 22 and 23 refuses garbage and negative values by name (a typo must not lift a limit)', () => {
    const budgets = [
      'TERMPOOL_INPUT_BACKLOG_BYTES', 'TERMPOOL_BODY_TIMEOUT_MS', 'TERMPOOL_SHUTDOWN_GRACE_MS', 'TERMPOOL_RENDER_TIMEOUT_MS',
      'TERMPOOL_RENDER_CONCURRENCY', 'TERMPOOL_RENDER_QUEUE', 'TERMPOOL_RENDER_HEAP_MB', 'TERMPOOL_BODY_DRAIN_BYTES',
      'TERMPOOL_SNAPSHOT_MAX_CELLS', 'TERMPOOL_SNAPSHOT_COPY_BYTES', 'TERMPOOL_MAX_WAITS_PER_SESSION', 'TERMPOOL_MAX_WAITS',
      'TERMPOOL_REGEX_SLICE_MS', 'TERMPOOL_REGEX_SEARCHES',
    ];
    for (const name of budgets) {
      for (const bad of ['-1', 'lots', '1e400', '1.5']) expect(() => loadConfig({ [name]: bad }), `${name}=${bad}`).toThrow(new RegExp(name));
    }
    for (const [name, bad] of [['TERMPOOL_CONTAINMENT', 'none'], ['TERMPOOL_SANDBOX', 'docker'], ['TERMPOOL_SANDBOX_NETWORK', 'maybe']] as const) {
      expect(() => loadConfig({ [name]: bad }), `${name}=${bad}`).toThrow(ConfigError);
    }
  });

  it('refuses a non-loopback bind without a token', () => {
    expect(() => assertSafeBind(loadConfig({ TERMPOOL_HOST: '0.0.0.0' }))).toThrow(/TERMPOOL_TOKEN/);
    expect(() => assertSafeBind(loadConfig({ TERMPOOL_HOST: '0.0.0.0', TERMPOOL_TOKEN: 'x' }))).not.toThrow();
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'example.com']) expect(isLoopback(h), h).toBe(false);
  });
});

describe('Server: pages go back to the pool', () => {
  it('DELETE and app.close() release every page; the audit finds no leak', async () => {
    const pool = new PagePool();
    const srv = await startTestServer({}, pool);
    const ids: string[] = [];
    const pids: number[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const s = (await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', 'seq 1 2000; sleep 30'], cols: 40, rows: 10 })).body;
        ids.push(s.id);
        pids.push(s.pid);
      }
      for (const id of ids) await srv.api('POST', `/v1/sessions/${id}/wait`, { text: '2000' });
      expect(pool.stats().lentStandardPages).toBeGreaterThanOrEqual(3 * 2);
      const pages = (await srv.api('GET', `/v1/sessions/${ids[0]}`)).body.pageCount as number;
      const lent = pool.stats().lentStandardPages;
      await srv.api('DELETE', `/v1/sessions/${ids[0]}`);
      expect(pool.stats().lentStandardPages).toBe(lent - pages);
    } finally {
      await srv.close();
    }
    const st = pool.stats();
    expect(st.lentStandardPages).toBe(0);
    expect(st.oversizedPages).toBe(0);
    const audit = auditPool(pool);
    expect(audit).toMatchObject({ leakedBytes: 0, danglingBytes: 0, ledgerDriftBytes: 0 });
    for (const p of pids) expect(alive(p)).toBe(false);
  });
});

describe('Server: idle timeout and retention', () => {
  it('an idle session is killed, kept for the retention period, then reaped', async () => {
    const srv = await startTestServer({ TERMPOOL_IDLE_TIMEOUT_MS: '300', TERMPOOL_EXITED_RETENTION_MS: '400' });
    try {
      const s = (await srv.api('POST', '/v1/sessions', { command: 'sleep', args: ['30'] })).body;
      await new Promise((r) => setTimeout(r, 500));
      const info = await srv.api('GET', `/v1/sessions/${s.id}`);
      expect(info.body).toMatchObject({ state: 'exited', signal: 'SIGHUP' });
      expect(await gone(s.pid)).toBe(true);
      await new Promise((r) => setTimeout(r, 600));
      expect((await srv.api('GET', `/v1/sessions/${s.id}`)).status).toBe(404);
    } finally {
      await srv.close();
    }
  });

  it('a session with a live WebSocket viewer is not idle; the idle period restarts when it leaves', async () => {
    const srv = await startTestServer({ TERMPOOL_IDLE_TIMEOUT_MS: '300', TERMPOOL_EXITED_RETENTION_MS: '5000' });
    try {
      const s = (await srv.api('POST', '/v1/sessions', { command: 'sleep', args: ['30'] })).body;
      const ws = new WebSocket(`${srv.url.replace('http', 'ws')}/v1/sessions/${s.id}/ws`);
      await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
      await new Promise((r) => setTimeout(r, 800));
      expect((await srv.api('GET', `/v1/sessions/${s.id}`)).body.state).toBe('running');
      ws.close();
      await new Promise((r) => setTimeout(r, 700));
      expect((await srv.api('GET', `/v1/sessions/${s.id}`)).body).toMatchObject({ state: 'exited', signal: 'SIGHUP' });
    } finally {
      await srv.close();
    }
  });
});
