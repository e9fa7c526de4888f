/**
 * The line diff shown when a screen differs from its golden: `-` expected, `+` actual, with the
 * screen row each text line is on (a `-` line's row in the golden, the others' on the screen now) (so "row 7" can be found on the screen and in the PNGs) and
 * two lines of context around each change. Attribute lines name their own rows and show none.
 *
 * A longest-common-subsequence table: screens are tens of lines, so its n·m cells are cheap;
 * inputs past MAX_CELLS are compared line by line instead (still exact, only less minimal).
 */

const CONTEXT = 2;
const MAX_CELLS = 4_000_000;

type Op = { kind: ' ' | '-' | '+'; line: string; a: number; b: number };

/** Edit script from `a` to `b` (indexes into each side). */
function diffOps(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length, m = b.length;
  const ops: Op[] = [];
  if (n * m > MAX_CELLS) {
    for (let i = 0; i < Math.max(n, m); i++) {
      if (i < n && i < m && a[i] === b[i]) ops.push({ kind: ' ', line: a[i]!, a: i, b: i });
      else {
        if (i < n) ops.push({ kind: '-', line: a[i]!, a: i, b: -1 });
        if (i < m) ops.push({ kind: '+', line: b[i]!, a: -1, b: i });
      }
    }
    return ops;
  }
  // lcs[i][j]: length of the LCS of a[i..] and b[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { ops.push({ kind: ' ', line: a[i]!, a: i++, b: j++ }); continue; }
    if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) ops.push({ kind: '+', line: b[j]!, a: -1, b: j++ });
    else ops.push({ kind: '-', line: a[i]!, a: i++, b: -1 });
  }
  // Within a change, show all removed lines before the added ones (as unified diffs do).
  const sorted: Op[] = [];
  for (let k = 0; k < ops.length;) {
    if (ops[k]!.kind === ' ') { sorted.push(ops[k++]!); continue; }
    const start = k;
    while (k < ops.length && ops[k]!.kind !== ' ') k++;
    const block = ops.slice(start, k);
    sorted.push(...block.filter((o) => o.kind === '-'), ...block.filter((o) => o.kind === '+'));
  }
  return sorted;
}

export interface LineDiffOptions {
  /** Lines before this index are screen rows, labelled `row N` (from 1); default: all of them. */
  textLinesA?: number;
  textLinesB?: number;
}

/** True when the two files' lines differ at all. */
export function linesDiffer(a: readonly string[], b: readonly string[]): boolean {
  return a.length !== b.length || a.some((l, i) => l !== b[i]);
}

/**
 * The readable diff of `expected` → `actual`, or '' when equal:
 *
 *       row 2 | $ ls
 *     - row 3 | a.txt
 *     + row 3 | a.txt  b.txt
 */
export function formatLineDiff(expected: readonly string[], actual: readonly string[], opts: LineDiffOptions = {}): string {
  if (!linesDiffer(expected, actual)) return '';
  const ops = diffOps(expected, actual);
  const rowsA = opts.textLinesA ?? expected.length, rowsB = opts.textLinesB ?? actual.length;
  const width = String(Math.max(rowsA, rowsB)).length;
  const label = (o: Op): string => {
    // '-' lines are the golden's rows; '+' and context lines the screen's as it is now.
    const idx = o.kind === '-' ? o.a : o.b;
    const isRow = o.kind === '-' ? idx < rowsA : idx < rowsB;
    return isRow ? `row ${String(idx + 1).padStart(width)} | ` : `${' '.repeat(width + 4)} | `;
  };
  const show = new Array<boolean>(ops.length).fill(false);
  ops.forEach((o, k) => {
    if (o.kind === ' ') return;
    for (let c = Math.max(0, k - CONTEXT); c <= Math.min(ops.length - 1, k + CONTEXT); c++) show[c] = true;
  });
  const out: string[] = [];
  let gap = false;
  ops.forEach((o, k) => {
    if (!show[k]) { gap = true; return; }
    if (gap) out.push('  ...');
    gap = false;
    out.push(`${o.kind} ${label(o)}${o.line}`);
  });
  if (gap) out.push('  ...');
  return out.join('\n');
}
