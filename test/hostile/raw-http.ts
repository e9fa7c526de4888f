/**
 * A raw HTTP/1.1 client for hostile tests: sends exactly the method, path and headers given (no
 * URL normalisation, so `..`, `%ZZ` and odd bytes reach the server as written), reads the whole
 * answer and parses a JSON body. A connection the server resets after answering still yields
 * the answer it sent.
 */
import net from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** Parsed JSON body, or undefined when it is not JSON. */
  json: any;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Omit Content-Length (for bodies sent chunked or not at all). */
  noContentLength?: boolean;
}

/** Sends one request on a fresh connection (`Connection: close`) and resolves with the answer. */
export function rawRequest(url: string, req: RawRequest, timeoutMs = 10_000): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  const body = req.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  const headers: Record<string, string> = { host: `${hostname}:${port}`, connection: 'close', ...req.headers };
  if (!req.noContentLength && req.body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-length')) {
    headers['content-length'] = String(body.length);
  }
  const head = `${req.method} ${req.path} HTTP/1.1\r\n` + Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n';
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      const all = Buffer.concat(chunks);
      if (all.length === 0) { reject(new Error(`${req.method} ${req.path}: connection closed without an answer`)); return; }
      try { resolve(parse(all)); } catch (err) { reject(err); }
    };
    const timer = setTimeout(() => {
      if (chunks.length > 0) { finish(); return; }
      settled = true;
      sock.destroy();
      reject(new Error(`${req.method} ${req.path}: no answer in ${timeoutMs} ms`));
    }, timeoutMs);
    sock.on('data', (d: Buffer) => chunks.push(d));
    sock.on('end', finish);
    sock.on('close', finish);
    // EPIPE/ECONNRESET after the server answered early (413) and closed: keep what arrived.
    sock.on('error', () => finish());
    sock.write(head);
    if (body.length > 0) sock.write(body);
  });
}

function parse(all: Buffer): RawResponse {
  const sep = all.indexOf('\r\n\r\n');
  const headText = all.subarray(0, sep < 0 ? all.length : sep).toString('latin1');
  let payload = sep < 0 ? Buffer.alloc(0) : all.subarray(sep + 4);
  const [statusLine, ...lines] = headText.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '');
  if (!m) throw new Error(`not an HTTP answer: ${JSON.stringify(headText.slice(0, 200))}`);
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  if (headers['transfer-encoding']?.includes('chunked')) payload = dechunk(payload);
  else if (headers['content-length'] !== undefined) payload = payload.subarray(0, Number(headers['content-length']));
  const text = payload.toString('utf8');
  let json: any;
  if ((headers['content-type'] ?? '').startsWith('application/json')) {
    try { json = JSON.parse(text); } catch { json = undefined; }
  }
  return { status: Number(m[1]), headers, text, json };
}

function dechunk(b: Buffer): Buffer {
  const out: Buffer[] = [];
  let i = 0;
  while (i < b.length) {
    const eol = b.indexOf('\r\n', i);
    if (eol < 0) break;
    const n = parseInt(b.subarray(i, eol).toString('latin1'), 16);
    if (!(n > 0)) break;
    out.push(b.subarray(eol + 2, eol + 2 + n));
    i = eol + 2 + n + 2;
  }
  return Buffer.concat(out);
}
