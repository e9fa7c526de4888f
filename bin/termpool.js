#!/usr/bin/env node
// termpool CLI shim: the real code is TypeScript compiled to dist/ (`npm run build`, also run
// by `prepare` on install). Kept tiny and plain JS so it needs no build step itself.
let cli;
try {
  cli = await import('../dist/src/cli/main.js');
} catch (err) {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/src/cli/main.js')) {
    process.stderr.write('termpool: not built yet; run `npm run build` first\n');
    process.exit(1);
  }
  throw err;
}
process.exitCode = await cli.main(process.argv.slice(2));
