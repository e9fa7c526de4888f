/**
 * Ending the private tmux server of `npm run bench -- service` for certain.
 *
 * After a 1,000-window run, `tmux kill-server` returned and the server was still there with its
 * windows' programs. So the teardown takes the server's process tree from /proc *before* asking
 * (once the server is gone its children are re-parented and no longer found by parent id), asks
 * with kill-server, and then signals whatever is left — SIGTERM, then SIGKILL — and checks that
 * nothing of the tree survives.
 */
import { readdirSync, readFileSync } from 'node:fs';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `root` and all its descendants (parent ids from /proc/PID/stat), root first. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let stat: string;
    try { stat = readFileSync(`/proc/${d}/stat`, 'utf8'); } catch { continue; } // exited meanwhile
    // comm may hold spaces and parentheses: the fields after the last ')' are state, ppid, ...
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(d));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const todo = [root];
  while (todo.length) {
    const p = todo.shift()!;
    out.push(p);
    todo.push(...(children.get(p) ?? []));
  }
  return out;
}

/** Whether `pid` is a live process (a zombie awaiting its reaper counts as ended). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function survivors(pids: readonly number[], waitMs: number): Promise<number[]> {
  const t0 = Date.now();
  for (;;) {
    const left = pids.filter(isAlive);
    if (left.length === 0 || Date.now() - t0 >= waitMs) return left;
    await sleep(100);
  }
}

/**
 * Stop the tmux server `serverPid` and every process under it. `killServer` asks tmux politely
 * (tmux -L SOCK kill-server) and gets `graceMs` to act, as does SIGTERM after it; what is left then gets SIGKILL. Resolves with how it ended;
 * throws naming the pids when something survives SIGKILL.
 */
export async function stopTmuxServer(
  serverPid: number, killServer: () => void, log: (m: string) => void, graceMs = 5000,
): Promise<'kill-server' | 'SIGTERM' | 'SIGKILL'> {
  const tree = serverPid > 0 && isAlive(serverPid) ? processTree(serverPid) : [];
  try { killServer(); } catch { /* no server, or it did not answer: the signals below decide */ }
  let left = await survivors(tree, graceMs);
  if (left.length === 0) return 'kill-server';
  log(`tmux: kill-server left ${left.length} of ${tree.length} processes (server ${serverPid} ${isAlive(serverPid) ? 'alive' : 'gone'}); SIGTERM`);
  const signal = (sig: NodeJS.Signals): void => { for (const p of left) { try { process.kill(p, sig); } catch { /* gone */ } } };
  signal('SIGTERM');
  left = await survivors(left, graceMs);
  if (left.length === 0) return 'SIGTERM';
  log(`tmux: ${left.length} processes ignored SIGTERM; SIGKILL`);
  signal('SIGKILL');
  left = await survivors(left, 3000);
  if (left.length) throw new Error(`tmux teardown: processes ${left.join(', ')} survived SIGKILL`);
  return 'SIGKILL';
}
