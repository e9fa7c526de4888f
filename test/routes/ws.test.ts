/**
 * GET /v1/sessions/:id/ws with a real `ws` client against a real server and real bash: output,
 * input (keys with literal text items too), several viewers, resize, refused messages, exit, UTF-8 split across reads, auth, and a
 * slow viewer that must not grow the server's memory while others keep working.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTPUT_HIGH_WATER_BYTES } from '../../src/sessions/viewers.js';
import { startTestServer, type TestServer } from '../helpers/service.js';

let srv: TestServer;
beforeAll(async () => { srv = await startTestServer(); });
afterAll(async () => { await srv?.close(); });

interface Msg { type: string; [k: string]: any }

interface Client {
  ws: WebSocket;
  messages: Msg[];
  /** Output received (only the last `keep` characters when keep is set). */
  output(): string;
  outputBytes: number;
  next(pred: (m: Msg) => boolean, timeoutMs?: number): Promise<Msg>;
  send(msg: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
}

/** Connects and resolves once the first screen message has arrived. `keep` bounds what is kept. */
async function connect(id: string, opts: { keep?: number; server?: TestServer; headers?: Record<string, string>; query?: string } = {}): Promise<Client> {
  const server = opts.server ?? srv;
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/v1/sessions/${id}/ws${opts.query ?? ''}`, {
    headers: opts.headers ?? (server.config.token ? { authorization: `Bearer ${server.config.token}` } : {}),
  });
  const messages: Msg[] = [];
  const waiters = new Set<{ pred: (m: Msg) => boolean; resolve: (m: Msg) => void }>();
  let out = '';
  const c: Client = {
    ws,
    messages,
    output: () => out,
    outputBytes: 0,
    next(pred, timeoutMs = 10_000) {
      const seen = messages.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve: (m: Msg) => { clearTimeout(t); resolve(m); } };
        const t = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`timed out; last messages: ${JSON.stringify(messages.slice(-3)).slice(0, 800)}`));
        }, timeoutMs);
        waiters.add(w);
      });
    },
    send: (msg) => ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg)),
    closed: new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))),
  };
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString()) as Msg;
    if (m.type === 'output') {
      out += m.data;
      c.outputBytes += Buffer.byteLength(m.data as string);
      if (opts.keep !== undefined && out.length > opts.keep) out = out.slice(-opts.keep);
      if (opts.keep !== undefined) m.data = ''; // do not hold a flood twice
    }
    if (opts.keep === undefined || m.type !== 'output') messages.push(m);
    for (const w of waiters) if (w.pred(m)) { waiters.delete(w); w.resolve(m); }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      ws.terminate();
      reject(new Error(`upgrade refused: ${res.statusCode}`));
    });
  });
  await c.next((m) => m.type === 'screen');
  return c;
}

async function bash(cols = 80, rows = 24): Promise<string> {
  const r = await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['--norc', '--noprofile'], env: { PS1: '$ ' }, cols, rows });
  expect(r.status).toBe(201);
  expect((await srv.api('POST', `/v1/sessions/${r.body.id}/wait`, { text: '$', timeoutMs: 5000 })).status).toBe(200);
  return r.body.id;
}

const screenHas = (text: string) => (m: Msg) => m.type === 'screen' && (m.lines as string[]).some((l) => l === text);

describe('WebSocket: output and input', () => {
  it('a viewer gets the screen at once, then the output of echo hi typed over the socket', async () => {
    const id = await bash();
    const c = await connect(id);
    const first = c.messages[0]!;
    expect(first).toMatchObject({ type: 'screen', cols: 80, rows: 24, alternateScreen: false });
    expect(first.lines).toHaveLength(24);
    expect(first.lines[0]).toBe('$');
    c.send({ type: 'input', text: 'echo hi' });
    c.send({ type: 'input', keys: ['Enter'] });
    await c.next(() => /[\r\n]hi\r\n/.test(c.output())); // bash sends \r after turning bracketed paste off
    const screen = await c.next(screenHas('hi'));
    expect(screen.lines.slice(0, 3)).toEqual(['$ echo hi', 'hi', '$']);
    expect(screen.cursor).toEqual({ row: 2, col: 2, visible: true });
    c.ws.close();
    await srv.api('DELETE', `/v1/sessions/${id}`);
  });

  it('keys with literal: true type text items as text and key names as keys, as POST /input does', async () => {
    const id = await bash();
    const c = await connect(id);
    // C-u is still a key (kills the line typed so far), the rest is text.
    c.send({ type: 'input', keys: ['echo never-run', 'C-u', 'echo lit-$((6*7))', 'Enter'], literal: true });
    const screen = await c.next(screenHas('lit-42'));
    expect(screen.lines.slice(0, 3)).toEqual(['$ echo lit-$((6*7))', 'lit-42', '$']);
    // The same rules as the HTTP body: without literal a text item is a bad key, literal needs keys,
    // and key names are short unless literal.
    const errors = (): Msg[] => c.messages.filter((m) => m.type === 'error');
    const cases: [unknown, string, RegExp][] = [
      [{ type: 'input', keys: ['echo x'] }, 'TP_BAD_KEY', /echo x/],
      [{ type: 'input', text: 'x', literal: true }, 'VALIDATION', /\/literal literal goes with keys/],
      [{ type: 'input', keys: ['x'.repeat(65)] }, 'VALIDATION', /\/keys\/0 a key name is at most 64 characters/],
    ];
    for (const [i, [msg, code, text]] of cases.entries()) {
      c.send(msg);
      await c.next(() => errors().length > i);
      expect(errors()[i]!.error, JSON.stringify(msg)).toBe(code);
      expect(errors()[i]!.message).toMatch(text);
    }
    // A long literal item is fine.
    c.send({ type: 'input', keys: [`echo ${'y'.repeat(70)}`, 'Enter'], literal: true });
    await c.next(screenHas('y'.repeat(70)));
    expect(errors()).toHaveLength(cases.length);
    c.ws.close();
    await srv.api('DELETE', `/v1/sessions/${id}`);
  });

  it('two viewers both get the output; screens are coalesced; closing them unsubscribes', async () => {
    const id = await bash();
    const session = srv.app.sessions.get(id);
    const listeners = (): number[] => (['output', 'update', 'exit', 'closed'] as const).map((e) => session.listenerCount(e));
    const baseline = listeners();
    const a = await connect(id);
    const b = await connect(id);
    await srv.api('POST', `/v1/sessions/${id}/input`, { text: 'for i in $(seq 1 200); do echo line-$i; done\r' });
    for (const c of [a, b]) await c.next(() => c.output().includes('line-200\r\n'));
    await a.next(screenHas('line-200'));
    await b.next(screenHas('line-200'));
    expect(a.output()).toBe(b.output());
    // 200 echo lines arrive in many reads, but screens are at most one per ~50 ms.
    const outputs = a.messages.filter((m) => m.type === 'output').length;
    const screens = a.messages.filter((m) => m.type === 'screen').length;
    expect(screens).toBeLessThan(Math.max(outputs, 4));
    expect(listeners()).not.toEqual(baseline);
    a.ws.close();
    b.ws.terminate(); // an abrupt disconnect too
    await Promise.all([a.closed, b.closed]);
    await new Promise((r) => setTimeout(r, 50)); // the server sees the closes
    expect(listeners()).toEqual(baseline);
    await srv.api('DELETE', `/v1/sessions/${id}`);
  });

  it('a UTF-8 character split across two pty reads arrives whole', async () => {
    const id = await bash();
    const c = await connect(id);
    c.send({ type: 'input', text: "printf '\\342\\202'; sleep 0.3; printf '\\254|\\n'\r" });
    await c.next(() => c.output().includes('€|'));
    expect(c.output()).not.toContain('\ufffd');
    c.ws.close();
    await srv.api('DELETE', `/v1/sessions/${id}`);
  });

  it('resize over the socket resizes the session and the pty', async () => {
    const id = await bash();
    const c = await connect(id);
    c.send({ type: 'resize', cols: 100, rows: 30 });
    await c.next((m) => m.type === 'screen' && m.cols === 100 && m.rows === 30);
    expect((await srv.api('GET', `/v1/sessions/${id}`)).body).toMatchObject({ cols: 100, rows: 30 });
    c.send({ type: 'input', text: 'stty size\r' });
    await c.next(() => c.output().includes('30 100'));
    c.ws.close();
    await srv.api('DELETE', `/v1/sessions/${id}`);
  });
});

describe('WebSocket: format=html (the web viewer)', () => {
  it('screens also carry each row rendered as HTML: coloured, escaped, with the cursor; text viewers get no html', async () => {
    const id = await bash(40, 6);
    const html = await connect(id, { query: '?format=html' });
    const text = await connect(id);
    const first = html.messages[0]!;
    expect(first).toMatchObject({ type: 'screen', cols: 40, rows: 6, fg: '#e5e5e5', bg: '#000000', scrollbackLength: 0 });
    expect(first.html).toHaveLength(6);
    expect(text.messages[0]!.html).toBeUndefined();
    await srv.api('POST', `/v1/sessions/${id}/input`, { text: "clear; printf '\\e[31m<red>&\\e[0m \\e[1;44mB\\e[0m 日本\\n'\r" });
    const screen = await html.next(screenHas('<red>& B 日本'));
    const row = screen.html[screen.lines.indexOf('<red>& B 日本')] as string;
    // Palette colour 1 is xterm's #cd0000; text is escaped, never markup.
    expect(row).toContain('<span style="color:#cd0000">&lt;red&gt;&amp;</span>');
    expect(row).toMatch(/<span style="[^"]*background:#0000ee;font-weight:bold">B<\/span>/);
    expect(row).toContain('<span class="w">日</span><span class="w">本</span>');
    // The cursor is drawn on its row (a block: the cell in reverse colours).
    expect(screen.html[screen.cursor.row]).toContain('class="cursor"');
    const plain = await text.next(screenHas('<red>& B 日本'));
    expect(plain.html).toBeUndefined();
    // Output pushed into scrollback is counted for the viewer's history.
    await srv.api('POST', `/v1/sessions/${id}/input`, { text: 'seq 1 20\r' });
    const scrolled = await html.next((m) => m.type === 'screen' && m.lines.includes('20'));
    expect(scrolled.scrollbackLength).toBeGreaterThan(0);
    html.ws.close();
    text.ws.close();
    await srv.api('DELETE', `/v1/sessions/${id}`);
  });

  it('an unknown format is a 400 before the upgrade', async () => {
    const id = await bash();
    await expect(connect(id, { query: '?format=png' })).rejects.toThrow(/upgrade refused: 400/);
    await srv.api('DELETE', `/v1/sessions/${id}`);
  });
});

describe('WebSocket: refused messages', () => {
  it('bad messages get an error message and the socket stays usable', async () => {
    const id = await bash();
    const c = await connect(id);
    const other = await connect(id);
    const errors = (): Msg[] => c.messages.filter((m) => m.type === 'error');
    const cases: [unknown, string][] = [
      ['{not json', 'VALIDATION'],
      ['"just a string"', 'VALIDATION'],
      [{ type: 'nope' }, 'VALIDATION'],
      [{ type: 'input' }, 'VALIDATION'],
      [{ type: 'input', text: 'a', keys: ['b'] }, 'VALIDATION'],
      [{ type: 'input', keys: ['NoSuchKey'] }, 'TP_BAD_KEY'],
      [{ type: 'input', mouse: { action: 'press', button: 'left', row: 0, col: 0 } }, 'TP_MOUSE_OFF'],
      [{ type: 'resize', cols: 1, rows: 10 }, 'VALIDATION'],
      [{ type: 'resize', cols: 4000, rows: 10 }, 'BAD_SIZE'],
    ];
    for (const [i, [msg, code]] of cases.entries()) {
      c.send(msg);
      await c.next(() => errors().length > i);
      expect(errors()[i]!.error, JSON.stringify(msg)).toBe(code);
      expect(typeof errors()[i]!.message).toBe('string');
    }
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await c.next(() => errors().length > cases.length);
    expect(errors()[cases.length]!.message).toMatch(/binary/);
    expect(errors()[0]!.details).toBeDefined();
    // Still usable, and the other viewer saw none of it.
    c.send({ type: 'input', text: 'echo still-here\r' });
    await c.next(() => c.output().includes('still-here\r\n'));
    await other.next(() => other.output().includes('still-here\r\n'));
    expect(other.messages.filter((m) => m.type === 'error')).toEqual([]);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    c.ws.close();
    other.ws.close();
    await srv.api('DELETE', `/v1/sessions/${id}`);
  });

  it('a message over the body limit closes only that viewer (1009)', async () => {
    const small = await startTestServer({ TERMPOOL_BODY_LIMIT: '4096' });
    try {
      const r = await small.api('POST', '/v1/sessions', { command: 'bash', args: ['--norc', '--noprofile'] });
      const big = await connect(r.body.id, { server: small });
      const ok = await connect(r.body.id, { server: small });
      big.send({ type: 'input', text: 'x'.repeat(10_000) });
      expect((await big.closed).code).toBe(1009);
      ok.send({ type: 'input', text: 'echo fine\r' });
      await ok.next(() => ok.output().includes('fine\r\n'));
      ok.ws.close();
    } finally {
      await small.close();
    }
  });
});

describe('WebSocket: lifecycle', () => {
  it('exit is reported; input after it is refused; delete closes the socket', async () => {
    const id = await bash();
    const c = await connect(id);
    c.send({ type: 'input', text: 'exit 7\r' });
    expect(await c.next((m) => m.type === 'exit')).toEqual({ type: 'exit', exitCode: 7, signal: null });
    c.send({ type: 'input', text: 'echo late\r' });
    expect(await c.next((m) => m.type === 'error')).toMatchObject({ error: 'SESSION_EXITED' });
    // A viewer joining after the exit gets the final screen and the exit status.
    const late = await connect(id);
    expect(await late.next((m) => m.type === 'exit')).toMatchObject({ exitCode: 7 });
    await srv.api('DELETE', `/v1/sessions/${id}`);
    expect(await c.closed).toEqual({ code: 1000, reason: 'session closed' });
    expect((await late.closed).code).toBe(1000);
  });

  it('unknown session: 404 before the upgrade; plain GET: 426', async () => {
    await expect(connect('nope')).rejects.toThrow(/404/);
    const plain = await srv.api('GET', '/v1/sessions/nope/ws');
    expect(plain.status).toBe(404);
    const id = await bash();
    expect(await srv.api('GET', `/v1/sessions/${id}/ws`)).toMatchObject({ status: 426, body: { error: 'UPGRADE_REQUIRED' } });
    await srv.api('DELETE', `/v1/sessions/${id}`);
  });

  it('with a token, the upgrade needs it (401 before the upgrade)', async () => {
    const auth = await startTestServer({ TERMPOOL_TOKEN: 'tok' });
    try {
      const r = await auth.api('POST', '/v1/sessions', { command: 'bash', args: ['--norc', '--noprofile'] });
      await expect(connect(r.body.id, { server: auth, headers: {} })).rejects.toThrow(/401/);
      await expect(connect(r.body.id, { server: auth, headers: { authorization: 'Bearer wrong' } })).rejects.toThrow(/401/);
      const ok = await connect(r.body.id, { server: auth });
      expect(ok.messages[0]!.type).toBe('screen');
      ok.ws.close();
    } finally {
      await auth.close();
    }
  });
});

describe('WebSocket: a slow viewer', () => {
  it('has output dropped (bounded server buffer), gets a dropped notice and a screen; others and HTTP keep working', async () => {
    const id = await bash();
    const slow = await connect(id, { keep: 4096 });
    const fast = await connect(id, { keep: 4096 });
    const serverSockets = [...srv.app.websocketServer.clients];
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();

    const mem0 = process.memoryUsage();
    let maxBuffered = 0;
    let maxExtra = 0;
    let httpWorst = 0;
    let httpCalls = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        for (const s of serverSockets) maxBuffered = Math.max(maxBuffered, s.bufferedAmount);
        const m = process.memoryUsage();
        maxExtra = Math.max(maxExtra, m.heapUsed + m.arrayBuffers - mem0.heapUsed - mem0.arrayBuffers);
        const t0 = Date.now();
        const h = await srv.api('GET', `/v1/sessions/${id}`);
        expect(h.status).toBe(200);
        httpWorst = Math.max(httpWorst, Date.now() - t0);
        httpCalls++;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    // ~21 MB of output (~27 MB as JSON): far more than the kernel's socket buffers hold.
    await srv.api('POST', `/v1/sessions/${id}/input`, { text: 'seq 1 3000000; echo FLOOD-$((1+1))\r' });
    const t0 = Date.now();
    await fast.next(() => fast.output().includes('FLOOD-2\r\n'), 120_000);
    const floodMs = Date.now() - t0;
    sampling = false;
    await sampler;

    const info = (await srv.api('GET', `/v1/sessions/${id}`)).body as { bytesParsed: number };
    console.log(`slow viewer: flood ${(info.bytesParsed / 1e6).toFixed(1)} MB in ${floodMs} ms; max server bufferedAmount ${(maxBuffered / 1024).toFixed(0)} KiB; ` +
      `max heap+arrayBuffers growth ${(maxExtra / 1048576).toFixed(1)} MiB; fast viewer got ${(fast.outputBytes / 1e6).toFixed(1)} MB, ` +
      `dropped notices ${fast.messages.filter((m) => m.type === 'dropped').length}; HTTP worst ${httpWorst} ms over ${httpCalls} calls`);
    expect(info.bytesParsed).toBeGreaterThan(20_000_000);
    // The slow viewer's unsent bytes never went far past the high-water mark (one message over at most).
    expect(maxBuffered).toBeLessThan(OUTPUT_HIGH_WATER_BYTES + 512 * 1024);
    expect(maxExtra).toBeLessThan(96 * 1024 * 1024);
    expect(httpCalls).toBeGreaterThan(3);
    // The fast viewer saw the end of the flood (everything, or a dropped notice + screen if it lagged too).
    expect(fast.outputBytes + fast.messages.filter((m) => m.type === 'dropped').reduce((n, m) => n + m.bytes, 0)).toBeGreaterThan(info.bytesParsed * 0.99);

    // The slow viewer reads again: whatever the kernel held, then one dropped notice and a fresh screen.
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const dropped = await slow.next((m) => m.type === 'dropped', 30_000);
    expect(dropped.bytes).toBeGreaterThan(1_000_000);
    const screen = await slow.next((m) => m.type === 'screen' && slow.messages.indexOf(m) > slow.messages.indexOf(dropped), 30_000);
    expect(screen.lines).toContain('FLOOD-2');
    expect(slow.messages.filter((m) => m.type === 'dropped')).toHaveLength(1);
    // Everything the slow viewer got plus what it was told it missed is the whole output.
    expect(slow.outputBytes + dropped.bytes).toBeGreaterThan(info.bytesParsed * 0.99);
    slow.ws.close();
    fast.ws.close();
    await srv.api('DELETE', `/v1/sessions/${id}`);
  }, 180_000);
});
