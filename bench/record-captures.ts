/**
 * record-captures — records the committed corpus of real pty captures (bench/captures/) that
 * `npm run bench -- throughput` measures beside its generated corpora (issue 27).
 *
 * Run by hand, never in CI (needs git, gcc, vim, htop, pv, curl, unshare):
 *
 *   npx tsc -p tsconfig.json && node dist/bench/record-captures.js [name ...]
 *
 * Each capture is a real program under node-pty at 80x24, its output fed to a live
 * @xterm/headless whose replies (DA, CPR, ...) go back to the pty as a terminal's would. Every
 * byte the program wrote is kept, gzip'd to `<name>.vt.gz`; manifest.json gets the sha256 and
 * length of the raw bytes. Neutral environment: HOME and cwd under /tmp/termpool-cap, USER rec,
 * no rc files, PS1 '$ ', TZ=UTC. Before anything is written, every capture is searched for the
 * host name, the package mirrors' hosts and home-directory paths (capture-files.ts), and the
 * recorder refuses to write one that has any.
 */
import { spawn, type IPty } from 'node-pty';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createXterm } from '../test/helpers/xterm-oracle.js';
import { CAPTURE_DIR, MANIFEST_FILE, privacyFindings, readManifest, sha256, type CaptureEntry, type CaptureManifest } from './capture-files.js';

const COLS = 80;
const ROWS = 24;
const SCRATCH = '/tmp/termpool-cap';
const WORK = path.join(SCRATCH, 'work');
const HOME = path.join(SCRATCH, 'home');
const REPO = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../' : '../', import.meta.url));

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function env(): Record<string, string> {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin', HOME, USER: 'rec', LOGNAME: 'rec', SHELL: '/bin/bash',
    TERM: 'xterm-256color', COLORTERM: 'truecolor', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TZ: 'UTC', PS1: '$ ',
    HISTFILE: '/dev/null', LESSHISTFILE: '-', INPUTRC: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_PAGER: 'cat',
  };
}

/** One program under a pty; output kept as it came, replies answered by a headless xterm. */
class Session {
  readonly chunks: Buffer[] = [];
  size = 0;
  lastOutput = Date.now();
  exited = false;
  private readonly pty: IPty;

  constructor(script: string, cwd: string, readonly cap: number) {
    const term = createXterm(COLS, ROWS, 100);
    // NOTE: node-pty drops output still buffered when the child exits, so the shell lingers.
    this.pty = spawn('/bin/bash', ['--norc', '--noprofile', '-c', `${script}; sleep 0.5`], { name: 'xterm-256color', cols: COLS, rows: ROWS, cwd, env: env(), encoding: null } as Parameters<typeof spawn>[2]);
    (this.pty.onData as unknown as (cb: (d: Buffer) => void) => void)((d) => {
      if (this.size >= this.cap) return;
      const keep = d.subarray(0, this.cap - this.size);
      this.chunks.push(Buffer.from(keep));
      this.size += keep.length;
      this.lastOutput = Date.now();
      term.write(keep);
      if (this.size >= this.cap) this.kill();
    });
    term.onData((reply) => { if (!this.exited) this.pty.write(reply); });
    this.pty.onExit(() => { this.exited = true; term.dispose(); });
  }

  send(keys: string): void { if (!this.exited) this.pty.write(keys); }

  /** Until no output for `ms` (at most `max`). */
  async quiet(ms: number, max = 10_000): Promise<void> {
    const t0 = Date.now();
    while (Date.now() - this.lastOutput < ms && Date.now() - t0 < max) await sleep(5);
  }

  async exit(timeout: number): Promise<void> {
    const t0 = Date.now();
    while (!this.exited && Date.now() - t0 < timeout) await sleep(20);
    if (!this.exited) throw new Error(`program still running after ${timeout} ms`);
  }

  kill(): void { try { process.kill(-this.pty.pid, 'SIGKILL'); } catch { try { this.pty.kill('SIGKILL'); } catch { /* gone */ } } }

  bytes(): Uint8Array { return new Uint8Array(Buffer.concat(this.chunks)); }
}

