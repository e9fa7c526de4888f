/**
 * Recordings and command histories archived with their session: the store keeps them as
 * checksummed attachments deleted with the row (a damaged one is reported by id, the screen
 * stays readable), a schema-2 archive gains the table; and through real HTTP across a real
 * restart (separate processes, one store file): a recorded program exits, the session is
 * archived, the server restarts, the cast downloads (as recorded and converted) and replays to
 * the same final screen; a shell-integration session answers GET /commands with the history it
 * had; the archive's size figures count the recording.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCast, playCastText } from '../../src/cast/index.js';
import { ArchiveRowError, ArchiveStore } from '../../src/archive/store.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';

const dir = mkdtempSync(path.join(tmpdir(), 'termpool-archive-rec-'));
const servers: ServerProcess[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  rmSync(dir, { recursive: true, force: true });
});

async function server(file: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const s = await spawnServer({ TERMPOOL_ARCHIVE: 'on', TERMPOOL_ARCHIVE_PATH: file, ...env });
  servers.push(s);
  return s;
}

describe('archive store: attachments', () => {
  it('stores them with the row, reads them checksummed, deletes them with it; a damaged one names the session', () => {
    const file = path.join(dir, 'attach', 'archive.sqlite');
    let store = new ArchiveStore(file);
    const rec = gzipSync('{"version": 3, "term": {"cols": 8, "rows": 2}}\n[0.1, "o", "hi"]\n');
    store.put('s1', 1000, '{}', new Uint8Array([1, 2, 3]), [{ kind: 'recording', data: rec }, { kind: 'commands', data: gzipSync('{}') }]);
    store.put('s2', 1000, '{}', new Uint8Array([4]));
    store.close();
    store = new ArchiveStore(file);
    try {
      expect(Buffer.from(store.attachment('s1', 'recording')!).equals(rec)).toBe(true);
      expect(store.attachment('s2', 'recording')).toBeNull();
      // Sizes count the attachments.
      const rows = new Map(store.load().rows.map((r) => [r.id, r.bytes]));
      expect(rows.get('s1')).toBe(3 + rec.byteLength + gzipSync('{}').byteLength);
      expect(rows.get('s2')).toBe(1);
      // Replacing a row replaces its attachments.
      store.put('s2', 1000, '{}', new Uint8Array([4]), [{ kind: 'recording', data: rec }]);
      expect(store.attachment('s2', 'recording')).not.toBeNull();
      store.put('s2', 1000, '{}', new Uint8Array([4]));
      expect(store.attachment('s2', 'recording')).toBeNull();
      expect(store.delete('s1')).toBe(true);
      expect(store.attachment('s1', 'recording')).toBeNull();
      expect(store.attachment('s1', 'commands')).toBeNull();
    } finally {
      store.close();
    }
    // A flipped byte in a stored recording fails its checksum.
    const w = new ArchiveStore(file);
    w.put('s3', 1000, '{}', new Uint8Array([1]), [{ kind: 'recording', data: rec }]);
    w.close();
    const db = new Database(file);
    db.prepare("UPDATE archived_attachments SET data = ? WHERE id = 's3'").run(Buffer.concat([rec.subarray(0, 10), Buffer.from([rec[10]! ^ 1]), rec.subarray(11)]));
    db.close();
    const r = new ArchiveStore(file);
    try {
      expect(() => r.attachment('s3', 'recording')).toThrow(ArchiveRowError);
      expect(() => r.attachment('s3', 'recording')).toThrow(/'s3': its recording failed its checksum/);
      // The session row itself is still fine.
      expect(r.load().damaged).toEqual([]);
    } finally {
      r.close();
    }
  });

  it('a schema-2 archive gains the attachments table and keeps its rows', () => {
    const file = path.join(dir, 'v2', 'archive.sqlite');
    const s = new ArchiveStore(file);
    s.put('old', 1000, '{}', new Uint8Array([9]));
    s.close();
    const db = new Database(file);
    db.exec('DROP TABLE archived_attachments');
    db.pragma('user_version = 2');
    db.close();
    const again = new ArchiveStore(file);
    try {
      expect(again.load().rows.map((r) => r.id)).toEqual(['old']);
      again.put('new', 1000, '{}', new Uint8Array([1]), [{ kind: 'recording', data: gzipSync('x') }]);
      expect(again.attachment('new', 'recording')).not.toBeNull();
    } finally {
      again.close();
    }
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(3);
    check.close();
  });
});

describe('archive: recordings and command histories across a restart', { timeout: 120_000 }, () => {
  it('a recorded program exits, the server restarts, the cast downloads and replays to the same final screen', async () => {
    const file = path.join(dir, 'http', 'archive.sqlite');
    const a = await server(file);
    // Colours, a title, a resize and enough output to scroll.
    const script = 'for i in $(seq 1 40); do printf "\\033[3%dmrow %d\\033[0m 日本\\n" $((i % 7)) $i; done; printf "\\033]0;rec-title\\007"; read x; echo "got $x"; exit 3';
    const v3 = (await a.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', script], cols: 30, rows: 8, record: { format: 'v3' } })).body;
    const v2 = (await a.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', 'printf "plain v2\\n"; sleep 0.2; echo end'], record: true })).body;
    const plain = (await a.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', 'echo not recorded'] })).body;
    // Over 1 MiB of cast: compressed off the event loop after the exit (bigExited), or at the
    // shutdown that kills the program (bigRunning).
    const bigExited = (await a.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', 'seq 1 250000; echo BIG-DONE'], record: true })).body;
    const bigRunning = (await a.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', 'seq 1 250000; echo BIG-UP; exec sleep 600'], record: { format: 'v3' } })).body;
    expect((await a.api('POST', `/v1/sessions/${v3.id}/wait`, { text: 'row 40', timeoutMs: 10_000 })).status).toBe(200);
    expect((await a.api('POST', `/v1/sessions/${v3.id}/marker`, { label: 'input next' })).status).toBe(200);
    expect((await a.api('POST', `/v1/sessions/${v3.id}/resize`, { cols: 34, rows: 9 })).status).toBe(200);
    await a.api('POST', `/v1/sessions/${v3.id}/input`, { text: 'hello\r' });
    for (const id of [v3.id, v2.id, plain.id, bigExited.id]) expect((await a.api('POST', `/v1/sessions/${id}/wait`, { exit: true, timeoutMs: 20_000 })).status).toBe(200);
    expect((await a.api('POST', `/v1/sessions/${bigRunning.id}/wait`, { text: 'BIG-UP', timeoutMs: 20_000 })).status).toBe(200);
    const bigExitedBefore = await (await fetch(`${a.url}/v1/sessions/${bigExited.id}/recording`)).text();
    const bigRunningBefore = await (await fetch(`${a.url}/v1/sessions/${bigRunning.id}/recording`)).text();
    expect(Buffer.byteLength(bigExitedBefore)).toBeGreaterThan(1 << 20);
    expect(Buffer.byteLength(bigRunningBefore)).toBeGreaterThan(1 << 20);
    const screenBefore = (await a.api('GET', `/v1/sessions/${v3.id}/screen`)).body as string;
    const jsonBefore = (await a.api('GET', `/v1/sessions/${v3.id}/screen?format=json`)).body;
    const castBefore = await (await fetch(`${a.url}/v1/sessions/${v3.id}/recording`)).text();
    const v2Before = await (await fetch(`${a.url}/v1/sessions/${v2.id}/recording`)).text();
    const metric = async (s: ServerProcess): Promise<number> => Number(/^termpool_archive_bytes (\d+)/m.exec((await (await fetch(`${s.url}/metrics`)).text()))![1]);
    expect((await a.stop('SIGTERM')).code).toBe(0);

    const b = await server(file);
    const info = (await b.api('GET', `/v1/sessions/${v3.id}`)).body;
    expect(info).toMatchObject({ state: 'archived', recording: true, recordingTruncated: false, exitCode: 3, title: 'rec-title' });
    expect((await b.api('GET', `/v1/sessions/${plain.id}`)).body).toMatchObject({ state: 'archived', recording: false });
    // As recorded: byte for byte what the live session served after the exit.
    const res = await fetch(`${b.url}/v1/sessions/${v3.id}/recording`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-asciicast');
    expect(res.headers.get('x-termpool-recording-truncated')).toBe('false');
    const cast = await res.text();
    expect(cast).toBe(castBefore);
    const { header, events } = parseCast(cast);
    expect(header).toMatchObject({ version: 3, term: { cols: 30, rows: 8 }, title: 'rec-title' });
    expect(events.filter((e) => e.code === 'm').map((e) => e.data)).toEqual(['input next']);
    expect(events.at(-1)).toMatchObject({ code: 'x', data: '3' });
    // It replays to the final screen the archived session serves (and served before the restart).
    const p = playCastText(cast, { maxCols: 500, maxRows: 200 });
    try {
      expect(p.terminal.screenLines().join('\n') + '\n').toBe(screenBefore);
      expect(p.terminal.title).toBe('rec-title');
    } finally { p.dispose(); }
    expect((await b.api('GET', `/v1/sessions/${v3.id}/screen`)).body).toBe(screenBefore);
    expect((await b.api('GET', `/v1/sessions/${v3.id}/screen?format=json`)).body).toEqual(jsonBefore);
    // Converted on the way out: the same events as v2.
    const asV2 = await (await fetch(`${b.url}/v1/sessions/${v3.id}/recording?format=v2`)).text();
    expect(parseCast(asV2).header).toMatchObject({ version: 2, width: 30, height: 8 });
    expect(parseCast(asV2).events).toEqual(events);
    expect(await (await fetch(`${b.url}/v1/sessions/${v2.id}/recording`)).text()).toBe(v2Before);
    // The big ones: whole, and each replays to its archived screen.
    expect(await (await fetch(`${b.url}/v1/sessions/${bigExited.id}/recording`)).text()).toBe(bigExitedBefore);
    const bigRunningAfter = await (await fetch(`${b.url}/v1/sessions/${bigRunning.id}/recording`)).text();
    // Killed by the shutdown: what was served before it, then the program's end (the x event).
    const body = (t: string): string => t.slice(t.indexOf('\n') + 1);
    expect(body(bigRunningAfter).startsWith(body(bigRunningBefore))).toBe(true);
    expect(parseCast(bigRunningAfter).events.at(-1)).toMatchObject({ code: 'x', data: '129' });
    for (const [id, text] of [[bigExited.id, bigExitedBefore], [bigRunning.id, bigRunningAfter]] as const) {
      const big = playCastText(text, { maxCols: 500, maxRows: 200 });
      try { expect(big.terminal.screenLines().join('\n') + '\n').toBe((await b.api('GET', `/v1/sessions/${id}/screen`)).body); } finally { big.dispose(); }
    }
    // Not recorded: still 404; an archived session takes no markers.
    expect((await b.api('GET', `/v1/sessions/${plain.id}/recording`)).body.error).toBe('NOT_RECORDED');
    const mark = await b.api('POST', `/v1/sessions/${v3.id}/marker`, { label: 'x' });
    expect(mark.status).toBe(409);
    expect(mark.body.error).toBe('SESSION_ARCHIVED');
    // Size figures: the store holds the compressed recordings (the cast is 1.4 KB+; the metric is the file).
    expect(await metric(b)).toBeGreaterThan(Buffer.byteLength(cast) / 20);
    // DELETE takes the recording with it.
    expect((await b.api('DELETE', `/v1/sessions/${v3.id}`)).status).toBe(200);
    expect((await b.api('GET', `/v1/sessions/${v3.id}/recording`)).status).toBe(404);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) AS n FROM archived_attachments WHERE id = ?').get(v3.id)).toEqual({ n: 0 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM archived_attachments WHERE id = ?').get(v2.id)).toEqual({ n: 1 });
    } finally { db.close(); }
  });

  it('an archived shell-integration session answers GET /commands with the history it had', async () => {
    const file = path.join(dir, 'commands', 'archive.sqlite');
    const a = await server(file);
    const s = (await a.api('POST', '/v1/sessions', { shell: 'bash', cols: 60, rows: 10 })).body;
    for (const command of ['echo first', 'false', 'seq 1 30']) {
      const r = await a.api('POST', `/v1/sessions/${s.id}/run`, { command, timeoutMs: 15_000 });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    const before = (await a.api('GET', `/v1/sessions/${s.id}/commands`)).body;
    expect(before.commands.map((c: any) => [c.command, c.exitCode])).toEqual([['echo first', 0], ['false', 1], ['seq 1 30', 0]]);
    const page = (await a.api('GET', `/v1/sessions/${s.id}/commands?after=1&limit=1`)).body;
    await a.api('POST', `/v1/sessions/${s.id}/input`, { text: 'exit\r' });
    expect((await a.api('POST', `/v1/sessions/${s.id}/wait`, { exit: true, timeoutMs: 10_000 })).status).toBe(200);
    expect((await a.stop('SIGTERM')).code).toBe(0);

    const b = await server(file);
    expect((await b.api('GET', `/v1/sessions/${s.id}`)).body.state).toBe('archived');
    const after = (await b.api('GET', `/v1/sessions/${s.id}/commands`)).body;
    // `exit` itself started (C) and never finished: the state and the history are as at the exit.
    expect(after.commands.slice(0, 3)).toEqual(before.commands);
    expect(after.firstLine).toBe(before.firstLine);
    expect(after.cwd).toBe(before.cwd);
    expect((await b.api('GET', `/v1/sessions/${s.id}/commands?after=1&limit=1`)).body.commands).toEqual(page.commands);
    // A line range still reads as it did: the third command's output from the scrollback.
    const seq = after.commands[2];
    const start = seq.outputStartLine - after.firstLine;
    const lines = (await b.api('GET', `/v1/sessions/${s.id}/scrollback?start=${start}&count=3`)).body;
    expect(JSON.stringify(lines)).toContain('1');
  });
});
