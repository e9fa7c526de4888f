/**
 * The environment a session's program starts with — built here and nowhere else.
 *
 * Base: the server's own environment, minus
 *   - every `TERMPOOL_*` variable: the server's settings, above all TERMPOOL_TOKEN. A program
 *     that inherited the token could drive the API (and so every other session), and `env` in
 *     a session would print it onto a screen that is archived, recorded and served to viewers;
 *   - the names the operator lists in TERMPOOL_ENV_DROP (exact names, or a prefix ending in `*`
 *     such as `AWS_*`): other secrets the server needs but its sessions must not see;
 *   - the variables that describe the terminal the *server* was started in (TMUX, STY,
 *     COLUMNS, …): a program in a session would believe it runs inside that tmux or screen, or
 *     at that size. node-pty drops the same list, but only when given `process.env` itself.
 * Then the request's own `env`, which may set any name, TERMPOOL_* included (the client's own
 * data: it is the inheritance, not the name, that leaked the token), and finally
 * TERM=xterm-256color, which is what the engine emulates.
 *
 * NOTE: this hides the token from the environment only. A program running as the server's
 * user can still read the server's /proc/<pid>/environ unless the session is sandboxed
 * (src/sessions/sandbox.ts gives it its own PID namespace).
 */

/** Terminal-describing variables of the server's own terminal (node-pty's list, and COLUMNS/LINES). */
export const TERMINAL_VARIABLES: readonly string[] = ['TMUX', 'TMUX_PANE', 'STY', 'WINDOW', 'WINDOWID', 'TERMCAP', 'COLUMNS', 'LINES'];

/** The server's own settings: never inherited. */
const SERVER_PREFIX = 'TERMPOOL_';

/** What the engine emulates; always set, whatever the request says. */
export const CHILD_TERM = 'xterm-256color';

/** A TERMPOOL_ENV_DROP entry: a variable name, or a name prefix followed by `*`. */
const DROP_ENTRY = /^[A-Za-z_][A-Za-z0-9_]*\*?$|^\*$/;

/**
 * Parses TERMPOOL_ENV_DROP (`NAME,OTHER,PREFIX_*`; spaces around commas ignored). Returns the
 * entries, or throws a message naming the first bad one (config.ts turns it into a ConfigError).
 */
export function parseEnvDrop(spec: string): string[] {
  const entries = spec.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = entries.find((e) => !DROP_ENTRY.test(e));
  if (bad !== undefined) throw new Error(`'${bad}' is not a variable name or a NAME_PREFIX* pattern`);
  return entries;
}

/** True when `name` matches an entry of the drop list (exact, or by `PREFIX*`). */
function dropped(name: string, drop: readonly string[]): boolean {
  for (const d of drop) {
    if (d.endsWith('*') ? name.startsWith(d.slice(0, -1)) : name === d) return true;
  }
  return false;
}

export interface ChildEnvInput {
  /** The server's environment (process.env in the server). */
  inherited: NodeJS.ProcessEnv;
  /** TERMPOOL_ENV_DROP entries. */
  drop: readonly string[];
  /** The request's `env`: added last, may override anything but TERM. */
  requested: Readonly<Record<string, string>>;
}

/** The child's environment (see the header for what is left out and why). */
export function childEnv({ inherited, drop, requested }: ChildEnvInput): Record<string, string> {
  // No prototype: a request may name a variable `__proto__`, which must stay a variable.
  const env = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(inherited)) {
    if (v === undefined || k.startsWith(SERVER_PREFIX) || TERMINAL_VARIABLES.includes(k) || dropped(k, drop)) continue;
    env[k] = v;
  }
  for (const [k, v] of Object.entries(requested)) env[k] = v;
  env['TERM'] = CHILD_TERM;
  return env;
}
