/**
 * Hostile requests bench (`npm run bench -- hostile [--only NAME] [--baseline DIR] [--write]`):
 * what one hostile request does to everyone else. Each attack is sent to a real server process
 * (test/helpers/server-process.ts, `node bin/termpool.js serve`) while a bystander polls the
 * screen of another session (a live bash) one request at a time; reported: the attack's status
 * and error code, how long it took, the bystander's request count and p50/p99/max latency over
 * the attack, and the server's peak RSS (sampled every 50 ms; worker threads included).
 *
 * Each attack runs against several servers ("variants"): this build with its defaults, this
 * build with the attack's own defence switched off where a setting can (e.g. the render pool:
 * TERMPOOL_RENDER_CONCURRENCY=0), and with `--baseline DIR` an older build (a checkout built
 * with `npx tsc -p tsconfig.json`: `git archive <commit> | tar -x -C DIR`, node_modules linked).
 *
 * Table-driven: an attack is an entry of ATTACKS (name, what it sends, how to switch its
 * defence off, how to send it). Owns the measurement and its BENCHMARKS.md section.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repFlood, resizeCast } from '../test/helpers/hostile-renders.js';
import { catastrophicSearches, resizeBurst, waitsOnTicker } from '../test/helpers/hostile-fair.js';
import { bigSession, nonReadingSnapshots } from '../test/helpers/hostile-snapshots.js';
import { spawnServer, type ServerProcess } from '../test/helpers/server-process.js';
import { environmentLines, writeBenchSection } from './capacity.js';

export interface AttackResult {
  status: number;
  /** The `error` of a JSON error body, if any. */
  code?: string;
}

export interface Attack {
  name: string;
  /** What is sent, for the table. */
  sends: string;
  /** Server settings for every variant (limits the attack needs, e.g. a larger body). */
  env?: Record<string, string>;
  /** Server settings that switch this attack's defence off, if a setting can. */
  defenceOff?: { label: string; env: Record<string, string> };
  run(srv: ServerProcess): Promise<AttackResult>;
}

async function post(srv: ServerProcess, pathAndQuery: string, type: string, body: string | Uint8Array): Promise<AttackResult> {
  const r = await fetch(srv.url + pathAndQuery, { method: 'POST', headers: { 'content-type': type }, body });
  const text = await r.text();
  let code: string | undefined;
  try { code = (JSON.parse(text) as { error?: string }).error; } catch { /* not JSON */ }
  return { status: r.status, ...(code !== undefined && { code }) };
}

const RESIZE_CAST = resizeCast({ resizes: 4000 });
const REP_FLOOD = repFlood(4000, 100_000);

/** The attacks; later rows (other routes, other budgets) are added here. */
export const ATTACKS: Attack[] = [
  {
    name: 'render: 4,000 resizes',
    sends: `POST /v1/render, a ${Math.round(RESIZE_CAST.length / 1024)} KB asciicast at 500x200: 1,200 lines, then 4,000 resizes between 500 and 250 columns`,
    defenceOff: { label: 'pool off', env: { TERMPOOL_RENDER_CONCURRENCY: '0' } },
    run: (srv) => post(srv, '/v1/render?format=text', 'application/x-asciicast', RESIZE_CAST),
  },
  {
    name: 'render: REP flood',
    sends: `POST /v1/render, ${Math.round(REP_FLOOD.length / 1024)} KB of raw \`x ESC[100000b\` x 4,000 at 500x200`,
    defenceOff: { label: 'pool off', env: { TERMPOOL_RENDER_CONCURRENCY: '0' } },
    run: (srv) => post(srv, '/v1/render?cols=500&rows=200&format=text', 'application/octet-stream', REP_FLOOD),
  },
  {
    name: 'screen: 6 clients that do not read a 174 MB JSON',
    sends: 'a 500x200 session is filled with 10,200 lines of base64 (about 1 s of output, inside the window), then 6 connections send `GET /v1/sessions/{id}/screen?format=json&scrollback=1000000` and read nothing for 10 s, then one client reads the whole answer',
    run: async (srv) => {
      const id = await bigSession(srv, 10_200);
      const r = await nonReadingSnapshots(srv, id, 6, 10_000);
      return { status: r.status };
    },
  },
  {
    name: 'wait: 2,000 on a session printing every 10 ms',
    sends: 'a session prints a line every 10 ms; 2,000 `POST /v1/sessions/{id}/wait` (half `{"text": "NEVER"}`, half `{"regex": "^NEVER [0-9]+$"}`, `timeoutMs` 5,000) in batches of 100 connections 100 ms apart (session setup included in the time)',
    defenceOff: { label: 'wait caps off', env: { TERMPOOL_MAX_WAITS_PER_SESSION: '100000', TERMPOOL_MAX_WAITS: '1000000' } },
    run: (srv) => waitsOnTicker(srv, 2000, 5000),
  },
  {
    name: 'regex: 40 catastrophic searches at once',
    sends: 'a session shows 50 lines of 40 a\'s and a `!`; 40 `GET /v1/sessions/{id}/scrollback?regex=(a+)+$` sent together on 40 open connections',
    defenceOff: { label: 'regex budget off', env: { TERMPOOL_REGEX_SEARCHES: '10000', TERMPOOL_REGEX_SLICE_MS: '10000' } },
    run: (srv) => catastrophicSearches(srv, 40),
  },
  {
    name: 'resize: 20 at once of a 500x200 session with 10,000 styled lines',
    sends: 'a 500x200 session prints 10,000 lines of 300 columns in 8 colours (3 MB; its setup is included in the time), then 20 concurrent `POST /v1/sessions/{id}/resize` between about 250 and 500 columns',
    run: (srv) => resizeBurst(srv, 20),
  },
];

