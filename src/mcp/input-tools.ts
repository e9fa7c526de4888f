/**
 * MCP tools that send input to the program: send_text, send_keys, paste_text, mouse_click and
 * send_signal. Encoded as REST /input and /signal encode them (for the program's current modes).
 * What input does is up to the program (Enter in a shell runs a command; a click may press a
 * button), so none is read-only and all are marked destructive and open-world.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { SESSION_SIGNALS } from '../sessions/signal.js';
import type { TerminalBackend } from './tools.js';
import { run, sessionId, text } from './tool-result.js';

const Cell = z.number().int().min(0).max(65535);

export function registerInputTools(server: McpServer, backend: TerminalBackend): void {
  server.registerTool('send_text', {
    title: 'Type text',
    description: 'Types text into the program, exactly as given (UTF-8), as if typed on a keyboard. Set enter: true to ' +
      'press Enter afterwards (or include "\\r"; "\\n" is not Enter for most programs). For special keys (arrows, Escape, ' +
      'Ctrl-C, F-keys) use send_keys. Returns the number of bytes written. Next: wait_for the expected output (or ' +
      'stable_ms: 300), then read_screen.',
    inputSchema: {
      session_id: sessionId,
      text: z.string().max(1_000_000).describe('the text to type'),
      enter: z.boolean().optional().describe('press Enter after the text (default false)'),
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  }, (a) => run(async () => {
    const r = await backend.input(a.session_id, { text: a.enter ? `${a.text}\r` : a.text });
    return text(`Sent ${r.bytes} bytes.`, r);
  }));

  server.registerTool('send_keys', {
    title: 'Press keys',
    description: 'Presses named keys in order, encoded for the program\'s current modes (as xterm would). Names: Enter, ' +
      'Tab, Escape, BSpace, Space, Up, Down, Left, Right, Home, End, PageUp (PPage), PageDown (NPage), IC (Insert), DC ' +
      '(Delete), F1-F12; modifiers as prefixes: C-c (Ctrl-C), C-d, M-x (Alt-x), S-Tab (Shift-Tab), C-Left. Playwright ' +
      'names work too: ArrowUp, Backspace, Control+c, Shift+Tab, Alt+x, Meta+x (= Alt), Control+Shift+ArrowUp. A single ' +
      'character is typed as is (e.g. "i", ":"). Example: ["Escape", ":", "w", "q", "Enter"]. Unknown names are refused ' +
      'without sending anything, unless literal: true, which types them as text: ["exit 123", "Enter"]. Next: wait_for, ' +
      'then read_screen.',
    inputSchema: {
      session_id: sessionId,
      keys: z.array(z.string().min(1).max(65536)).min(1).max(10_000).describe('key names, pressed in order (with literal: true, text items too)'),
      literal: z.boolean().optional().describe('type items that are not key names as text instead of refusing them (default false)'),
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  }, (a) => run(async () => {
    const r = await backend.input(a.session_id, { keys: a.keys, ...(a.literal !== undefined && { literal: a.literal }) });
    return text(`Pressed ${a.keys.length} key${a.keys.length === 1 ? '' : 's'} (${r.bytes} bytes).`, r);
  }));

  server.registerTool('paste_text', {
    title: 'Paste text',
    description: 'Pastes text into the program as a terminal does: wrapped in bracketed-paste markers when the program ' +
      'asked for them (mode 2004: shells, vim, most editors and REPLs), so it is taken as one literal paste — newlines ' +
      'do not run commands one by one, editors do not auto-indent it — and typed as is otherwise. Use it for multi-line ' +
      'text into an editor or REPL; use send_text to type. Next: wait_for, then read_screen.',
    inputSchema: {
      session_id: sessionId,
      text: z.string().max(1_000_000).describe('the text to paste (newlines as "\\n" or "\\r")'),
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  }, (a) => run(async () => {
    const r = await backend.input(a.session_id, { paste: a.text });
    return text(`Pasted ${r.bytes} bytes.`, r);
  }));

  server.registerTool('mouse_click', {
    title: 'Click at a cell',
    description: 'Clicks the mouse at a screen cell (0-based row and column, as read_screen numbers lines from 0): a press ' +
      'and a release, encoded as the program asked (X10, SGR, ...). Only for programs that turned mouse reporting on ' +
      '(htop, mc, vim with mouse=a, many TUIs); otherwise a tool error TP_MOUSE_OFF and nothing is sent. button wheelUp / ' +
      'wheelDown scrolls instead. Next: wait_for, then read_screen.',
    inputSchema: {
      session_id: sessionId,
      row: Cell.describe('0-based screen row'),
      col: Cell.describe('0-based column'),
      button: z.enum(['left', 'middle', 'right', 'wheelUp', 'wheelDown']).optional().describe('default left'),
      shift: z.boolean().optional(),
      alt: z.boolean().optional(),
      ctrl: z.boolean().optional(),
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  }, (a) => run(async () => {
    const button = a.button ?? 'left';
    const mods = { ...(a.shift !== undefined && { shift: a.shift }), ...(a.alt !== undefined && { alt: a.alt }), ...(a.ctrl !== undefined && { ctrl: a.ctrl }) };
    const at = { row: a.row, col: a.col, ...mods };
    let bytes: number;
    if (button === 'wheelUp' || button === 'wheelDown') {
      bytes = (await backend.input(a.session_id, { mouse: { action: 'scroll', button, ...at } })).bytes;
    } else {
      bytes = (await backend.input(a.session_id, { mouse: { action: 'press', button, ...at } })).bytes;
      bytes += (await backend.input(a.session_id, { mouse: { action: 'release', button, ...at } })).bytes;
    }
    return text(`${button === 'wheelUp' || button === 'wheelDown' ? 'Scrolled' : `Clicked ${button}`} at row ${a.row}, column ${a.col} (${bytes} bytes).`, { bytes });
  }));

  server.registerTool('send_signal', {
    title: 'Send a signal',
    description: 'Sends a signal to the program in the foreground of the terminal — the process group Ctrl-C would reach: ' +
      'the command a shell is running, or the shell itself at its prompt. SIGINT interrupts (like send_keys ["C-c"], but ' +
      'also when the program has the terminal in raw mode), SIGTERM asks it to end, SIGKILL ends it at once, SIGTSTP/SIGCONT ' +
      'stop and resume it, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2, SIGWINCH. Returns the process group signalled. To end the ' +
      'whole session use kill_session. Next: wait_for (e.g. the prompt, or exit: true), then read_screen.',
    inputSchema: {
      session_id: sessionId,
      signal: z.enum(SESSION_SIGNALS).describe('the signal name, e.g. "SIGINT"'),
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  }, (a) => run(async () => {
    const r = await backend.signal(a.session_id, a.signal);
    return text(`Sent ${r.signal} to process group ${r.processGroup}${r.foreground ? ' (the foreground group)' : ' (the session leader\'s group: no foreground group)'}.`,
      { signal: r.signal, processGroup: r.processGroup, foreground: r.foreground });
  }));
}
