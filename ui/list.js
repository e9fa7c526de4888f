// @ts-check
/**
 * The session list (GET /): polls GET /v1/sessions once a second and redraws the table; a row
 * opens that session's view. Polling, not a server-sent stream: EventSource cannot send an
 * Authorization header, and one small authorised GET a second needs no new route.
 *
 * Behind a cluster (TERMPOOL_PEERS) the list is every pod's; when a peer did not answer, the
 * reply says `cluster.complete: false` and names it (src/cluster/cluster-list.ts): the page
 * says so above the table until a later poll gets every peer's answer.
 */
import { age, api, ApiError, ensureAuth } from './api.js';

const POLL_MS = 1000;
const tbody = /** @type {HTMLTableSectionElement} */ (document.querySelector('#sessions tbody'));
const empty = /** @type {HTMLElement} */ (document.getElementById('empty'));
const status = /** @type {HTMLElement} */ (document.getElementById('status'));
const partial = /** @type {HTMLElement} */ (document.getElementById('partial'));

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

/**
 * The peers missing from a cluster list ([] when it is whole or there is no cluster).
 * @param {any} cluster the reply's `cluster` (absent without peers)
 * @returns {{ name: string, url: string, error?: string }[]}
 */
const missingPeers = (cluster) => (cluster && cluster.complete === false ? cluster.peers.filter((/** @type {any} */ p) => !p.ok) : []);

/** Shows or clears the "incomplete list" notice. @param {{ name: string, url: string, error?: string }[]} missing */
function showMissing(missing) {
  partial.hidden = missing.length === 0;
  partial.textContent = missing.length === 0 ? ''
    : `Incomplete list: ${missing.length === 1 ? 'peer' : 'peers'} ${missing.map((p) => `${p.name} (${p.url}: ${p.error ?? 'no answer'})`).join(', ')} `
      + `did not answer; ${missing.length === 1 ? 'its' : 'their'} sessions are not shown.`;
}

async function refresh() {
  try {
    const { sessions, cluster } = await api('/v1/sessions');
    tbody.replaceChildren(...sessions.map(row));
    const missing = missingPeers(cluster);
    // "No sessions" would be wrong while a peer's are unknown.
    empty.hidden = sessions.length > 0 || missing.length > 0;
    showMissing(missing);
    status.textContent = `${sessions.length} session${sessions.length === 1 ? '' : 's'}${missing.length > 0 ? ' (incomplete)' : ''}`;
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
