// @ts-check
/**
 * The viewer's link to the API: the bearer token (asked for once, kept in sessionStorage for
 * this tab, sent as an Authorization header), JSON calls, file downloads, and the session
 * WebSocket, which carries the token as a subprotocol (browsers cannot set its headers; see
 * src/plugins/auth.ts). The token never goes into a URL.
 */

const TOKEN_KEY = 'termpool.token';

/** The token this tab uses ('' = none: a loopback server without a token). */
export function token() {
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export class ApiError extends Error {
  /** @param {number} status @param {string} code @param {string} message */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** @param {string} path @param {RequestInit} [init] @returns {Promise<Response>} */
export async function request(path, init = {}) {
  const headers = new Headers(init.headers);
  const t = token();
  if (t !== '') headers.set('authorization', `Bearer ${t}`);
  const res = await fetch(path, { ...init, headers, cache: 'no-store' });
  if (!res.ok) {
    let code = 'HTTP_' + res.status;
    let message = res.statusText;
    try {
      const body = await res.json();
      code = body.error ?? code;
      message = body.message ?? message;
    } catch { /* not JSON */ }
    throw new ApiError(res.status, code, message);
  }
  return res;
}

/** @param {string} path @param {unknown} [body] @param {string} [method] @returns {Promise<any>} */
export async function api(path, body, method = body === undefined ? 'GET' : 'POST') {
  const init = body === undefined ? { method } : { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
  return (await request(path, init)).json();
}

/**
 * Makes sure the API answers: asks for the token (in the page's #auth form) until a call
 * succeeds. Resolves once authorised.
 */
export async function ensureAuth() {
  for (;;) {
    try {
      await api('/v1/sessions');
      return;
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) throw err;
      const refused = token() !== '';
      sessionStorage.removeItem(TOKEN_KEY);
      sessionStorage.setItem(TOKEN_KEY, await askToken(refused ? 'That token was refused.' : ''));
    }
  }
}

/** @param {string} note @returns {Promise<string>} */
function askToken(note) {
  const form = /** @type {HTMLFormElement} */ (document.getElementById('auth'));
  const input = /** @type {HTMLInputElement} */ (form.querySelector('input[name=token]'));
  const msg = /** @type {HTMLElement} */ (form.querySelector('.note'));
  msg.textContent = note;
  form.hidden = false;
  input.value = '';
  input.focus();
  return new Promise((resolve) => {
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      form.hidden = true;
      resolve(input.value.trim());
    }, { once: true });
  });
}

/** UTF-8 → base64url without padding (the subprotocol alphabet). @param {string} s */
function base64url(s) {
  let bin = '';
  for (const b of new TextEncoder().encode(s)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Opens the session's WebSocket, screens rendered as HTML. @param {string} id */
export function openSessionSocket(id) {
  const url = new URL(`/v1/sessions/${encodeURIComponent(id)}/ws?format=html`, location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const t = token();
  const protocols = t === '' ? ['termpool.v1'] : ['termpool.v1', `termpool.bearer.${base64url(t)}`];
  return new WebSocket(url, protocols);
}

/** Fetches a file with the token and saves it through a blob: URL. @param {string} path @param {string} filename */
export async function download(path, filename) {
  const blob = await (await request(path)).blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked later: the download reads the blob after this returns.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

/** "3 s", "4 min", "2 h", "5 d". @param {string} iso */
export function age(iso) {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} d`;
}