interface Capture {
  name: string;
  description: string;
  /** The command as the manifest states it. */
  command: string;
  script: string;
  cwd: string;
  cap: number;
  setup?: () => void;
  drive: (s: Session) => Promise<void>;
}

const MiB = 1024 * 1024;
const head = (): string => execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();

/** Broken C in the ways people break it: the compiler's coloured diagnostics with carets and fix-it hints. */
function writeBrokenC(): void {
  mkdirSync(WORK, { recursive: true });
  writeFileSync(path.join(WORK, 'parse.c'), `#include <stdio.h>
#include <string.h>

struct token { int kind; const char *text; size_t len; };

static int next_token(const char *s, struct token *t) {
    int i = 0
    while (s[i] == ' ') i++;
    t->kind = s[i];
    t->text = s + i;
    t->len = strlen(s + i)
    return i;
}

int parse(const char *line) {
    struct token tok;
    int n = next_token(line, &tok, 0);
    if (tok.kind = '#') return 0;
    printf("%d %s\\n", tok.len, tok.kind);
    return undefined_count + n;
}
`);
  writeFileSync(path.join(WORK, 'pool.c'), `#include <stdlib.h>

typedef struct page { struct page *next; unsigned char *cells; int rows; } page_t;

page_t *page_new(int rows) {
    page_t *p = malloc(sizeof *p);
    p->cells = calloc(rows, 80 * 16);
    p->rows = rows;
    return p
}

void page_free(page_t *p) {
    free(p->cells);
    free(p);
    return p;
}

int pool_size(page_t *head) {
    int n;
    for (page_t *p = head; p; p = p->nxt) n++;
    return n;
}

unsigned char *cell_at(page_t *p, int row, int col) {
    if (row >= p->rows) return -1;
    return &p->cells[(row * 80 + col) * 16];
}
`);
  // A larger file: the same mistakes spread over many functions, as a refactor half done leaves them.
  const fns: string[] = ['#include <stdint.h>', '#include <stdio.h>', '', 'struct cell { uint32_t cp; uint16_t style; uint8_t width; };', ''];
  for (let i = 0; i < 120; i++) {
    const k = i % 6;
    fns.push(`int row_${i}(struct cell *row, int cols) {`);
    if (k === 0) fns.push(`    int sum = 0;`, `    for (int c = 0; c < cols; c++) sum += row[c].cp`, `    return sum;`);
    else if (k === 1) fns.push(`    unsigned w = 0;`, `    for (int c = 0; c < cols; c++) w += row[c].widht;`, `    return w;`);
    else if (k === 2) fns.push(`    char *s = row;`, `    printf("%s %d\\n", cols, s);`, `    return 0;`);
    else if (k === 3) fns.push(`    int unused_${i};`, `    if (cols = 0) return -1;`, `    return row_${i - 1}(row, cols, 1);`);
    else if (k === 4) fns.push(`    struct cell c = row[0];`, `    return c.style + missing_${i};`);
    else fns.push(`    long total = 0;`, `    for (int c = 0; c <= cols; c++) total += (row + c)->style << 40;`);
    fns.push('}', '');
  }
  writeFileSync(path.join(WORK, 'rows.c'), fns.join('\n'));
}

/** A file to page through in vim: the engine's parser and stream sources, as TypeScript. */
function writeVimFile(): void {
  mkdirSync(WORK, { recursive: true });
  const files = ['src/engine/parser/parser.ts', 'src/engine/parser/table.ts', 'src/engine/parser/utf8.ts'];
  writeFileSync(path.join(WORK, 'parser.ts'), files.map((f) => readFileSync(path.join(REPO, f), 'utf8')).join('\n'));
}

