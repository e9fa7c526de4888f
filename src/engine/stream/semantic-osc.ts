/**
 * Decoding the shell-integration OSCs: 133 (FinalTerm semantic prompt marks, as Ghostty,
 * WezTerm, kitty, iTerm2 and VS Code read them) and 7 (the working directory as a URI).
 * Pure string → value functions; osc.ts calls them and the Terminal decides what they mean.
 *
 * OSC 133 ; <mark> [; <positional>] [; key=value …] — the marks:
 *   A  prompt start            N  new command (A that also ends a command left running)
 *   P  prompt start (k=i, the default) or a continuation/secondary prompt part (k=c, k=s): ignored
 *   B  end of prompt, start of the typed command
 *   C  command executed: its output starts here
 *   D  command finished; `D;<exit>` carries the exit status as the first field (Ghostty reads it
 *      the same way); a non-numeric field is "no status". `aid=`, `cl=`, `k=` and unknown keys
 *      are options we do not need and are ignored, as the proposal says.
 * `nonce=<value>` (any mark): termpool's own shell integration signs its marks with a per-session
 * secret (as VS Code's shell integration signs its command-line mark), so that a program's
 * output cannot pass for the shell's; decoded here, judged by terminal/semantic-prompt.ts.
 * Unknown marks (L fresh line, I, and anything else) decode to null.
 */
import { PromptMark } from './actions.js';

export interface SemanticPromptMark {
  mark: PromptMark;
  /** D only: the command's exit status when given (may be negative: `D;-1`), else null. */
  exitCode: number | null;
  /** The `nonce=` option's value, or null without one. */
  nonce: string | null;
}

const NONCE = 'nonce=';

export function decodeSemanticPrompt(rest: string): SemanticPromptMark | null {
  const fields = rest.split(';');
  const kind = fields[0];
  const nonce = fields.find((f, i) => i > 0 && f.startsWith(NONCE))?.slice(NONCE.length) ?? null;
  switch (kind) {
    case 'A': case 'N': return { mark: PromptMark.PromptStart, exitCode: null, nonce };
    case 'P': {
      const k = fields.find((f) => f.startsWith('k='))?.slice(2);
      return k === undefined || k === 'i' ? { mark: PromptMark.PromptStart, exitCode: null, nonce } : null;
    }
    case 'B': return { mark: PromptMark.InputStart, exitCode: null, nonce };
    case 'C': return { mark: PromptMark.OutputStart, exitCode: null, nonce };
    case 'D': {
      const first = fields[1];
      // The status is positional; an option in its place (`D;aid=1`) means none was given.
      const code = first !== undefined && /^-?\d{1,9}$/.test(first) ? Number(first) : null;
      return { mark: PromptMark.CommandEnd, exitCode: code, nonce };
    }
    default: return null;
  }
}

/** Longest path we keep from OSC 7 (PATH_MAX). */
const MAX_PATH = 4096;

/**
 * `file://host/path` (and kitty's `kitty-shell-cwd://host/path`) → the path, percent-decoded;
 * null for anything else (another scheme, no absolute path, a malformed escape, too long). The
 * host is not checked: the shell runs on this machine or in its sandbox, under a name we do
 * not know.
 */
export function decodeWorkingDirectory(uri: string): string | null {
  const m = /^(?:file|kitty-shell-cwd):\/\/[^/]*(\/.*)$/.exec(uri);
  if (m === null) return null;
  let path: string;
  try {
    path = decodeURIComponent(m[1]);
  } catch {
    return null;
  }
  return path.length <= MAX_PATH && !path.includes('\0') ? path : null;
}
