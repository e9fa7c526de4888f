/**
 * The served screen's caches (Session.screenLines and the format=text body made from it) are
 * shared between requests only while the screen cannot have changed; request logs are off
 * unless asked for (TERMPOOL_LOG_LEVEL=debug/trace).
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { startTestServer, type TestServer } from '../helpers/service.js';

let srv: TestServer;
beforeAll(async () => { srv = await startTestServer(); });
afterAll(async () => { await srv?.close(); });

const text = (id: string): Promise<string> => srv.client.screen(id);

describe('Screen cache: invalidated by output, resize and frames', () => {
  it('unchanged screen: same lines; output or resize: the new screen at once', async () => {
    const tp = srv.client;
    const { id } = await tp.createSession({ command: 'cat', cols: 20, rows: 4 });
    const session = srv.app.sessions.get(id);

    const first = session.screenLines();
    expect(session.screenLines()).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const a = await text(id);
    expect(await text(id)).toBe(a);

    for (const word of ['one', 'two', 'three']) {
      await tp.sendText(id, `${word}\r`);
      // The wait reads the same cache; the snapshot right after must not be older than it.
      const w = await tp.wait(id, { regex: `^${word}$`, timeoutMs: 5000 });
      expect(w.satisfied).toBe(true);
      const lines = (await text(id)).split('\n');
      expect(lines).toContain(word);
      expect(lines.slice(0, -1)).toEqual(session.screenLines());
    }
    expect(session.screenLines()).not.toBe(first);

    const before = session.screenLines();
    expect(await tp.resize(id, 10, 2)).toMatchObject({ cols: 10, rows: 2 });
    expect(session.screenLines()).not.toBe(before);
    expect((await text(id)).split('\n')).toHaveLength(3); // 2 rows + trailing newline
    await tp.deleteSession(id);
  });

  it('a synchronized frame is served while it lasts, then the live screen', async () => {
    const tp = srv.client;
    const { id } = await tp.createSession({
      command: 'bash', args: ['-c', 'printf "A\\n\\e[?2026hB"; sleep 0.3; printf "C\\e[?2026l"; sleep 30'], cols: 20, rows: 3,
    });
    const w = await tp.wait(id, { text: 'A', timeoutMs: 5000 });
    expect(w.lines).not.toContain('B');
    expect(await text(id)).not.toContain('B');
    expect((await tp.wait(id, { text: 'BC', timeoutMs: 5000 })).satisfied).toBe(true);
    expect(await text(id)).toContain('BC');
    await tp.deleteSession(id);
  });
});

describe('Request logs: off unless asked for', () => {
  async function logLines(requestLogs: boolean | undefined): Promise<string> {
    let out = '';
    const stream = new Writable({ write(chunk, _enc, cb) { out += String(chunk); cb(); } });
    const app = await buildApp(loadConfig({ TERMPOOL_PORT: '0' }), {
      logger: { level: 'trace', stream },
      ...(requestLogs !== undefined && { requestLogs }),
    });
    try {
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
    return out;
  }

  it('not logged by default, logged with requestLogs', async () => {
    expect(await logLines(undefined)).not.toMatch(/incoming request|request completed/);
    expect(await logLines(true)).toMatch(/request completed/);
  });
});
