/**
 * The server side of bench/history.ts's http measures, in a process of its own (forked with IPC),
 * so the client's work (receiving and counting 27 MB) is not counted as the server's and the two
 * run side by side as they would on a real host. It builds the app as `npm start` would, creates
 * the session that `cat`s the history file, waits until it holds every line, and answers the
 * parent's messages: { cpu } with its process.cpuUsage() (the server's CPU time is measured as the
 * difference across a request), { compress } by compressing the session's pages, { close }.
 *
 * argv: FILE LINES COLS ROWS
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

export interface ServerReady { url: string; id: string; auth: Record<string, string> }
export type ServerRequest = { op: 'cpu' | 'compress' | 'close'; seq: number };

async function main(): Promise<void> {
  const [file, linesArg, colsArg, rowsArg] = process.argv.slice(2);
  const lines = Number(linesArg);
  const dir = mkdtempSync(join(tmpdir(), 'termpool-history-server-'));
  const config = loadConfig({ TERMPOOL_PORT: '0', TERMPOOL_ARCHIVE: 'off', TERMPOOL_DATA_DIR: dir });
  const app = await buildApp(config);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const auth: Record<string, string> = config.token ? { authorization: `Bearer ${config.token}` } : {};
  const res = await fetch(`${url}/v1/sessions`, {
    method: 'POST', headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ command: 'sh', args: ['-c', `stty -onlcr -echo; cat '${file}'; exec sleep 3600`], cols: Number(colsArg), rows: Number(rowsArg), scrollback: lines }),
  });
  if (res.status !== 201 && res.status !== 200) throw new Error(`create: ${res.status} ${await res.text()}`);
  const id = ((await res.json()) as { id: string }).id;
  const session = app.sessions.read(id);
  const deadline = Date.now() + 60_000;
  while (session.terminal.scrollbackLength < lines || !session.terminal.screenLines().some((l) => l !== '')) {
    if (Date.now() > deadline) throw new Error(`session reached ${session.terminal.scrollbackLength} lines`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 500));
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => (closing ??= (async () => {
    await fetch(`${url}/v1/sessions/${id}`, { method: 'DELETE', headers: auth }).catch(() => {});
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  })());
  process.on('message', (m: ServerRequest) => {
    if (m.op === 'cpu') process.send!({ seq: m.seq, cpu: process.cpuUsage() });
    else if (m.op === 'compress') { session.terminal.compressColdPages({ all: true }); process.send!({ seq: m.seq }); }
    else void close().then(() => process.exit(0));
  });
  process.on('disconnect', () => { void close().finally(() => process.exit(0)); });
  process.send!({ ready: { url, id, auth } satisfies ServerReady });
}

main().catch((err) => {
  process.stderr.write(`history-server: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