export interface Variant {
  label: string;
  env: Record<string, string>;
  bin?: string;
}

export interface HostileRow {
  attack: string;
  variant: string;
  result: AttackResult | { error: string };
  attackMs: number;
  bystander: { requests: number; failed: number; p50: number; p99: number; max: number };
  rssPeakMb: number;
  rssStartMb: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** One attack against one fresh server, with a bystander polling a bash session's screen. */
export async function runAttack(attack: Attack, variant: Variant, log: (m: string) => void): Promise<HostileRow> {
  const srv = await spawnServer({ TERMPOOL_LOG_LEVEL: 'warn', ...attack.env, ...variant.env }, variant.bin !== undefined ? { bin: variant.bin } : {});
  try {
    const created = await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['--norc', '--noprofile'], env: { PS1: '$ ' } });
    if (created.status !== 201) throw new Error(`bystander session: ${created.status} ${JSON.stringify(created.body)}`);
    const id = (created.body as { id: string }).id;
    await srv.api('POST', `/v1/sessions/${id}/wait`, { text: '$', timeoutMs: 10_000 });
    // Warm the screen route (first-request costs are not the attack's).
    for (let i = 0; i < 20; i++) await (await fetch(`${srv.url}/v1/sessions/${id}/screen?format=text`)).arrayBuffer();

    const rssStart = srv.rss();
    let rssPeak = rssStart;
    const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, srv.rss()); }, 50);
    let attacking = true;
    const latencies: number[] = [];
    let failed = 0;
    const poll = (async () => {
      while (attacking) {
        const t0 = performance.now();
        try {
          const r = await fetch(`${srv.url}/v1/sessions/${id}/screen?format=text`);
          await r.arrayBuffer();
          if (r.status !== 200) failed++;
        } catch {
          failed++;
        }
        latencies.push(performance.now() - t0);
      }
    })();
    log(`hostile: ${attack.name} against ${variant.label}`);
    const t0 = performance.now();
    let result: HostileRow['result'];
    try {
      result = await attack.run(srv);
    } catch (err) {
      result = { error: err instanceof Error ? err.message : String(err) };
    }
    const attackMs = performance.now() - t0;
    attacking = false;
    await poll;
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, srv.rss());
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      attack: attack.name,
      variant: variant.label,
      result,
      attackMs,
      bystander: { requests: latencies.length, failed, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted[sorted.length - 1] ?? NaN },
      rssPeakMb: rssPeak / 2 ** 20,
      rssStartMb: rssStart / 2 ** 20,
    };
  } finally {
    await srv.stop('SIGKILL');
  }
}

const ms = (v: number): string => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : 'n/a');

export function formatHostile(rows: HostileRow[], attacks: Attack[]): string {
  const lines = [
    '| attack | server | answer | attack took ms | bystander requests (failed) | bystander p50 ms | p99 ms | max ms | server RSS MB (start → peak) |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const answer = 'error' in r.result ? `failed: ${r.result.error}` : `${r.result.status}${r.result.code ? ` ${r.result.code}` : ''}`;
    const b = r.bystander;
    lines.push(`| ${r.attack} | ${r.variant} | ${answer} | ${ms(r.attackMs)} | ${b.requests} (${b.failed}) | ${ms(b.p50)} | ${ms(b.p99)} | **${ms(b.max)}** | ${r.rssStartMb.toFixed(0)} → ${r.rssPeakMb.toFixed(0)} |`);
  }
  const sends = attacks.map((a) => `- **${a.name}**: ${a.sends}.`);
  return [
    'Each attack is one request to a fresh server process (`node bin/termpool.js serve`, default settings unless a row says otherwise) while a bystander polls `GET /v1/sessions/{id}/screen?format=text` of a live bash session, one request at a time, for as long as the attack is in flight. "max" is the longest the bystander waited for one screen: with the attack on the main thread, the whole server stops for that long.',
    '',
    ...sends,
    '',
    ...lines,
  ].join('\n');
}

/** The commit a baseline checkout was made from, if it says (a `.commit` file written beside it). */
function baselineLabel(dir: string): string {
  try {
    return `baseline ${readFileSync(path.join(dir, '.commit'), 'utf8').trim().slice(0, 7)}`;
  } catch {
    return `baseline ${path.basename(dir)}`;
  }
}

/** `npm run bench -- hostile ...` (run.ts hands over argv after the sub-command). */
export async function hostileMain(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { only: { type: 'string', multiple: true }, baseline: { type: 'string' }, write: { type: 'boolean' }, quiet: { type: 'boolean' } },
  });
  const log = values.quiet ? () => {} : (m: string) => process.stderr.write(m + '\n');
  const attacks = values.only ? ATTACKS.filter((a) => values.only!.some((o) => a.name.includes(o))) : ATTACKS;
  if (attacks.length === 0) throw new Error(`no attack matches ${values.only!.join(', ')}; attacks: ${ATTACKS.map((a) => a.name).join('; ')}`);
  const rows: HostileRow[] = [];
  for (const attack of attacks) {
    const variants: Variant[] = [];
    if (values.baseline) variants.push({ label: baselineLabel(values.baseline), env: {}, bin: path.resolve(values.baseline, 'bin/termpool.js') });
    if (attack.defenceOff) variants.push({ label: `this build, ${attack.defenceOff.label}`, env: attack.defenceOff.env });
    variants.push({ label: 'this build', env: {} });
    for (const v of variants) rows.push(await runAttack(attack, v, log));
  }
  const title = '## Hostile requests';
  const body = `${environmentLines('hostile', argv)}\n\n${formatHostile(rows, attacks)}`;
  process.stdout.write(`${title}\n\n${body}\n\n`);
  if (values.write) writeBenchSection('hostile', title, body);
}
