/**
 * The parent's side of bench/throughput-child.ts: one long-lived process per engine, asked
 * for one timed run at a time over stdin/stdout lines.
 *
 * Both processes are pinned to the same CPU when `taskset` exists: on these shared VMs the
 * two vCPUs do not run at the same speed at the same moment (a fixed integer loop measured
 * 25 ms on one and 45 ms on the other), so the two runs of a pair must share one.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface ChildReply {
  ready?: boolean;
  sample?: number;
  screen?: string[];
  /** ms of the fixed calibration loop just before and just after the run. */
  calibration?: [number, number];
  error?: string;
}

/** The CPU the throughput children share, or null when taskset is not installed. */
export const PINNED_CPU: number | null =
  spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0 ? availableParallelism() - 1 : null;

export class EngineProcess {
  private readonly child: ChildProcess;
  private readonly lines: Interface;
  private readonly waiting: ((r: ChildReply) => void)[] = [];
  private readonly unclaimed: ChildReply[] = [];
  private stderr = '';

  constructor(args: object) {
    const script = fileURLToPath(new URL('./throughput-child.js', import.meta.url));
    const node = [process.execPath, '--expose-gc', script, JSON.stringify(args)];
    const [cmd, ...rest] = PINNED_CPU === null ? node : ['taskset', '-c', String(PINNED_CPU), ...node];
    this.child = spawn(cmd as string, rest, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr?.on('data', (d: Buffer) => { this.stderr = (this.stderr + d.toString()).slice(-2000); });
    this.lines = createInterface({ input: this.child.stdout! });
    this.lines.on('line', (line) => {
      let msg: ChildReply;
      try { msg = JSON.parse(line) as ChildReply; } catch { return; } // stray output
      // A reply nobody waits for yet (a fast engine ready before the parent asks) is kept.
      const w = this.waiting.shift();
      if (w) w(msg); else this.unclaimed.push(msg);
    });
    // A child that dies answers everything still waiting with why.
    this.child.on('close', (code) => {
      const why = `child exited (${code}): ${this.stderr.trim().split('\n')[0] ?? ''}`;
      for (const w of this.waiting.splice(0)) w({ error: why });
      this.unclaimed.push({ error: why });
    });
  }

  private next(): Promise<ChildReply> {
    const kept = this.unclaimed.shift();
    if (kept) return Promise.resolve(kept);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Resolves once the corpus is built and the warm-up runs are done. */
  ready(): Promise<ChildReply> {
    return this.next();
  }

  run(): Promise<ChildReply> {
    const reply = this.next();
    this.child.stdin?.write('run\n');
    return reply;
  }

  close(): void {
    this.child.stdin?.end('quit\n');
  }
}
