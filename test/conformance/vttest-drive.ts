/**
 * Driving vttest (Debian's `vttest`) step by step, in a termpool session and in a tmux pane, so the
 * vttest test (vttest.test.ts) can compare the two screen by screen.
 *
 * A step is a line typed into vttest (a menu number, or nothing: RETURN). A step is over when
 * vttest has consumed the line and sits blocked reading the terminal again (its read count in
 * /proc/<pid>/io went up and its state is S, waiting in the tty: `wait_woken`), and the output it
 * wrote has been taken in (termpool: a `/wait` with `stableMs`; tmux: two equal captures). No
 * sleeps decide anything: the process's own state does.
 *
 * tmux runs on a private socket under the test's temp dir (`-S`), with no config file (`-f
 * /dev/null`), so nothing is shared with a tmux the user runs and nothing is left behind.
 * `capture-pane -e` marks DEC special graphics cells with SO/SI; they are turned into the Unicode
 * characters xterm draws (as termpool's screen gives them), and SGR sequences are dropped.
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** xterm's DEC Special Graphics for 0x5f..0x7e (VT100 `ESC ( 0`). */
const DEC_SPECIAL = [
  0x00a0, 0x25c6, 0x2592, 0x2409, 0x240c, 0x240d, 0x240a, 0x00b0, 0x00b1, 0x2424, 0x240b,
  0x2518, 0x2510, 0x250c, 0x2514, 0x253c, 0x23ba, 0x23bb, 0x2500, 0x23bc, 0x23bd, 0x251c,
  0x2524, 0x2534, 0x252c, 0x2502, 0x2264, 0x2265, 0x03c0, 0x2260, 0x00a3, 0x00b7,
];

/** One line of `capture-pane -p -e`: SO/SI spans translated, escape sequences dropped, right-trimmed. */
export function decodeCaptureLine(line: string): string {
  let out = '';
  let acs = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\x0e') { acs = true; continue; }
    if (ch === '\x0f') { acs = false; continue; }
    if (ch === '\x1b') {
      // CSI ... final, or a two-byte escape
      if (line[i + 1] === '[') {
        i += 2;
        while (i < line.length && !/[@-~]/.test(line[i]!)) i++;
      } else if (line[i + 1] === ']') {
        const end = line.indexOf('\x1b\\', i);
        i = end < 0 ? line.length : end + 1;
      } else {
        i++;
      }
      continue;
    }
    const cp = ch.codePointAt(0)!;
    out += acs && cp >= 0x5f && cp <= 0x7e ? String.fromCodePoint(DEC_SPECIAL[cp - 0x5f]!) : ch;
  }
  return out.replace(/ +$/, '');
}

interface ProcState { syscr: number; state: string; wchan: string }

function procState(pid: number): ProcState | null {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const wchan = readFileSync(`/proc/${pid}/wchan`, 'utf8');
    return {
      syscr: Number(/syscr:\s*(\d+)/.exec(io)![1]),
      state: stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!,
      wchan,
    };
  } catch {
    return null;
  }
}

/** vttest's read count now (call before typing). */
export function readCount(pid: number): number {
  return procState(pid)?.syscr ?? -1;
}

/**
 * Resolves once `pid` has read since `before` and is blocked in a tty read again. Throws after
 * `timeoutMs` (a generous bound for a loaded machine, never an assertion about speed).
 */
export async function waitReadBlocked(pid: number, before: number, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = procState(pid);
    if (s === null) throw new Error(`vttest (pid ${pid}) is gone`);
    if (s.syscr > before && s.state === 'S' && (s.wchan === 'wait_woken' || s.wchan === 'n_tty_read')) return;
    if (Date.now() > end) throw new Error(`vttest (pid ${pid}) did not come back to reading: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** The process called `name` at or under `root` (tmux may start the command through a shell). */
export function findDescendant(root: number, name: string): number | null {
  const children = new Map<number, number[]>();
  const comm = new Map<number, string>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const open = stat.indexOf('(');
      const close = stat.lastIndexOf(')');
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      comm.set(Number(d), stat.slice(open + 1, close));
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch { /* gone */ }
  }
  const queue = [root];
  while (queue.length) {
    const p = queue.shift()!;
    if (comm.get(p) === name) return p;
    queue.push(...(children.get(p) ?? []));
  }
  return null;
}

/** A tmux server of our own with one 80×24 pane running `command`. */
export class TmuxPane {
  private constructor(private readonly socket: string, readonly cols: number, readonly rows: number) {}

  static async start(socket: string, command: string, cols = 80, rows = 24): Promise<TmuxPane> {
    const pane = new TmuxPane(socket, cols, rows);
    await pane.tmux('new-session', '-d', '-x', String(cols), '-y', String(rows), command);
    return pane;
  }

  async tmux(...args: string[]): Promise<string> {
    const { stdout } = await run('tmux', ['-S', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
    return stdout;
  }

  async panePid(): Promise<number> {
    return Number((await this.tmux('display-message', '-p', '#{pane_pid}')).trim());
  }

  /** Types `text` literally, then RETURN. */
  async typeLine(text: string): Promise<void> {
    // One tmux call (commands joined by ';'): each call is a process start on a loaded machine.
    if (text !== '') await this.tmux('send-keys', '-l', text, ';', 'send-keys', 'Enter');
    else await this.tmux('send-keys', 'Enter');
  }

  /** The visible pane as `rows` right-trimmed lines. */
  async capture(): Promise<string[]> {
    const out = await this.tmux('capture-pane', '-p', '-e');
    const lines = out.replace(/\n$/, '').split('\n').map(decodeCaptureLine);
    while (lines.length < this.rows) lines.push('');
    return lines.slice(0, this.rows);
  }

  /** The pane once two captures in a row agree (the output it was sent has been drawn). */
  async settledCapture(): Promise<string[]> {
    let last = await this.capture();
    for (let i = 0; i < 200; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const now = await this.capture();
      if (now.join('\n') === last.join('\n')) return now;
      last = now;
    }
    return last;
  }

  async kill(): Promise<void> {
    await this.tmux('kill-server').catch(() => {});
  }
}
