/**
 * Shell integration routes: POST /v1/sessions/:id/run (type a command, answer with its exit
 * status and output) and GET /v1/sessions/:id/commands (the shell's command history). Thin: the
 * work is src/sessions/run-command.ts's; the marks are read by the engine.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody, SessionParams, sessionErrors } from '../schemas/common.js';
import { CommandList, CommandsQuery, RunBody, RunResult } from '../schemas/commands.js';
import { noShellIntegration } from '../sessions/run-command.js';
import { ArchivedSession } from '../archive/archived-session.js';
import { commandInfo, runResult } from './command-info.js';
import { abortOnHangUp } from './hang-up.js';

const commandRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/v1/sessions/:id/run', {
    schema: {
      summary: 'Run a command in the session\'s shell and answer with its exit code and output',
      description: 'For sessions created with shell integration ("shell": "bash" | "zsh" | "fish"). Waits for the prompt, ' +
        'clears what is already typed there, types the command and Enter, waits for the shell to report the command finished ' +
        '(OSC 133 D, signed with the session\'s nonce: a program printing the mark cannot fake it) and answers with its ' +
        'exit code, its output (scrollback included) and the working directory. 408 on timeout (the command goes on; what it ' +
        'printed so far is in output) or when the shell exited first (also after a DELETE). 409 NO_SHELL_INTEGRATION for a ' +
        'session without integration; 409 COMMAND_RUNNING while a command runs. Counts as a wait (429 WAIT_LIMIT).',
      tags: ['shell'],
      params: SessionParams,
      body: RunBody,
      response: { 200: RunResult, 408: RunResult, ...sessionErrors, 409: ErrorBody, 410: ErrorBody, 429: ErrorBody },
    },
  }, async (req, reply) => {
    const s = app.sessions.get(req.params.id);
    // A client that hangs up stops waiting (the command itself goes on).
    const r = await app.sessions.runs.run(s, { ...req.body, signal: abortOnHangUp(reply) });
    return reply.code(r.reason === 'finished' ? 200 : 408).send(runResult(s, r));
  });

  app.get('/v1/sessions/:id/commands', {
    schema: {
      summary: 'The shell\'s commands: text, exit codes, times, working directory and line ranges',
      description: 'For sessions created with shell integration; the last 1,000 commands are kept. Lines are absolute (they do ' +
        'not shift as the scrollback is pruned): line - firstLine is a GET /scrollback line number.',
      tags: ['shell'],
      params: SessionParams,
      querystring: CommandsQuery,
      response: { 200: CommandList, ...sessionErrors, 409: ErrorBody, 410: ErrorBody },
    },
  }, async (req) => {
    // An archived session answers the history it had at exit (src/archive/session-archive.ts).
    const s = app.sessions.read(req.params.id);
    if (s.shell === null) throw noShellIntegration(s.id);
    const t = s.terminal;
    const { semantic: sp, firstLine } = s instanceof ArchivedSession ? s.commands() : { semantic: t.semantic, firstLine: t.firstLine };
    const { after, limit } = req.query;
    const from = sp.commands.filter((c) => c.id > after);
    return {
      commands: from.slice(0, limit).map(commandInfo),
      more: from.length > limit,
      state: sp.state,
      cwd: sp.cwd,
      firstLine,
      scrollbackLength: t.scrollbackLength,
    };
  });
};

export default commandRoutes;
