/**
 * Programs that finish while the server is busy keep all their output: 20 sessions print 3,000
 * lines and exit while another session floods base64 through a wide terminal. Every final
 * screen must end at line 3000 with the 2,977 lines above it in scrollback. Before the pty was
 * drained on exit (src/sessions/pty-drain.ts) every one of them lost its tail here: node-pty
 * destroys the socket 200 ms after the exit, ahead of reads the busy loop has not made yet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';

let server: ServerProcess;
beforeAll(async () => { server = await spawnServer({ TERMPOOL_LOG_LEVEL: 'warn', TERMPOOL_ARCHIVE: 'off' }); });
afterAll(async () => { await server?.stop('SIGTERM'); });

describe('exit under load', () => {
  it('every finished program keeps its last lines while another session floods', async () => {
    const flood = await server.api<{ id: string }>('POST', '/v1/sessions', {
      command: 'bash', args: ['-c', 'head -c 60000000 /dev/urandom | base64'], cols: 200, rows: 50,
    });
    expect(flood.status).toBe(201);
    // The flood is under way (the server busy parsing it) before the printers start.
    for (let t = 0; ; t++) {
      const info = await server.api<{ bytesParsed: number }>('GET', `/v1/sessions/${flood.body.id}`);
      if (info.body.bytesParsed > 1_000_000) break;
      expect(t, 'flood never started').toBeLessThan(200);
      await new Promise((r) => setTimeout(r, 20));
    }
    const made = await Promise.all(Array.from({ length: 20 }, () =>
      server.api<{ id: string }>('POST', '/v1/sessions', { command: 'seq', args: ['1', '3000'], cols: 80, rows: 24 })));
    const ids = made.map((r) => { expect(r.status).toBe(201); return r.body.id; });
    for (const id of ids) {
      for (let t = 0; ; t++) {
        const info = await server.api<{ state: string; scrollbackLength: number }>('GET', `/v1/sessions/${id}`);
        if (info.body.state !== 'running') break;
        expect(t, `session ${id} still running`).toBeLessThan(600);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const results = await Promise.all(ids.map(async (id) => {
      const info = await server.api<{ exitCode: number; scrollbackLength: number }>('GET', `/v1/sessions/${id}`);
      const screen = await server.api<{ lines: { text: string }[] }>('GET', `/v1/sessions/${id}/screen?format=json`);
      const text = screen.body.lines.map((l) => l.text).filter((l) => l !== '');
      return { exitCode: info.body.exitCode, scrollbackLength: info.body.scrollbackLength, last: text.at(-1) };
    }));
    expect(results).toEqual(ids.map(() => ({ exitCode: 0, scrollbackLength: 2977, last: '3000' })));
    expect((await server.api('DELETE', `/v1/sessions/${flood.body.id}`)).status).toBe(200);
  }, 90_000);
});