const CAPTURES: Capture[] = [
  {
    name: 'git-log',
    description: '`git log -p --color` of this repository (coloured diffs of TypeScript and Markdown, commit headers)',
    get command() { return `git --no-pager log -p --color=always ${head()} -- . ':(exclude)package-lock.json' (first 6 MiB, in the repository)`; },
    get script() { return `git --no-pager log -p --color=always ${head()} -- . ':(exclude)package-lock.json'`; },
    cwd: REPO, cap: 6 * MiB,
    drive: (s) => s.exit(300_000),
  },
  {
    name: 'gcc',
    description: 'gcc -fdiagnostics-color=always on three broken C files (errors, warnings, carets, fix-it hints), run 4 times',
    command: 'for i in 1 2 3 4; do gcc -fdiagnostics-color=always -Wall -Wextra -fmax-errors=0 -fsyntax-only parse.c pool.c rows.c; done',
    script: 'for i in 1 2 3 4; do gcc -fdiagnostics-color=always -Wall -Wextra -fmax-errors=0 -fsyntax-only parse.c pool.c rows.c; done',
    cwd: WORK, cap: 4 * MiB, setup: writeBrokenC,
    drive: (s) => s.exit(120_000),
  },
  {
    name: 'vim',
    description: 'vim paging a 790-line TypeScript file (the engine parser) with syntax colours: Ctrl-F to the end, Ctrl-B back, then half-pages with Ctrl-D, :q',
    command: "vim -N -u NONE -i NONE -n -c 'filetype on' -c 'syntax on' -c 'set number' parser.ts; keys: Ctrl-F x60, Ctrl-B x60, Ctrl-D x80, :q!",
    script: "vim -N -u NONE -i NONE -n -c 'filetype on' -c 'syntax on' -c 'set number' parser.ts",
    cwd: WORK, cap: 4 * MiB, setup: writeVimFile,
    async drive(s) {
      await s.quiet(500);
      for (const [key, n] of [['\x06', 60], ['\x02', 60], ['\x04', 80]] as const) {
        for (let i = 0; i < n; i++) { s.send(key); await sleep(15); await s.quiet(25, 1000); }
      }
      s.send('\x1b:q!\r');
      await s.exit(10_000);
    },
  },
  {
    name: 'htop',
    description: 'htop for 24 s at a 0.1 s delay in its own PID namespace (only its own processes listed: a busy `yes`, two sleeps): sorted by memory, tree view, back',
    command: "unshare --pid --fork --mount-proc bash -c 'yes > /dev/null & sleep 600 & sleep 601 & htop -d 1'; keys: M after 8 s, t after 16 s, q after 24 s",
    script: "unshare --pid --fork --mount-proc bash -c 'yes > /dev/null & sleep 600 & sleep 601 & htop -d 1; kill 0'",
    cwd: WORK, cap: 4 * MiB,
    async drive(s) {
      for (const key of ['M', 't', 'q']) { await sleep(8_000); s.send(key); }
      await s.exit(10_000);
    },
  },
  {
    name: 'ls',
    description: '`ls -laR --color=always /usr` (long listings, coloured names by type)',
    command: 'ls -laR --color=always /usr (first 6 MiB)',
    script: 'ls -laR --color=always /usr',
    cwd: WORK, cap: 6 * MiB,
    drive: (s) => s.exit(300_000),
  },
  {
    name: 'progress',
    description: 'progress bars of pv (rate-limited copies, a two-stage pipeline in cursor mode) and curl -# on a local file',
    command: 'pv -f -pterab -i 0.05 -L 40m -s 160m -S /dev/zero > /dev/null; pv -f -c -N read -i 0.05 -s 120m -S /dev/zero | pv -f -c -N write -i 0.05 -L 30m -s 120m > /dev/null; curl -# --limit-rate 20M -o /dev/null file://$PWD/blob (80 MiB); pv -f -n -i 0.1 -L 30m blob > /dev/null',
    script: 'pv -f -pterab -i 0.05 -L 40m -s 160m -S /dev/zero > /dev/null; pv -f -c -N read -i 0.05 -s 120m -S /dev/zero | pv -f -c -N write -i 0.05 -L 30m -s 120m > /dev/null; curl -# --limit-rate 20M -o /dev/null "file://$PWD/blob"; pv -f -n -i 0.1 -L 30m blob > /dev/null',
    cwd: WORK, cap: 4 * MiB,
    setup: () => { mkdirSync(WORK, { recursive: true }); execFileSync('bash', ['-c', `head -c ${80 * MiB} /dev/zero > blob`], { cwd: WORK }); },
    drive: (s) => s.exit(120_000),
  },
  {
    name: 'grep',
    description: '`grep -rn --color=always` for keywords across the repository\'s TypeScript sources (file names, line numbers, highlighted matches)',
    command: "grep -rn --color=always --include='*.ts' -E '\\b(const|return|export|await)\\b' src test bench (in the repository; first 3 MiB)",
    script: "grep -rn --color=always --include='*.ts' -E '\\b(const|return|export|await)\\b' src test bench",
    cwd: REPO, cap: 3 * MiB,
    drive: (s) => s.exit(120_000),
  },
];

