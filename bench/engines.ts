/**
 * Engine adapters for the benchmarks: one small interface over termpool's Terminal and
 * @xterm/headless, so throughput.ts and memory.ts time exactly the same feeding loop.
 *
 * termpool is loaded with a dynamic import so the xterm half still runs (and the harness
 * can be checked) while the engine does not build or throws; the failure becomes a note.
 */
import xtermPkg from '@xterm/headless';
import unicodePkg from '@xterm/addon-unicode11';
import type * as EngineModule from '../src/engine/index.js';

// Both packages are CommonJS without an `exports` map: take the classes off the default export.
const { Terminal: XTerminal } = xtermPkg;
const { Unicode11Addon } = unicodePkg;

export interface TermOptions {
  cols: number;
  rows: number;
  scrollback: number;
}

export interface BenchTerminal {
  /** Feed all of `bytes` in `chunk`-sized subarrays; resolves once everything is parsed. */
  writeAll(bytes: Uint8Array, chunk: number): Promise<void>;
  /** Visible screen as right-trimmed lines (used to sanity-check that parsing happened). */
  screenLines(): string[];
  /** Lines currently held in scrollback (memory.ts checks it reached the target). */
  scrollbackLength(): number;
  /** What the service does once a session goes quiet (termpool: compress cold pages); optional. */
  settle?(): void;
  dispose(): void;
}

export type EngineName = 'termpool' | 'xterm' | 'ghostty' | 'bound';

export interface EngineAdapter {
  name: EngineName;
  /** Untimed set-up the next `create` needs (ghostty-web: a WebAssembly instance per terminal). */
  prepare?(opts: TermOptions): Promise<void>;
  create(opts: TermOptions): BenchTerminal;
}

/**
 * The byte-scan bound: a JS loop that only counts newlines in the same chunks. No terminal can
 * parse faster than it reads its input, so a terminal's MB/s over this one's is the fraction of
 * the machine's reachable speed it gets (issue 27: plain >= 40 %).
 */
export const byteScanAdapter: EngineAdapter = {
  name: 'bound',
  create() {
    let newlines = 0;
    return {
      writeAll(bytes, chunk) {
        for (let off = 0; off < bytes.length; off += chunk) {
          const end = Math.min(off + chunk, bytes.length);
          let n = 0;
          for (let i = off; i < end; i++) if (bytes[i] === 0x0a) n++;
          newlines += n;
        }
        return Promise.resolve();
      },
      // The count, so the loop has a result nothing can optimize away.
      screenLines: () => [String(newlines)],
      scrollbackLength: () => 0,
      dispose: () => {},
    };
  },
};

export const xtermAdapter: EngineAdapter = {
  name: 'xterm',
  create(opts) {
    const term = new XTerminal({ cols: opts.cols, rows: opts.rows, scrollback: opts.scrollback, allowProposedApi: true });
    // Unicode 11 widths, so wide chars/emoji take the same cells as in termpool.
    term.loadAddon(new Unicode11Addon());
    term.unicode.activeVersion = '11';
    return {
      writeAll(bytes, chunk) {
        return new Promise<void>((resolve) => {
          if (bytes.length === 0) return resolve();
          for (let off = 0; off < bytes.length; off += chunk) {
            const end = Math.min(off + chunk, bytes.length);
            // xterm queues writes and parses them on timers; the last chunk's callback fires
            // only after everything before it was parsed.
            if (end === bytes.length) term.write(bytes.subarray(off, end), resolve);
            else term.write(bytes.subarray(off, end));
          }
        });
      },
      screenLines() {
        const buf = term.buffer.active;
        const out: string[] = [];
        for (let y = 0; y < term.rows; y++) out.push((buf.getLine(buf.viewportY + y)?.translateToString(true) ?? "").replace(/ +$/, ""));
        return out;
      },
      scrollbackLength: () => term.buffer.normal.length - term.rows,
      dispose() {
        term.dispose();
      },
    };
  },
};

export type Engine = typeof EngineModule;

/** Wrap termpool's Terminal; `pool` lets memory.ts give each terminal its own PagePool. */
export function termpoolAdapter(engine: Engine, pool?: InstanceType<Engine['PagePool']>): EngineAdapter {
  return {
    name: 'termpool',
    create(opts) {
      const term = new engine.Terminal({ cols: opts.cols, rows: opts.rows, scrollback: opts.scrollback, pool });
      return {
        writeAll(bytes, chunk) {
          // Synchronous engine: no promise machinery inside the timed loop.
          for (let off = 0; off < bytes.length; off += chunk) term.write(bytes.subarray(off, Math.min(off + chunk, bytes.length)));
          return Promise.resolve();
        },
        screenLines: () => term.screenLines(),
        scrollbackLength: () => term.scrollbackLength,
        settle: () => { term.compressColdPages(); },
        dispose: () => term.dispose(),
      };
    },
  };
}

/** Load the engine, or return why it could not be loaded (the bench then reports n/a). */
export async function loadEngine(): Promise<{ engine: Engine } | { error: string }> {
  try {
    const engine = (await import('../src/engine/index.js')) as Engine;
    if (typeof engine.Terminal !== 'function') return { error: 'src/engine/index.js exports no Terminal' };
    return { engine };
  } catch (err) {
    return { error: errorLine(err) };
  }
}

/** First line of an error, for table notes. */
export function errorLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  // Repo-relative paths: the report is committed and read on other machines.
  return (msg.split('\n')[0] ?? msg).replaceAll(process.cwd() + '/', '');
}
