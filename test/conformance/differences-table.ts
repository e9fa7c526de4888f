/**
 * Prints the table of docs/conformance.md's "Oracles and intentional differences" for the
 * differential allow-list: each entry with termpool's result and the oracle's, computed now by
 * running the case in both (the reasons come from test/engine/differential-allowed.ts). Run after
 * changing the allow-list and paste the output over the table:
 *
 *   npx tsc -p tsconfig.json && node dist/test/conformance/differences-table.js
 *
 * conformance-doc.test.ts checks that the document lists exactly the allow-listed entries.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ALLOWED } from '../engine/differential-allowed.js';
import { CASES } from '../engine/differential-corpus.js';
import { differs, renderOracle, renderOurs } from '../engine/differential-render.js';
import { ALLOWED_SCREENS } from './vttest-screens.js';

// From test/conformance/ (vitest) or dist/test/conformance/ (node).
const RECORDINGS = [new URL('../fixtures/recordings/', import.meta.url), new URL('../../../test/fixtures/recordings/', import.meta.url)]
  .map((u) => fileURLToPath(u)).find((p) => existsSync(p))!;

function cell(s: string, max = 160): string {
  const one = s.replace(/\n/g, '; ').replace(/\|/g, '\\|');
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}

async function inputOf(name: string): Promise<{ bytes: Uint8Array; cols: number; rows: number; offset: number }> {
  if (name.includes('@')) {
    const [rec, label] = name.split('@') as [string, string];
    const meta = JSON.parse(readFileSync(`${RECORDINGS}${rec}.json`, 'utf8')) as { cols: number; rows: number; checkpoints?: { label: string; offset: number }[] };
    const bytes = new Uint8Array(readFileSync(`${RECORDINGS}${rec}.vt`));
    const offset = label === 'final' ? bytes.length : meta.checkpoints!.find((c) => c.label === label)!.offset;
    return { bytes, cols: meta.cols, rows: meta.rows, offset };
  }
  const c = CASES.find((k) => k.name === name)!;
  const bytes = new TextEncoder().encode(c.bytes);
  return { bytes, cols: c.cols ?? 80, rows: c.rows ?? 25, offset: bytes.length };
}

export async function differentialTable(): Promise<string> {
  const rows = ['| oracle | case | aspect | termpool vs the oracle | why |', '|---|---|---|---|---|'];
  for (const a of ALLOWED) {
    const { bytes, cols, rows: r, offset } = await inputOf(a.case);
    const [ours] = renderOurs(bytes.subarray(0, offset), cols, r, [offset]);
    const [theirs] = await renderOracle(a.oracle, bytes.subarray(0, offset), cols, r, [offset]);
    const diff = differs(a.aspect, ours!, theirs!, a.oracle) ?? '(no longer differs)';
    rows.push(`| ${a.oracle} | \`${a.case}\` | ${a.aspect} | ${cell(diff)} | ${cell(a.reason, 400)} |`);
  }
  for (const a of ALLOWED_SCREENS) {
    rows.push(`| tmux | \`vttest ${a.screen}\` | text | ${cell(a.result)} | ${cell(a.reason, 400)} |`);
  }
  return rows.join('\n');
}


/**
 * What the allow-list misses and what in it no longer differs, against the engine as it is now:
 * `node dist/test/conformance/differences-table.js --check`. For whoever lands an issue-26 feature.
 */
export async function allowListDrift(): Promise<string[]> {
  const { ASPECTS, ORACLES } = await import('../engine/differential-render.js');
  const out: string[] = [];
  const names = CASES.map((c) => c.name);
  for (const name of names) {
    const { bytes, cols, rows, offset } = await inputOf(name);
    const [ours] = renderOurs(bytes, cols, rows, [offset]);
    for (const oracle of ORACLES) {
      const [theirs] = await renderOracle(oracle, bytes, cols, rows, [offset]);
      for (const aspect of ASPECTS) {
        const diff = differs(aspect, ours!, theirs!, oracle);
        const listed = ALLOWED.some((a) => a.oracle === oracle && a.case === name && a.aspect === aspect);
        if (diff !== null && !listed) out.push(`missing: ${oracle} ${name} ${aspect}: ${cell(diff)}`);
        if (diff === null && listed) out.push(`stale: ${oracle} ${name} ${aspect}`);
      }
    }
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const job = process.argv.includes('--check')
    ? allowListDrift().then((lines) => lines.join('\n'))
    : differentialTable();
  job.then((t) => process.stdout.write(t + '\n'), (e) => { console.error(e); process.exit(1); });
}