function versions(): string[] {
  const v = (cmd: string, args: string[]): string => {
    try { return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0]!.replace(/ - Copyright.*$/, '').trim(); } catch { return `${cmd}: not installed`; }
  };
  return [v('git', ['--version']), v('gcc', ['--version']), v('vim', ['--version']), v('htop', ['--version']), v('pv', ['--version']), v('curl', ['--version']).split(' ').slice(0, 2).join(' '), v('ls', ['--version']), v('grep', ['--version'])];
}

async function recordOne(c: Capture): Promise<{ entry: CaptureEntry; raw: Uint8Array }> {
  c.setup?.();
  const s = new Session(c.script, c.cwd, c.cap);
  try { await c.drive(s); } catch (err) { if (s.size < c.cap) throw err; }
  finally { s.kill(); }
  const raw = s.bytes();
  const findings = privacyFindings(raw);
  if (findings.length) throw new Error(`${c.name}: refusing to write a capture holding ${findings.join(', ')}`);
  const gz = gzipSync(raw, { level: 9 });
  writeFileSync(path.join(CAPTURE_DIR, `${c.name}.vt.gz`), gz);
  process.stderr.write(`${c.name}: ${raw.length} bytes, ${gz.length} gzip'd\n`);
  return { entry: { name: c.name, description: c.description, command: c.command, bytes: raw.length, sha256: sha256(raw), gzipBytes: gz.length }, raw };
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  for (const n of only) if (!CAPTURES.some((c) => c.name === n)) throw new Error(`unknown capture '${n}': ${CAPTURES.map((c) => c.name).join(', ')}`);
  rmSync(SCRATCH, { recursive: true, force: true });
  mkdirSync(HOME, { recursive: true });
  mkdirSync(WORK, { recursive: true });
  mkdirSync(CAPTURE_DIR, { recursive: true });
  const old: CaptureManifest | null = existsSync(path.join(CAPTURE_DIR, MANIFEST_FILE)) ? readManifest() : null;
  const entries = new Map((old?.captures ?? []).map((e) => [e.name, e] as const));
  for (const c of CAPTURES) {
    if (only.length && !only.includes(c.name)) continue;
    entries.set(c.name, (await recordOne(c)).entry);
  }
  const manifest: CaptureManifest = {
    cols: COLS, rows: ROWS, recorded: new Date().toISOString().slice(0, 10),
    notes: [
      'Recorded by bench/record-captures.ts under node-pty at 80x24 on Debian 12 (x86_64); a headless xterm answered the programs\' terminal queries.',
      'Environment: HOME and cwd under a scratch directory, USER rec, TERM xterm-256color, LANG C.UTF-8, TZ UTC, no rc files.',
      `Tools: ${versions().join('; ')}.`,
      'sha256 and bytes are of the raw (uncompressed) bytes the program wrote to the pty; the bench refuses a capture that does not match.',
    ],
    captures: CAPTURES.map((c) => entries.get(c.name)).filter((e): e is CaptureEntry => e !== undefined),
  };
  writeFileSync(path.join(CAPTURE_DIR, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  const total = manifest.captures.reduce((a, e) => a + e.gzipBytes, 0);
  process.stderr.write(`manifest: ${manifest.captures.length} captures, ${(total / MiB).toFixed(2)} MiB gzip'd\n`);
  rmSync(SCRATCH, { recursive: true, force: true });
}

main().catch((err: unknown) => { process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`); process.exitCode = 1; });
