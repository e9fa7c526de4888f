// @ts-check
/**
 * One session's live view (/ui/term.html?id=…): the screen as termpool's engine has it, from
 * the session WebSocket with format=html (each row rendered server-side by src/render/html.ts,
 * so colours, attributes, wide characters and the cursor are the engine's, not a browser
 * terminal's). Also: scrollback fetched from /scrollback when the user scrolls up, keyboard
 * input when "send input" is on (read-only by default), "resize session to fit", and snapshot
 * and recording downloads.
 */
import { api, ApiError, download, ensureAuth, openSessionSocket, request } from './api.js';
import { keyInput } from './keys.js';

/** Scrollback lines fetched per step. */
const PAGE = 200;
const RETRY_MS = 2000;

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const wrap = $('wrap');
const term = $('term');
const screen = $('screen');
const history = $('history');
const measure = $('measure');
const status = $('status');
const inputToggle = /** @type {HTMLInputElement} */ ($('input-toggle'));
const fitToggle = /** @type {HTMLInputElement} */ ($('fit-toggle'));
const recordingButton = $('btn-recording');

const id = new URLSearchParams(location.search).get('id') ?? '';
const base = `/v1/sessions/${encodeURIComponent(id)}`;

/** @type {WebSocket | null} */
let ws = null;
/** The row HTML currently shown (rows are only touched when they changed). */
/** @type {string[]} */
let shown = [];
let size = { cols: 0, rows: 0 };
let running = true;
let note = '';
/** Scrollback shown above the screen: index of its first line (null = none loaded). */
/** @type {number | null} */
let historyStart = null;
/** Scrollback length when the shown scrollback was loaded, and now. */
let historySeen = 0;
let scrollbackLength = 0;
let loadingHistory = false;

function showStatus() {
  const parts = [running ? 'running' : 'exited', `${size.cols}×${size.rows}`, inputToggle.checked ? 'input on' : 'read-only'];
  if (note !== '') parts.push(note);
  status.textContent = parts.join(' · ');
}

const atBottom = () => wrap.scrollTop + wrap.clientHeight >= wrap.scrollHeight - 2;

/** @param {any} msg a WsScreenMessage with html rows */
function drawScreen(msg) {
  const stick = atBottom();
  term.style.background = msg.bg;
  term.style.color = msg.fg;
  wrap.style.background = msg.bg;
  while (screen.children.length > msg.html.length) screen.lastElementChild?.remove();
  while (screen.children.length < msg.html.length) {
    const row = document.createElement('div');
    row.className = 'row';
    screen.append(row);
  }
  if (shown.length !== msg.html.length) shown = [];
  for (let i = 0; i < msg.html.length; i++) {
    // Escaped by the server's renderer: text in spans with inline colours, nothing else.
    if (shown[i] !== msg.html[i]) screen.children[i].innerHTML = msg.html[i];
  }
  shown = msg.html;
  screen.dataset['cols'] = String(msg.cols);
  screen.dataset['rows'] = String(msg.rows);
  screen.style.width = `${msg.cols}ch`;
  size = { cols: msg.cols, rows: msg.rows };
  document.title = msg.title !== '' ? `${msg.title} — termpool` : `${id} — termpool`;
  scrollbackLength = msg.scrollbackLength ?? 0;
  // Back at the live screen: drop the scrollback shown, it is stale once more lines came in.
  if (historyStart !== null && stick && scrollbackLength !== historySeen) {
    history.replaceChildren();
    historyStart = null;
  }
  if (stick) wrap.scrollTop = wrap.scrollHeight;
  showStatus();
}

/** Prepends the previous page of scrollback (plain text: /scrollback serves lines). */
async function loadOlder() {
  const end = historyStart ?? scrollbackLength;
  if (loadingHistory || end <= 0) return;
  loadingHistory = true;
  try {
    const start = Math.max(0, end - PAGE);
    const r = await api(`${base}/scrollback?start=${start}&count=${end - start}`);
    if (historyStart === null) historySeen = r.total;
    const before = wrap.scrollHeight;
    history.prepend(...r.lines.map((/** @type {string} */ text) => {
      const row = document.createElement('div');
      row.className = 'row';
      row.textContent = text;
      return row;
    }));
    // Keep what the user looks at in place.
    wrap.scrollTop += wrap.scrollHeight - before;
    historyStart = start;
  } catch (err) {
    note = `scrollback: ${err instanceof Error ? err.message : err}`;
    showStatus();
  } finally {
    loadingHistory = false;
  }
}

/** @param {object} msg a WsClientMessage */
function send(msg) {
  if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
}

function fit() {
  if (!fitToggle.checked || !running) return;
  const box = measure.getBoundingClientRect();
  const cw = box.width / 10;
  if (cw <= 0 || box.height <= 0) return;
  const cols = Math.max(2, Math.floor(wrap.clientWidth / cw));
  const rows = Math.max(1, Math.floor(wrap.clientHeight / box.height));
  if (cols !== size.cols || rows !== size.rows) send({ type: 'resize', cols, rows });
}

