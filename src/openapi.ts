/**
 * openapi.yaml is generated from the routes' zod schemas (@fastify/swagger with the zod
 * transform), so the document cannot drift from what the server validates and sends.
 *
 *   npm run openapi            regenerate openapi.yaml at the repo root
 *   node dist/src/openapi.js --check   exit 1 when the committed file is stale
 *
 * test/routes/openapi.test.ts runs the same comparison and validates real responses against it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { finishDocument } from './openapi-document.js';

const HEADER = '# Generated from src/schemas by `npm run openapi` (src/openapi.ts); do not edit by hand.\n';

/** The OpenAPI 3.1 document for every registered route (what GET /openapi.json serves too). */
export async function openapiDocument(): Promise<Record<string, unknown>> {
  const app = await buildApp(loadConfig({}));
  try {
    await app.ready();
    return finishDocument(structuredClone(app.swagger()) as Record<string, unknown>);
  } finally {
    await app.close();
  }
}

export async function openapiYaml(): Promise<string> {
  return HEADER + YAML.stringify(await openapiDocument(), { aliasDuplicateObjects: false, lineWidth: 0 });
}

/** openapi.yaml at the repository root (dist/src/openapi.js and src/openapi.ts both resolve to it). */
export function openapiPath(): string {
  const here = fileURLToPath(import.meta.url);
  const root = here.includes('/dist/') ? new URL('../../', import.meta.url) : new URL('../', import.meta.url);
  return fileURLToPath(new URL('openapi.yaml', root));
}

async function cli(args: string[]): Promise<number> {
  const text = await openapiYaml();
  const file = openapiPath();
  if (args.includes('--check')) {
    let current = '';
    try { current = readFileSync(file, 'utf8'); } catch { /* missing */ }
    if (current === text) return 0;
    process.stderr.write(`${file} is out of date: run npm run openapi\n`);
    return 1;
  }
  if (args.includes('--write')) {
    writeFileSync(file, text);
    process.stdout.write(`wrote ${file}\n`);
    return 0;
  }
  process.stdout.write(text);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await cli(process.argv.slice(2));
}
