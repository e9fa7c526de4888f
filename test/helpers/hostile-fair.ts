/**
 * The fair-share attacks of issue 23 against a real server process, for bench/hostile.ts: many
 * waits on a session that prints every 10 ms, catastrophic regex searches sent together, and a
 * burst of resizes of a big session. Each sets up its own session, sends the attack, and answers
 * with the most common status and a summary of all answers.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ServerProcess } from './server-process.js';

export interface FairAttackResult {
  status: number;
  /** e.g. `WAIT_LIMIT (1936 x 429 WAIT_LIMIT, 64 x 408)`. */
  code: string;
}

export type Answer = { status: number; error?: string };

function summary(answers: Answer[]): FairAttackResult {
  const counts = new Map<string, number>();
  for (const a of answers) {
    const k = `${a.status}${a.error ? ` ${a.error}` : ''}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  const top = answers.find((a) => `${a.status}${a.error ? ` ${a.error}` : ''}` === sorted[0]![0])!;
  return { status: top.status, code: `${top.error ?? ''} (${sorted.map(([k, n]) => `${n} x ${k}`).join(', ')})`.trim() };
}

export interface BurstRequest { method: 'GET' | 'POST'; url: string; body?: unknown }

export interface BurstOptions {
  /** Requests sent at once; the next batch `pauseMs` later (default: all at once). */
  batch?: number;
  pauseMs?: number;
  /** Open (and warm with GET /healthz) this many connections first, so a batch arrives together. */
  warm?: number;
  /** Called with each answer as it comes. */
  onAnswer?(a: Answer): void;
}

/**
 * Sends `requests` from a child process, so that the attack's clients do not share an event loop
 * with whoever measures (a test's server, a bench's bystander). A connection reset (a full listen
 * backlog on a loaded machine) is tried again, as a client would.
 */
export function burst(requests: BurstRequest[], opts: BurstOptions = {}): Promise<Answer[]> {
  const js = `
    const chunks = [];
    for await (const c of process.stdin) chunks.push(c);
    const { requests, batch, pauseMs, warm } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const one = async (q, tries = 0) => {
      let a;
      try {
        const r = await fetch(q.url, q.body === undefined ? { method: q.method } : { method: q.method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(q.body) });
        const text = await r.text();
        a = { status: r.status };
        try { const e = JSON.parse(text).error; if (e !== undefined) a.error = e; } catch {}
      } catch (e) {
        if (tries < 5) { await new Promise((r) => setTimeout(r, 200)); return one(q, tries + 1); }
        a = { status: 0, error: String(e) };
      }
      process.stdout.write(JSON.stringify(a) + '\\n');
    };
    if (warm > 0) {
      const health = new URL('/healthz', requests[0].url).href;
      await Promise.all(Array.from({ length: warm }, () => fetch(health).then((r) => r.arrayBuffer())));
    }
    for (let i = 0; i < requests.length; i += batch) {
      for (const q of requests.slice(i, i + batch)) void one(q);
      if (i + batch < requests.length) await new Promise((r) => setTimeout(r, pauseMs));
    }
  `;
  const config = JSON.stringify({ requests, batch: opts.batch ?? requests.length, pauseMs: opts.pauseMs ?? 0, warm: opts.warm ?? 0 });
  // The requests go in on stdin: 2,000 of them are past what one argument may hold.
  const child = spawn(process.execPath, ['--input-type=module', '-e', js], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.end(config);
  const answers: Answer[] = [];
  let buf = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const a = JSON.parse(buf.slice(0, nl)) as Answer;
      buf = buf.slice(nl + 1);
      answers.push(a);
      opts.onAnswer?.(a);
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () => resolve(answers));
  });
}

async function created(srv: ServerProcess, body: unknown): Promise<string> {
  const r = await srv.api('POST', '/v1/sessions', body);
  if (r.status !== 201) throw new Error(`session: ${r.status} ${JSON.stringify(r.body)}`);
  return (r.body as { id: string }).id;
}

/** `n` POST /wait bodies, half for a text and half for a regex that are never printed. */
export function waitRequests(url: string, n: number, timeoutMs: number): BurstRequest[] {
  return Array.from({ length: n }, (_, i) => ({
    method: 'POST' as const, url, body: i % 2 === 0 ? { text: 'NEVER', timeoutMs } : { regex: '^NEVER [0-9]+$', timeoutMs },
  }));
}

/**
 * `n` waits (half for a text, half for a regex, neither ever printed; `timeoutMs` each) on a
 * session printing a line every 10 ms, sent in batches of 100 connections 100 ms apart (the
 * listen backlog is 511).
 */
export async function waitsOnTicker(srv: ServerProcess, n = 2000, timeoutMs = 5000): Promise<FairAttackResult> {
  const id = await created(srv, { command: 'bash', args: ['-c', 'i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.01; done'] });
  try {
    await srv.api('POST', `/v1/sessions/${id}/wait`, { text: 'tick 5', timeoutMs: 10_000 });
    return summary(await burst(waitRequests(`${srv.url}/v1/sessions/${id}/wait`, n, timeoutMs), { batch: 100, pauseMs: 100 }));
  } finally {
    await srv.api('DELETE', `/v1/sessions/${id}`);
  }
}

/**
 * `n` GET /scrollback?regex=(a+)+$ on a session showing 50 lines of 40 a's and a '!', sent
 * together on connections opened beforehand (so they arrive at once).
 */
export async function catastrophicSearches(srv: ServerProcess, n = 40): Promise<FairAttackResult> {
  const a = 'a'.repeat(40);
  const id = await created(srv, { command: 'bash', args: ['-c', `for i in $(seq 50); do echo ${a}!; done; echo READY; exec sleep 600`] });
  try {
    await srv.api('POST', `/v1/sessions/${id}/wait`, { text: 'READY', timeoutMs: 10_000 });
    const url = `${srv.url}/v1/sessions/${id}/scrollback?regex=${encodeURIComponent('(a+)+$')}`;
    return summary(await burst(Array.from({ length: n }, () => ({ method: 'GET', url })), { warm: n }));
  } finally {
    await srv.api('DELETE', `/v1/sessions/${id}`);
  }
}

/**
 * `n` concurrent POST /resize (widths alternating around 250 and 500) of a 500x200 session that
 * has printed 10,000 styled lines of 300 columns, sent together on connections opened beforehand.
 */
export async function resizeBurst(srv: ServerProcess, n = 20): Promise<FairAttackResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'termpool-resize-'));
  const file = path.join(dir, 'styled.txt');
  const pad = 'x'.repeat(280);
  let out = '';
  for (let i = 1; i <= 10_000; i++) out += `\x1b[3${i % 8};4${(i + 3) % 8}m line ${i} ${pad}\x1b[0m\n`;
  writeFileSync(file, out + 'END\n');
  let id: string | null = null;
  try {
    id = await created(srv, { command: 'bash', args: ['-c', `cat '${file}'; exec sleep 600`], cols: 500, rows: 200, scrollback: 10_000 });
    await srv.api('POST', `/v1/sessions/${id}/wait`, { regex: '^END$', stableMs: 300, timeoutMs: 60_000 });
    const sizes = Array.from({ length: n }, (_, i) => ({ cols: i % 2 === 0 ? 250 + i : 499 - i, rows: 100 + i }));
    return summary(await burst(sizes.map((z) => ({ method: 'POST', url: `${srv.url}/v1/sessions/${id}/resize`, body: z })), { warm: n }));
  } finally {
    if (id !== null) await srv.api('DELETE', `/v1/sessions/${id}`);
    rmSync(dir, { recursive: true, force: true });
  }
}
