/**
 * termpool CLI entry: subcommand dispatch and the shared exit-code contract.
 *
 * Exit codes: 0 success (also `--help`, and `serve` stopped by SIGTERM/SIGINT), 1 unexpected
 * internal error, 2 usage or input error (unknown subcommand/flag, bad number, unreadable file,
 * bad TERMPOOL_* setting) with one line on stderr. No arguments at all means `serve`, so that
 * `npm start` starts the service.
 * Subcommands live in their own modules and are loaded lazily, so `render` never pays for the
 * server's imports.
 */
import { readFileSync } from 'node:fs';
import { CliError, type Io } from './errors.js';
import { SCREEN_FORMATS } from './screen-output.js';

export { CliError, EXIT_USAGE, type Io } from './errors.js';

export const USAGE = `usage: termpool <command> [options]

commands:
  serve
      Start the HTTP service (the default when no command is given). Configured with
      TERMPOOL_* environment variables: TERMPOOL_HOST (127.0.0.1), TERMPOOL_PORT (7681),
      TERMPOOL_TOKEN, ... (see README, "Running the service").

  render [--cols C] [--rows R] [--format ${SCREEN_FORMATS.join('|')}] FILE
      Replay FILE (raw bytes a program wrote to its pty; '-' reads stdin) and print the
      final visible screen: R lines, right-trimmed (text), or a ScreenSnapshot (json).
      Defaults: --cols 80 --rows 24 --format text.
      FILE may also be an asciicast v2 recording (.cast, or a first line {"version": 2, ...}):
      --at SECONDS shows the screen at that moment (default: the end); size from its header.
      --format png|svg|ansi|html render images; --out FILE writes there instead of stdout.

  snap [--cols 80] [--rows 24] [--wait-text TEXT | --wait-regex RE] [--stable MS]
       [--timeout MS] [--format ${SCREEN_FORMATS.join('|')}] [--out FILE] -- COMMAND [ARGS...]
      Run COMMAND headless under a pty (no server), wait until its screen is quiet for MS
      (default 300), shows TEXT/RE, or the program exits, and write the screen. Exit status:
      the program's when it exited by itself, 0 after a successful wait (the program is then
      ended), 124 on timeout (default 10000 ms), 127 when COMMAND is not found.

  assert --golden FILE (--session ID [--url URL] [--token T] | --cast FILE [--at SECONDS])
         [--styles] [--cursor] [--update]
      Compare a session's screen (or a cast's, replayed) with a golden screen file. Exit
      status: 0 it matches (or --update wrote it), 1 it differs (a line diff on stderr, PNGs
      of both screens beside the golden), 2 usage or input error.

  attach ID [--url URL] [--token T] [--write [--resize]] [--detach-key C-\\]
      Show a session of a running server in this terminal and follow it live; read-only
      unless --write (then your keys go to the session). Ctrl-\\ (or --detach-key) detaches.
      Exit status: 0 detached or the program exited, 1 connection lost, 2 usage error.

  tape [--quiet] FILE.tape
      Run a VHS tape (charmbracelet/vhs) headless: no browser, no ttyd, no server. Output
      .txt/.ascii (VHS's golden-file layout), .cast, .gif and dir/ (PNG frames); Screenshot PNGs.
      Exit status: 0 ok, 1 a command failed (Wait timed out), 2 the tape has errors
      (file:line:column on stderr, nothing run) or a Require'd program is missing.

  mcp [--url URL [--token TOKEN]]
      Serve termpool's terminals as MCP tools over stdio (for Claude Desktop and other
      MCP clients). Sessions run in this process unless --url names a running server.

options:
  -h, --help    show this help (also: termpool <command> --help)
  -V, --version print termpool's version (also: termpool version)

exit status: 0 ok, 1 internal error, 2 usage or input error (snap, assert, attach, tape: see above).
With no arguments termpool runs \`serve\`.
`;

interface Command {
  summary: string;
  run(args: string[], io: Io): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  serve: {
    summary: 'start the HTTP service',
    run: async (args, io) => (await import('./serve.js')).runServe(args, io),
  },
  render: {
    summary: 'replay pty output and print the final screen',
    run: async (args, io) => (await import('./render.js')).runRender(args, io),
  },
  snap: {
    summary: 'run a command headless and write a snapshot of its screen',
    run: async (args, io) => (await import('./snap.js')).runSnap(args, io),
  },
  assert: {
    summary: 'compare a session\'s or a cast\'s screen with a golden file',
    run: async (args, io) => (await import('./assert.js')).runAssert(args, io),
  },
  attach: {
    summary: 'show a session in this terminal, live; --write takes over',
    run: async (args, io) => (await import('./attach.js')).runAttach(args, io),
  },
  tape: {
    summary: 'run a VHS tape headless (.txt golden frames, .cast, .gif, PNG frames)',
    run: async (args, io) => (await import('./tape.js')).runTape(args, io),
  },
  mcp: {
    summary: 'serve the MCP tools over stdio',
    run: async (args, io) => (await import('./mcp.js')).runMcp(args, io),
  },
};

const defaultIo: Io = {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
};

/** Runs the CLI; returns the exit status instead of exiting, so tests and the shim decide. */
export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined) return await COMMANDS['serve']!.run([], io);
    if (first === '-h' || first === '--help' || first === 'help') {
      io.stdout.write(USAGE);
      return 0;
    }
    if (first === '-V' || first === '--version' || first === 'version') {
      io.stdout.write(`${packageVersion()}\n`);
      return 0;
    }
    if (first.startsWith('-')) throw new CliError(`missing command before '${first}' (try: termpool render ${first} ...)`);
    const cmd = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
    if (!cmd) throw new CliError(`unknown command '${first}' (commands: ${Object.keys(COMMANDS).join(', ')})`);
    return await cmd.run(rest, io);
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr.write(`termpool: ${err.message}\n`);
      return err.exitCode;
    }
    // Anything else is our bug, not the user's: keep the stack for the report.
    io.stderr.write(`termpool: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

/**
 * The version in termpool's own package.json (bin/termpool.js runs dist/src/cli/main.js, three
 * levels below it; the Docker image keeps /app/package.json beside /app/dist for this).
 */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { name?: string; version?: string };
  if (pkg.name !== 'termpool' || typeof pkg.version !== 'string') throw new Error('termpool\'s package.json was not found beside dist/');
  return pkg.version;
}
