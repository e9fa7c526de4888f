/**
 * `termpool serve`: the HTTP service. Settings come from TERMPOOL_* environment variables
 * (README "Running the service"); a bad setting or an unsafe bind is a usage error (exit 2).
 */
import { ConfigError } from '../config.js';
import { CliError, type Io } from './errors.js';

export async function runServe(args: string[], io: Io): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout.write('usage: termpool serve   (configured with TERMPOOL_* environment variables; see README)\n');
    return 0;
  }
  if (args.length > 0) throw new CliError(`serve takes no arguments (got '${args[0]}'); configure it with TERMPOOL_* environment variables`);
  const { serve } = await import('../server.js');
  try {
    return await serve();
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message);
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL') throw new CliError(`cannot listen: ${e.message}`);
    throw err;
  }
}
