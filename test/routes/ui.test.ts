/**
 * The web viewer's files (GET /, GET /ui/{file}): served without the token (the page asks for
 * it), with a CSP and the right types; everything the pages load exists; names outside the
 * fixed set (other files, traversal attempts) are a JSON 404, never a file from disk.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/service.js';
import { rawRequest } from '../hostile/raw-http.js';

let srv: TestServer;
beforeAll(async () => { srv = await startTestServer({ TERMPOOL_TOKEN: 'ui-test-token' }); });
afterAll(async () => { await srv?.close(); });

const get = (path: string) => rawRequest(srv.url, { method: 'GET', path });

describe('Viewer files', () => {
  it('GET / is the list page, without a token, with a CSP that allows only this origin', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.text).toContain('<script type="module" src="/ui/list.js">');
    const csp = r.headers['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    // The API itself still needs the token.
    expect((await get('/v1/sessions')).status).toBe(401);
  });

  it('serves every file in ui/ with its type, and every file the pages reference exists', async () => {
    const types: Record<string, string> = { html: 'text/html', js: 'text/javascript', css: 'text/css' };
    const files = readdirSync(new URL('../../ui/', import.meta.url)).filter((f) => /\.(html|js|css)$/.test(f));
    expect(files).toEqual(expect.arrayContaining(['index.html', 'term.html', 'api.js', 'list.js', 'term.js', 'keys.js', 'viewer.css']));
    const referenced = new Set<string>();
    for (const f of files) {
      const r = await get(`/ui/${f}`);
      expect(r.status, f).toBe(200);
      expect(r.headers['content-type'], f).toBe(`${types[f.split('.').pop()!]}; charset=utf-8`);
      for (const m of r.text.matchAll(/(?:src|href)="\/ui\/([^"]+)"|from '\.\/([^']+)'/g)) referenced.add(m[1] ?? m[2]!);
    }
    expect(referenced.size).toBeGreaterThan(3);
    for (const f of referenced) expect(files, `${f} is referenced but not in ui/`).toContain(f);
  });

  it('anything else is a JSON 404 naming the file; nothing outside ui/ is reachable', async () => {
    for (const path of ['/ui/nope.js', '/ui/tsconfig.json', '/ui/..%2Fpackage.json', '/ui/%2e%2e%2fsrc%2fapp.ts', '/ui/.hidden.js']) {
      const r = await get(path);
      expect(r.status, path).toBe(404);
      expect(r.json, path).toMatchObject({ error: 'ROUTE_NOT_FOUND' });
      expect(r.json.message, path).toMatch(/no viewer file/);
    }
    const long = await get(`/ui/${'a'.repeat(70)}.js`);
    expect(long.status).toBe(400);
    expect(long.json).toMatchObject({ error: 'VALIDATION' });
  });
});
