// @ts-check
/**
 * The session list (GET /): polls GET /v1/sessions once a second and redraws the table; a row
 * opens that session's view. Polling, not a server-sent stream: EventSource cannot send an
 * Authorization header, and one small authorised GET a second needs no new route.
 */
import { age, api, ApiError, ensureAuth } from './api.js';

const POLL_MS = 1000;
const tbody = /** @type {HTMLTableSectionElement} */ (document.querySelector('#sessions tbody'));
const empty = /** @type {HTMLElement} */ (document.getElementById('empty'));
const status = /** @type {HTMLElement} */ (document.getElementById('status'));

/** @param {string} tag @param {string} text @param {string} [cls] */
function cell(tag, text, cls) {
  const el = document.createElement(tag);
  el.textContent = text;
  if (cls) el.className = cls;
  return el;
}

/** @param {any} s one SessionInfo */
function row(s) {
  const tr = document.createElement('tr');
  tr.dataset['id'] = s.id;
  const link = document.createElement('a');
  link.href = `/ui/term.html?id=${encodeURIComponent(s.id)}`;
  link.textContent = s.id;
  const idCell = document.createElement('td');
  idCell.append(link);
  const state = s.state === 'running' ? 'running'
    : s.signal ? `${s.state} (${s.signal})` : s.exitCode !== null ? `${s.state} (${s.exitCode})` : s.state;
  tr.append(
    idCell,
    cell('td', [s.command, ...s.args].join(' '), 'command'),
    cell('td', `${s.cols}×${s.rows}`),
    cell('td', state, `state ${s.state}`),
    cell('td', String(s.pageCount), 'num'),
    cell('td', age(s.createdAt), 'num'),
    cell('td', s.title, 'title'),
  );
  // The whole row opens the session, not only the id.
  tr.addEventListener('click', (e) => { if (e.target !== link) link.click(); });
  return tr;
}

async function refresh() {
  try {
    const { sessions } = await api('/v1/sessions');
    tbody.replaceChildren(...sessions.map(row));
    empty.hidden = sessions.length > 0;
    status.textContent = `${sessions.length} session${sessions.length === 1 ? '' : 's'}`;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { await ensureAuth(); return; }
    status.textContent = `cannot list sessions: ${err instanceof Error ? err.message : err}`;
  }
}

async function loop() {
  // A hidden tab does not poll; it catches up when shown again.
  if (!document.hidden) await refresh();
  setTimeout(loop, POLL_MS);
}

await ensureAuth();
document.addEventListener('visibilitychange', () => { if (!document.hidden) void refresh(); });
void loop();