function connect() {
  const sock = openSessionSocket(id);
  ws = sock;
  sock.addEventListener('open', () => { note = ''; showStatus(); fit(); });
  sock.addEventListener('message', (e) => {
    const msg = JSON.parse(String(e.data));
    switch (msg.type) {
      case 'screen': drawScreen(msg); break;
      case 'exit':
        running = false;
        note = msg.signal ? `ended by ${msg.signal}` : `exit code ${msg.exitCode}`;
        showStatus();
        break;
      case 'error': note = `${msg.error}: ${msg.message}`; showStatus(); break;
    }
  });
  sock.addEventListener('close', async (e) => {
    if (ws !== sock) return;
    ws = null;
    if (e.code === 1000 && e.reason === 'session closed') { note = 'session closed'; showStatus(); return; }
    note = 'disconnected; retrying';
    showStatus();
    await new Promise((r) => setTimeout(r, RETRY_MS));
    try {
      const info = await api(base);
      // Persisted after a restart: no live socket any more, but the saved screen is served.
      if (info.state === 'archived') { await showSaved(info); return; }
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) { note = 'session is gone'; showStatus(); return; }
      if (err instanceof ApiError && err.status === 401) await ensureAuth();
    }
    connect();
  });
}

/**
 * An archived session's saved screen, from GET /screen?format=html (the same renderer), shown
 * once: its rows are the lines of the page's <pre>.
 * @param {any} info SessionInfo
 */
async function showSaved(info) {
  const page = await (await request(`${base}/screen?format=html`)).text();
  // Parsed inert (DOMParser runs no scripts); only the <pre>'s rows are taken.
  const pre = new DOMParser().parseFromString(page, 'text/html').querySelector('pre');
  const rows = (pre?.innerHTML ?? '').split('\n');
  running = false;
  note = 'archived: the saved screen';
  drawScreen({ html: rows, fg: '#e5e5e5', bg: '#000000', cols: info.cols, rows: rows.length, title: info.title, scrollbackLength: info.scrollbackLength });
}

term.addEventListener('keydown', (e) => {
  if (!inputToggle.checked) return;
  const m = keyInput(e);
  if (m === null) return;
  e.preventDefault();
  send({ type: 'input', ...m });
});
term.addEventListener('paste', (e) => {
  if (!inputToggle.checked) return;
  e.preventDefault();
  const text = e.clipboardData?.getData('text/plain') ?? '';
  if (text !== '') send({ type: 'input', paste: text });
});
inputToggle.addEventListener('change', () => { term.dataset['readonly'] = String(!inputToggle.checked); term.focus(); showStatus(); });
fitToggle.addEventListener('change', fit);
let fitTimer = 0;
new ResizeObserver(() => { clearTimeout(fitTimer); fitTimer = setTimeout(fit, 100); }).observe(wrap);
wrap.addEventListener('wheel', (e) => { if (e.deltaY < 0 && wrap.scrollTop === 0) void loadOlder(); }, { passive: true });
wrap.addEventListener('scroll', () => { if (historyStart !== null && historyStart > 0 && wrap.scrollTop < 100) void loadOlder(); });

/** @param {string} button @param {string} path @param {string} filename */
function downloadButton(button, path, filename) {
  $(button).addEventListener('click', async () => {
    try {
      await download(path, filename);
    } catch (err) {
      note = `${filename}: ${err instanceof Error ? err.message : err}`;
      showStatus();
    }
  });
}
downloadButton('btn-png', `${base}/screen?format=png`, `${id}.png`);
downloadButton('btn-svg', `${base}/screen?format=svg`, `${id}.svg`);
downloadButton('btn-text', `${base}/screen?format=text`, `${id}.txt`);
downloadButton('btn-recording', `${base}/recording`, `${id}.cast`);

/**
 * "Copy embed snippet": HTML that embeds asciinema-player attached to this session's ALiS
 * stream (GET …/alis, src/routes/alis.ts), with the session's read-only stream key, never the
 * token. Copied to the clipboard and shown, so it can be copied by hand where the clipboard is refused.
 * @param {string} streamUrl
 */
function embedSnippet(streamUrl) {
  return [
    '<!-- asciinema-player.css and .min.js: the asciinema-player npm package, dist/bundle/ -->',
    '<link rel="stylesheet" href="asciinema-player.css">',
    `<div id="termpool-${id}"></div>`,
    '<script src="asciinema-player.min.js"></script>',
    `<script>AsciinemaPlayer.create(${JSON.stringify(streamUrl)}, document.getElementById(${JSON.stringify(`termpool-${id}`)}), { autoPlay: true });</script>`,
  ].join('\n');
}
$('btn-embed').addEventListener('click', async () => {
  try {
    const link = await api(`${base}/alis-key`);
    const snippet = embedSnippet(`${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${link.path}`);
    const box = /** @type {HTMLTextAreaElement} */ ($('embed-snippet'));
    box.value = snippet;
    box.hidden = false;
    box.select();
    await navigator.clipboard.writeText(snippet).then(() => { note = 'embed snippet copied'; }, () => { note = 'embed snippet below: copy it by hand'; });
  } catch (err) {
    note = `embed snippet: ${err instanceof Error ? err.message : err}`;
  }
  showStatus();
});

await ensureAuth();
try {
  const info = await api(base);
  $('name').textContent = `${id}: ${[info.command, ...info.args].join(' ')}`;
  running = info.state === 'running';
  // Shown only for sessions created with record: true.
  recordingButton.hidden = info.recording !== true;
  if (info.state === 'archived') await showSaved(info);
  else connect();
} catch (err) {
  note = err instanceof ApiError && err.status === 404 ? `no session '${id}'` : String(err);
  showStatus();
}
