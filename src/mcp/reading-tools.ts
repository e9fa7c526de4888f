/**
 * MCP tools that look without touching: wait_for, read_screen (with since: only the rows changed,
 * src/sessions/screen-delta.ts), read_scrollback (a range, or a search within the search budgets of
 * src/sessions/search.ts) and screenshot.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { TerminalBackend } from './tools.js';
import { describe, fail, run, sessionId, text, trimScreen } from './tool-result.js';

const WaitArgs = {
  session_id: sessionId,
  text: z.string().min(1).max(65536).optional().describe('wait until the screen contains this exact text (case-sensitive)'),
  regex: z.string().min(1).max(4096).optional().describe('wait until this JavaScript regular expression matches the screen (lines joined by \\n, flag m: ^ and $ match at line ends)'),
  stable_ms: z.number().int().min(1).max(600_000).optional().describe('wait until the program has written nothing for this many milliseconds (e.g. 300): use when you do not know what will appear'),
  exit: z.boolean().optional().describe('wait until the program has exited'),
  scrollback: z.boolean().optional().describe('also match text/regex in lines that scrolled off the top (already there, or scrolling past while waiting): use when the output may be longer than the screen'),
  absent: z.string().min(1).max(65536).optional().describe('wait until the screen no longer shows this text (a spinner, a dialog gone); holds at once if it is not there'),
  absent_regex: z.string().min(1).max(4096).optional().describe('wait until this regular expression no longer matches the screen'),
  title: z.string().max(4096).optional().describe('wait until the window title is exactly this'),
  title_regex: z.string().min(1).max(4096).optional().describe('wait until the window title matches this regular expression'),
  cursor: z.object({ row: z.number().int().min(0).max(65535).optional(), col: z.number().int().min(0).max(65535).optional() }).strict().optional()
    .describe('wait until the cursor is at this 0-based row and/or column'),
  cell: z.object({
    row: z.number().int().min(0).max(65535), col: z.number().int().min(0).max(65535),
    text: z.string().min(1).max(64).optional(), inverse: z.boolean().optional(), bold: z.boolean().optional(), italic: z.boolean().optional(),
    underline: z.boolean().optional(),
    fg: z.union([z.null(), z.number().int().min(0).max(255), z.string().min(1).max(32)]).optional(),
    bg: z.union([z.null(), z.number().int().min(0).max(255), z.string().min(1).max(32)]).optional(),
  }).strict().optional().describe('wait until the cell at 0-based row, col has this text and style: e.g. {row: 5, col: 2, inverse: true} for ' +
    'a highlighted menu item; colours: null/"default", 0-255, "#rrggbb" or names (red, brightBlue, ...)'),
  trim: z.boolean().optional().describe('false: match text/regex/absent against full-width lines (trailing spaces kept); a text ending in a space, like the prompt "$ ", already matches that way'),
  timeout_ms: z.number().int().min(0).max(600_000).optional().describe('give up after this many milliseconds (default 10000)'),
};

export function registerReadingTools(server: McpServer, backend: TerminalBackend): void {
  server.registerTool('wait_for', {
    title: 'Wait for the screen',
    description: 'Waits until the screen shows something (or no longer does), the title or cursor or a cell\'s style is as ' +
      'given, the output goes quiet, or the program exits — without polling. Give text, regex, absent, title, cursor, ' +
      'cell, stable_ms and/or exit: true; all given conditions must hold at once. Returns whether it was satisfied (reason ' +
      'matched, timeout or exited), which conditions still failed, where the text/regex matched (0-based row, column) and ' +
      'the screen at that moment. A timeout is not an error: read the returned screen to see what happened instead. Call ' +
      'it after every send_text / send_keys / create_session before read_screen.',
    inputSchema: WaitArgs,
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, (a) => run(async () => {
    const conditions = [a.text, a.regex, a.stable_ms, a.exit === true ? true : undefined, a.absent, a.absent_regex, a.title, a.title_regex, a.cursor, a.cell];
    if (conditions.every((c) => c === undefined)) {
      return fail('give at least one of text, regex, stable_ms, exit: true, absent, absent_regex, title, title_regex, cursor or cell');
    }
    if (a.text !== undefined && a.regex !== undefined) return fail('give text or regex, not both');
    if (a.absent !== undefined && a.absent_regex !== undefined) return fail('give absent or absent_regex, not both');
    if (a.title !== undefined && a.title_regex !== undefined) return fail('give title or title_regex, not both');
    const w = await backend.wait(a.session_id, {
      ...(a.text !== undefined && { text: a.text }),
      ...(a.regex !== undefined && { regex: a.regex }),
      ...(a.stable_ms !== undefined && { stableMs: a.stable_ms }),
      ...(a.exit !== undefined && { exit: a.exit }),
      ...(a.scrollback !== undefined && { scrollback: a.scrollback }),
      ...(a.absent !== undefined && { absent: a.absent }),
      ...(a.absent_regex !== undefined && { absent: { regex: a.absent_regex } }),
      ...(a.title !== undefined && { title: a.title }),
      ...(a.title_regex !== undefined && { title: { regex: a.title_regex } }),
      ...(a.cursor !== undefined && { cursor: a.cursor }),
      ...(a.cell !== undefined && { cell: a.cell }),
      ...(a.trim !== undefined && { trim: a.trim }),
      ...(a.timeout_ms !== undefined && { timeoutMs: a.timeout_ms }),
    });
    const head = w.satisfied
      ? `Satisfied after ${w.elapsedMs} ms${w.match && w.match.text !== '' ? ` (matched ${JSON.stringify(w.match.text)} at ${w.match.row < 0 ? `scrollback line ${w.match.line}` : `row ${w.match.row}`}, column ${w.match.column})` : ''}.`
      : w.reason === 'exited'
        ? `Not satisfied: the program exited (${describe(w.session)}) and the condition can no longer hold.`
        : `Not satisfied: timed out after ${w.elapsedMs} ms.`;
    const failing = w.satisfied || w.failing.length === 0 ? '' : ` Still failing: ${w.failing.join(', ')}.`;
    return text(`${head}${failing}\nScreen:\n${trimScreen(w.lines)}`, {
      satisfied: w.satisfied, reason: w.reason, elapsedMs: w.elapsedMs, match: w.match, failing: w.failing, state: w.session.state, exitCode: w.session.exitCode,
    });
  }));

  server.registerTool('read_screen', {
    title: 'Read the screen',
    description: 'Returns what the terminal shows now, as text: one line per screen row (trailing spaces and trailing ' +
      'empty rows trimmed). With include_cursor: true it starts with a header giving the cursor position (0-based row ' +
      'and column), the window title and whether a full-screen program has the alternate screen. scrollback: N adds the ' +
      'N lines that scrolled off the top. Call wait_for first after sending input. To poll cheaply, pass since: "" the ' +
      'first time: the answer ends with an etag; pass that etag as since next time to get only the rows that changed ' +
      '("row N: text"), or just "Unchanged." when nothing did.',
    inputSchema: {
      session_id: sessionId,
      include_cursor: z.boolean().optional().describe('prefix a header with cursor position, size, title and screen mode (default false)'),
      scrollback: z.number().int().min(0).max(10_000).optional().describe('also return this many lines from above the screen (default 0)'),
      since: z.string().max(512).optional().describe('the etag of an earlier read_screen: only the rows changed since then; "" for a first full read with an etag'),
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, (a) => run(async () => {
    if (a.since !== undefined) {
      if ((a.scrollback ?? 0) > 0) return fail('since reads the screen only: leave out scrollback');
      // "" is a tag no server made: every row, with full: true.
      const d = await backend.screenDelta(a.session_id, a.since === '' ? '"-"' : a.since);
      const structured = { etag: d.etag, full: d.full, unchanged: !d.full && d.lines.length === 0, changedRows: d.lines.map((l) => l.row), cursor: d.cursor, cols: d.cols, rows: d.rows, title: d.title };
      if (structured.unchanged) return text('Unchanged.', structured);
      const head = a.include_cursor
        ? `cursor: row ${d.cursor.row}, column ${d.cursor.col}${d.cursor.visible ? '' : ' (hidden)'}; size ${d.cols}x${d.rows}; title ${JSON.stringify(d.title)}\n`
        : '';
      if (d.full) return text(`${head}${trimScreen(d.lines.map((l) => l.text))}\netag: ${d.etag}`, structured);
      const rows = d.lines.map((l) => `row ${l.row}: ${l.text}`).join('\n');
      return text(`${head}${d.lines.length} of ${d.rows} rows changed (the others as before):\n${rows}\netag: ${d.etag}`, structured);
    }
    const snap = await backend.snapshot(a.session_id, a.scrollback ?? 0);
    const lines = snap.lines.map((l) => l.text.trimEnd());
    const screen = lines.slice(lines.length - snap.rows);
    const above = lines.slice(0, lines.length - snap.rows);
    let out = '';
    if (a.include_cursor) {
      const c = snap.cursor;
      out += `cursor: row ${c.row}, column ${c.col}${c.visible ? '' : ' (hidden)'}; size ${snap.cols}x${snap.rows}; ` +
        `title ${JSON.stringify(snap.title)}; ${snap.modes.alternateScreen ? 'alternate screen (full-screen program)' : 'normal screen'}\n`;
    }
    if (above.length > 0) out += `--- ${above.length} scrollback lines ---\n${above.join('\n')}\n--- screen ---\n`;
    out += trimScreen(screen);
    return text(out, a.include_cursor ? { cursor: snap.cursor, cols: snap.cols, rows: snap.rows, title: snap.title, alternateScreen: snap.modes.alternateScreen } : undefined);
  }));

  server.registerTool('read_scrollback', {
    title: 'Read or search the scrollback',
    description: 'Reads lines that scrolled off the top of the screen (the history; line 0 is the oldest kept), or with ' +
      'query searches history and screen for a case-sensitive substring (or, with regex: true, a JavaScript regular ' +
      'expression) and returns matching lines with their line numbers. Use it when output was longer than the screen.',
    inputSchema: {
      session_id: sessionId,
      query: z.string().min(1).max(1024).optional().describe('search for this text instead of reading a range'),
      regex: z.boolean().optional().describe('query is a JavaScript regular expression (flag m: ^ and $ match at line ends)'),
      start: z.number().int().min(0).optional().describe('first line to read (default: enough to end at the newest line)'),
      count: z.number().int().min(1).max(10_000).optional().describe('lines to read, or most matches to return (default 200)'),
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, (a) => run(async () => {
    const count = a.count ?? 200;
    if (a.query !== undefined) {
      const r = await backend.search(a.session_id, a.query, count, a.regex);
      const rows = r.matches.map((m) => `${m.line}${m.line >= r.scrollbackLength ? ` (screen row ${m.line - r.scrollbackLength})` : ''}: ${m.text}`);
      return text(`${r.matches.length} match${r.matches.length === 1 ? '' : 'es'} for ${r.kind === 'regex' ? `/${r.query}/` : JSON.stringify(r.query)} in ${r.total} lines` +
        `${r.truncated ? ' (more not shown)' : ''}.${rows.length ? '\n' + rows.join('\n') : ''}`);
    }
    let start = a.start;
    if (start === undefined) start = Math.max(0, (await backend.scrollback(a.session_id, 0, 0)).total - count);
    const r = await backend.scrollback(a.session_id, start, count);
    return text(`Scrollback lines ${r.start}-${r.start + r.lines.length - 1} of ${r.total}:\n${r.lines.join('\n')}`);
  }));

  server.registerTool('screenshot', {
    title: 'Screenshot the terminal',
    description: 'Renders the screen as a PNG image (colours, bold, cursor, box drawing), returned as image content. ' +
      'Use it when colours or visual layout matter; for the text itself read_screen is cheaper and exact.',
    inputSchema: { session_id: sessionId },
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, (a) => run(async () => {
    const png = await backend.png(a.session_id);
    return { content: [{ type: 'image', data: png.toString('base64'), mimeType: 'image/png' }] };
  }));
}
