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

const text = async (id: string): Promise<string> => {
  const r = await srv.api('GET', `/v1/sessions/${id}/screen`);
  expect(r.status).toBe(200);
  return r.body as string;
};

describe('Screen cache: invalidated by output, resize and frames', () => {
  it('unchanged screen: same lines; output or resize: the new screen at once', async () => {
    const created = await srv.api('POST', '/v1/sessions', { command: 'cat', cols: 20, rows: 4 });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const session = srv.app.sessions.get(id);

    const first = session.screenLines();
    expect(session.screenLines()).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const a = await text(id);
    expect(await text(id)).toBe(a);

    for (const word of ['one', 'two', 'three']) {
      await srv.api('POST', `/v1/sessions/${id}/input`, { text: `${word}\r` });
      // The wait reads the same cache; the snapshot right after must not be older than it.
      const w = await srv.api('POST', `/v1/sessions/${id}/wait`, { regex: `^${word}$`, timeoutMs: 5000 });
      expect(w.status).toBe(200);
      const lines = (await text(id)).split('\n');
      expect(lines).toContain(word);
      expect(lines.slice(0, -1)).toEqual(session.screenLines());
    }
    expect(session.screenLines()).not.toBe(first);

    const before = session.screenLines();
    expect((await srv.api('POST', `/v1/sessions/${id}/resize`, { cols: 10, rows: 2 })).status).toBe(200);
    expect(session.screenLines()).not.toBe(before);
    expect((await text(id)).split('\n')).toHaveLength(3); // 2 rows + trailing newline
    await srv.api('DELETE', `/v1/sessions/${id}`);
  });

  it('a synchronized frame is served while it lasts, then the live screen', async () => {
    const created = await srv.api('POST', '/v1/sessions', {
      command: 'bash', args: ['-c', 'printf "A\\n\\e[?2026hB"; sleep 0.3; printf "C\\e[?2026l"; sleep 30'], cols: 20, rows: 3,
    });
    const id = created.body.id as string;
    const w = await srv.api('POST', `/v1/sessions/${id}/wait`, { text: 'A', timeoutMs: 5000 });
    expect(w.body.lines).not.toContain('B');
    expect(await text(id)).not.toContain('B');
    expect((await srv.api('POST', `/v1/sessions/${id}/wait`, { text: 'BC', timeoutMs: 5000 })).status).toBe(200);
    expect(await text(id)).toContain('BC');
    await srv.api('DELETE', `/v1/sessions/${id}`);
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
