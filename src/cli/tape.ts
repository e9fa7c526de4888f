/**
 * `termpool tape FILE.tape`: runs a charmbracelet/vhs tape headless (src/tape): no browser, no
 * ttyd, no server. Owns the flags, reading the file and the exit-status contract: 2 when the
 * tape has errors (all of them printed as file:line:column: message, nothing run), a Require'd
 * program or the shell is missing, or an Output can't be written; 1 when a command failed while
 * running (a Wait that timed out); 0 otherwise, with one summary line on stderr.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CliError, type Io } from './errors.js';

export const TAPE_USAGE = `usage: termpool tape [--quiet] FILE.tape
Runs a VHS tape (charmbracelet/vhs) headless: its shell under a pty, termpool's engine for the
screen. Output .txt/.ascii (VHS's golden-file layout), .cast (asciicast v2), .gif and dir/
(PNG frames); Screenshot writes PNGs. Exit status: 0 ok, 1 a command failed (Wait timed out),
2 the tape has errors (file:line:column on stderr) or a Require'd program is missing.
  --quiet   no summary line
`;

export async function runTape(args: string[], io: Io): Promise<number> {
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: { quiet: { type: 'boolean', short: 'q' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    throw new CliError(`tape: ${((err as Error).message ?? String(err)).split(/\.\s/)[0]}`);
  }
  if (values.help) { io.stdout.write(TAPE_USAGE); return 0; }
  if (positionals.length !== 1) throw new CliError('tape: give exactly one tape file (termpool tape demo.tape)');
  const file = positionals[0]!;
  let text: string;
  try { text = readFileSync(file === '-' ? 0 : file, 'utf8'); } catch (err) {
    throw new CliError(`tape: cannot read '${file}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const { parseTape } = await import('../tape/parser.js');
  const { TapeRunner } = await import('../tape/runner.js');
  const { TapeError } = await import('../tape/commands.js');
  const parsed = parseTape(text, file === '-' ? '<stdin>' : file);
  if (parsed.errors.length > 0) {
    for (const e of parsed.errors) io.stderr.write(`termpool: tape: ${e.message}\n`);
    return 2;
  }
  if (parsed.commands.length === 0) throw new CliError(`tape: ${file} has no commands`);
  const warn = (line: string): void => { io.stderr.write(`termpool: tape: note: ${line}\n`); };
  let runner;
  try {
    runner = new TapeRunner(parsed.commands, { warn });
    runner.preflight();
  } catch (err) {
    if (err instanceof TapeError) throw new CliError(`tape: ${err.message}`);
    throw err;
  }
  const t0 = performance.now();
  try {
    const r = await runner.run();
    if (!values.quiet) {
      const ms = performance.now() - t0;
      const png = r.pngFrames ? `, ${r.pngFrames.frames} PNG frames (${r.pngFrames.rendered} rendered)` : '';
      io.stderr.write(`termpool: tape: ${file}: ${r.textFrames} text frames${png} in ${(ms / 1000).toFixed(1)} s${r.outputs.length ? ` → ${r.outputs.join(', ')}` : ''}\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof TapeError) { io.stderr.write(`termpool: tape: ${err.message}\n`); return 1; }
    if (err instanceof Error && (['PngUnavailableError', 'AnimationBudgetError', 'FontsMissingError'].includes(err.name) || (err as NodeJS.ErrnoException).code !== undefined)) {
      throw new CliError(`tape: ${err.message}`);
    }
    throw err;
  }
}
