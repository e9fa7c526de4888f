/**
 * GET /scrollback?q= over a real pty session whose scrollback pages are compressed: the search reads
 * compressed pages' low bytes first (src/engine/format/history-find.ts) and must answer exactly what
 * the lines' text gives (GET /scrollback's lines, indexOf on each), with Latin-1, CJK and spaces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/service.js';

describe('GET /scrollback?q= on compressed pages', () => {
  let srv: TestServer | undefined;
  let id = '';
  beforeAll(async () => {
    srv = await startTestServer();
    // 3,000 lines: plain, Latin-1 (é), CJK (wide), a rare term on some.
    const script = "i=0; while [ $i -lt 3000 ]; do case $((i % 7)) in 0) echo \"l$i café au lait\";; 3) echo \"l$i 日本 needle-$((i % 500))\";; *) echo \"l$i plain words x$i\";; esac; i=$((i+1)); done; exec sleep 1000";
    const r = await srv.api('POST', '/v1/sessions', { command: 'sh', args: ['-c', script], cols: 80, rows: 24, scrollback: 5000 });
    expect(r.status).toBe(201);
    id = r.body.id;
    for (let i = 0; i < 600; i++) {
      const s = await srv.api('GET', `/v1/sessions/${id}/scrollback?count=0`);
      if (s.body.total >= 2976) break;
      await new Promise((res) => setTimeout(res, 100));
    }
  }, 120_000);
  afterAll(async () => { await srv?.close(); });

  it('finds what the lines hold, whether the pages are compressed or not', async () => {
    const t = srv!.app.sessions.read(id).terminal;
    t.compressColdPages({ all: true });
    expect(t.primary.list.compressedCount()).toBeGreaterThanOrEqual(2);
    const all = await srv!.api('GET', `/v1/sessions/${id}/scrollback?start=0&count=5000`);
    const lines = all.body.lines as string[];
    expect(lines.length).toBeGreaterThanOrEqual(2976);
    for (const q of ['needle-42', 'café au', '日本 nee', 'x1234', 'lait']) {
      t.compressColdPages({ all: true });
      const r = await srv!.api('GET', `/v1/sessions/${id}/scrollback?q=${encodeURIComponent(q)}&limit=1000`);
      expect(r.status).toBe(200);
      const want = lines.flatMap((text, line) => (text.indexOf(q) >= 0 ? [{ line, column: text.indexOf(q), text }] : []));
      expect(want.length, q).toBeGreaterThan(0);
      const got = (r.body.matches as { line: number; column: number; text: string }[]).filter((m) => m.line < lines.length);
      expect(got, q).toEqual(want);
    }
  });
});
