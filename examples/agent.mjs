#!/usr/bin/env node
/**
 * An agent's loop over termpool: run shell commands and get their exit codes and output (`run`,
 * through shell integration), then drive a full-screen program (vim) by keys and waits.
 *
 *   npm start &                                   # or any termpool server
 *   TERMPOOL_URL=http://127.0.0.1:7681 node examples/agent.mjs
 *
 * TERMPOOL_TOKEN is sent when set. Prints one line per step and exits 0 when every step went as
 * expected (the failing command is expected to fail), 1 otherwise.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TermpoolClient } from 'termpool/client';

const client = new TermpoolClient({ url: process.env.TERMPOOL_URL ?? 'http://127.0.0.1:7681', token: process.env.TERMPOOL_TOKEN });
const work = mkdtempSync(path.join(tmpdir(), 'termpool-agent-'));
let ok = true;
const check = (what, good) => { if (!good) ok = false; console.log(`${good ? 'ok  ' : 'FAIL'} ${what}`); };

// A bash with shell integration: each command's end, exit code and output are marked by the shell.
const s = await client.createSession({ shell: 'bash', cwd: work, cols: 100, rows: 30 });
try {
  let r = await client.run(s.id, { command: 'git init -q repo && cd repo && echo hello > a.txt && git status --short', timeoutMs: 30_000 });
  console.log(`git status: exit ${r.exitCode} in ${r.durationMs} ms, cwd ${r.cwd}`);
  for (const line of r.output) console.log(`  | ${line}`);
  check('git status lists the new file', r.exitCode === 0 && r.output.includes('?? a.txt'));

  r = await client.run(s.id, { command: 'ls does-not-exist', timeoutMs: 30_000 });
  console.log(`ls does-not-exist: exit ${r.exitCode}`);
  check('a failing command reports its exit code', r.exitCode !== 0 && r.exitCode !== null);

  // vim is full-screen: type into it, wait for what it shows, save and quit, then check the file.
  // The wait for vim's end names the last command before it (afterCommand): vim may well have
  // quit before the wait arrives, and a wait without it would be for the next command.
  const last = (await client.commands(s.id)).commands.at(-1)?.id;
  // (Debian's vim-tiny may install only vim.tiny.)
  await client.sendText(s.id, '"$(command -v vim || command -v vim.tiny)" -u NONE notes.txt\r');
  check('vim started', (await client.wait(s.id, { text: 'notes.txt', timeoutMs: 15_000 })).satisfied);
  await client.sendKeys(s.id, ['i', 'written by an agent', 'Escape', ':wq', 'Enter'], { literal: true });
  check('vim quit back to the prompt', (await client.wait(s.id, { command: 'finished', afterCommand: last, timeoutMs: 15_000 })).satisfied);

  r = await client.run(s.id, { command: 'cat notes.txt', timeoutMs: 30_000 });
  console.log(`cat notes.txt: exit ${r.exitCode}: ${JSON.stringify(r.output)}`);
  check('vim saved the text', r.exitCode === 0 && r.output[0] === 'written by an agent');

  const history = await client.commands(s.id);
  console.log('commands:', history.commands.map((c) => `${c.command} → ${c.exitCode}`).join('; '));
} finally {
  await client.deleteSession(s.id);
}
process.exit(ok ? 0 : 1);
