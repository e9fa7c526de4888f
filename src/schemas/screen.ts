/** Screen snapshot, scrollback and wait schemas (the JSON forms of src/engine snapshots). */
import { z } from 'zod';
import { SessionInfo } from './sessions.js';
import { CommandInfo } from './commands.js';

const Color = z.union([z.null(), z.number().int(), z.string()]).describe('null = default, number = palette index, "#rrggbb"');

const Style = z
  .object({
    fg: Color, bg: Color, underlineColor: Color,
    bold: z.literal(true).optional(), faint: z.literal(true).optional(), italic: z.literal(true).optional(),
    blink: z.literal(true).optional(), inverse: z.literal(true).optional(), invisible: z.literal(true).optional(),
    strikethrough: z.literal(true).optional(), overline: z.literal(true).optional(),
    underline: z.string().optional(),
  })
  .meta({ id: 'Style' });

const Cell = z
  .object({
    text: z.string(),
    width: z.union([z.literal(0), z.literal(1), z.literal(2)]),
    style: z.number().int().describe('index into styles'),
    link: z.number().int().min(0).optional().describe('index into links, when the cell is part of an OSC 8 hyperlink'),
  })
  .meta({ id: 'Cell' });

const Line = z
  .object({
    text: z.string(),
    wrapped: z.boolean(),
    cells: z.array(Cell),
    size: z.enum(['double-width', 'double-height-top', 'double-height-bottom']).optional()
      .describe('DECDWL/DECDHL line size (absent: single width); the row holds cols/2 columns'),
  })
  .meta({ id: 'Line' });

export const ScreenSnapshot = z
  .object({
    cols: z.number().int(),
    rows: z.number().int(),
    title: z.string(),
    cursor: z.object({ row: z.number().int(), col: z.number().int(), visible: z.boolean(), shape: z.number().int() }),
    modes: z.object({
      alternateScreen: z.boolean(), applicationCursorKeys: z.boolean(), applicationKeypad: z.boolean(),
      bracketedPaste: z.boolean(), mouseTracking: z.string(), mouseEncoding: z.string(), focusEvents: z.boolean(),
      synchronizedOutput: z.boolean(), originMode: z.boolean(), autowrap: z.boolean(), insertMode: z.boolean(),
      reverseVideo: z.boolean(), cursorVisible: z.boolean(),
    }),
    styles: z.array(Style),
    links: z.array(z.string()).describe('hyperlink URIs (OSC 8) the cells refer to, each once'),
    lines: z.array(Line).describe('scrollback lines first (when asked for), then exactly `rows` screen lines'),
  })
  .meta({ id: 'ScreenSnapshot' });

export const ScreenFormats = ['text', 'json', 'ansi', 'html', 'svg', 'png'] as const;

export const ScreenQuery = z
  .object({
    format: z.enum(ScreenFormats).default('text'),
    scrollback: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('lines above the screen to include'),
    since: z.string().min(1).max(512).optional().describe(
      'an ETag from an earlier answer (format text or json, no scrollback): answer a ScreenDelta with only the rows that ' +
      'changed since; a tag no longer remembered gives every row with full: true'),
  })
  .strict()
  .refine((q) => q.since === undefined || ((q.format === 'text' || q.format === 'json') && q.scrollback === 0), {
    message: 'since works with format text or json and no scrollback', path: ['since'],
  });

const DeltaLine = z.object({
  row: z.number().int().describe('0-based screen row'),
  text: z.string().describe('the row right-trimmed'),
  wrapped: z.boolean().optional().describe('json: the row continues on the next'),
  cells: z.array(Cell).optional().describe('json: the cells, style and link indexing this answer\'s styles and links'),
});

export const ScreenDelta = z
  .object({
    etag: z.string().describe('this screen\'s ETag: pass it as since next time'),
    since: z.string().describe('the since asked for'),
    full: z.boolean().describe('true: since was unknown, no longer remembered, or the size changed, so every row is in lines'),
    cols: z.number().int(),
    rows: z.number().int(),
    title: z.string(),
    cursor: z.object({ row: z.number().int(), col: z.number().int(), visible: z.boolean(), shape: z.number().int() }),
    lines: z.array(DeltaLine).describe('the rows that differ from the since version (text; for json also styles and links), top to bottom; unchanged rows are absent'),
    styles: z.array(Style).optional().describe('json: the styles the cells use'),
    links: z.array(z.string()).optional().describe('json: the hyperlinks the cells use'),
  })
  .meta({ id: 'ScreenDelta' });

export const ScrollbackQuery = z
  .object({
    start: z.coerce.number().int().min(0).default(0).describe('first line, 0 = oldest kept'),
    count: z.coerce.number().int().min(0).max(100_000).default(1000),
    q: z.string().min(1).max(1024).optional().describe('search scrollback and screen for this text (case-sensitive)'),
    regex: z.string().min(1).max(4096).optional()
      .describe('search scrollback and screen with this regular expression (JavaScript, flag m) instead: a line matches at its first match; one that spans lines is reported at the line it starts on'),
    limit: z.coerce.number().int().min(1).max(10_000).default(1000).describe('most matches returned by a search'),
  })
  .strict()
  .refine((q) => q.q === undefined || q.regex === undefined, { message: 'give q or regex, not both', path: ['regex'] });

export const ScrollbackRange = z
  .object({
    start: z.number().int(),
    total: z.number().int().describe('scrollback lines kept'),
    lines: z.array(z.string()),
  })
  .meta({ id: 'ScrollbackRange' });

export const ScrollbackSearch = z
  .object({
    query: z.string().describe('the text, or the regex source'),
    kind: z.enum(['text', 'regex']),
    total: z.number().int().describe('lines searched: scrollback then screen'),
    scrollbackLength: z.number().int().describe('lines numbered from here on are screen rows'),
    truncated: z.boolean(),
    matches: z.array(
      z.object({
        line: z.number().int().describe('0 = oldest scrollback line; scrollbackLength + r = screen row r'),
        column: z.number().int().describe('index of the match in the text'),
        text: z.string().describe('the whole line'),
      }),
    ),
  })
  .meta({ id: 'ScrollbackSearch' });

/** Text or a regex, one of the two: what `absent` and `title` look for (a string alone is text). */
const Sought = (what: string, textMax: number, textMin: number) => z.union([
  z.string().min(textMin).max(textMax),
  z.object({
    text: z.string().min(textMin).max(textMax).optional(),
    regex: z.string().min(1).max(4096).optional().describe('a regular expression (JavaScript, flag m)'),
  }).strict().refine((o) => (o.text === undefined) !== (o.regex === undefined), { message: `give text or regex for ${what}, one of the two` }),
]);

/** A colour as the JSON screen format writes it, or a name (src/sessions/wait-request.ts, 400 naming the field when unknown). */
const WaitColor = z.union([z.null(), z.number().int().min(0).max(255), z.string().min(1).max(32)])
  .describe('null or "default" = the default colour, 0–255 = a palette index, "#rrggbb", or a name: black, red, green, yellow, ' +
    'blue, magenta, cyan, white, brightBlack … brightWhite (= 0–15). Compared in the JSON format\'s notation: palette 1 is not "#cd0000"');

const Coord = z.number().int().min(0).max(65535);

export const CellWait = z
  .object({
    row: Coord.describe('0-based screen row (400 when outside the screen at the request)'),
    col: Coord.describe('0-based column (400 when outside the screen at the request)'),
    text: z.string().min(1).max(64).optional().describe('the grapheme in the cell; " " also matches a never-written cell'),
    inverse: z.boolean().optional().describe('reverse video (SGR 7) set, or (false) not'),
    bold: z.boolean().optional(),
    italic: z.boolean().optional(),
    underline: z.union([z.boolean(), z.enum(['single', 'double', 'curly', 'dotted', 'dashed'])]).optional()
      .describe('true = any underline, a style name = that style, false = none'),
    fg: WaitColor.optional().describe('the foreground colour set by SGR (not swapped by inverse)'),
    bg: WaitColor.optional().describe('the background colour set by SGR (not swapped by inverse)'),
  })
  .strict()
  .meta({ id: 'CellWait' });

export const WaitBody = z
  .object({
    text: z.string().min(1).max(65536).optional().describe('satisfied when the screen contains this text'),
    regex: z.string().min(1).max(4096).optional().describe('satisfied when this regular expression (flag m) matches the screen lines joined by \\n'),
    stableMs: z.number().int().min(1).max(600_000).optional().describe('satisfied when there was no output for this long'),
    exit: z.boolean().optional().describe('satisfied when the program has exited'),
    absent: Sought('absent', 65536, 1).optional().describe(
      'satisfied while the visible screen (never the scrollback) does not show this text (a string, or {text}) or regex ({regex}): ' +
      'a spinner or a dialog gone. Satisfied at once when it was never there'),
    title: Sought('title', 4096, 0).optional().describe(
      'satisfied when the window title (OSC 0/2) is exactly this string (or {text}), or matches {regex}'),
    cursor: z.object({ row: Coord.optional(), col: Coord.optional() }).strict()
      .refine((c) => c.row !== undefined || c.col !== undefined, { message: 'give cursor.row, cursor.col or both' })
      .optional().describe('satisfied when the cursor is at this 0-based row and/or column (400 when outside the screen at the request)'),
    cell: CellWait.optional().describe('satisfied when the cell at row, col shows all of the given text and style'),
    trim: z.boolean().optional().describe(
      'false: text, regex and absent match every row at its full width, trailing blanks as spaces. Default: right-trimmed rows, ' +
      'except that a one-line text ending in a space (a prompt such as "$ ") is matched at full width; not with scrollback'),
    scrollback: z.boolean().optional().describe(
      'text/regex also match in the scrollback: lines already there when the wait begins and lines that scroll off while it waits, ' +
      'so output that scrolls past between two checks is not missed; a match then holds for the rest of the wait, even once ' +
      'scrolled away or pruned (default: the screen only, and a match must still be there)'),
    command: z.literal('finished').optional().describe(
      'shell integration: satisfied when a command finishes (OSC 133 D) — the one running now, else the next one; 409 ' +
      'NO_SHELL_INTEGRATION without integration. The result names the command'),
    afterCommand: z.number().int().min(0).optional().describe(
      'with command: satisfied by any command with an id above this one that has finished (already or later), so a command ' +
      'that ends before the wait arrives is not missed: pass the last id GET /commands gave before typing'),
    timeoutMs: z.number().int().min(0).max(600_000).default(10_000),
  })
  .strict()
  .refine((b) => b.text !== undefined || b.regex !== undefined || b.stableMs !== undefined || b.exit === true || b.command !== undefined ||
    b.absent !== undefined || b.title !== undefined || b.cursor !== undefined || b.cell !== undefined, {
    message: 'give at least one of text, regex, absent, title, cursor, cell, stableMs, exit: true, command: "finished"',
  })
  .refine((b) => b.trim !== false || b.scrollback !== true, { message: 'trim: false matches the screen only: not with scrollback', path: ['trim'] })
  .refine((b) => b.afterCommand === undefined || b.command !== undefined, { message: 'afterCommand goes with command: "finished"', path: ['afterCommand'] })
  // Both would leave one unchecked (findOnScreen looks for one); the text can go into the regex.
  .refine((b) => b.text === undefined || b.regex === undefined, { message: 'give text or regex, not both', path: ['regex'] })
  .meta({ id: 'Wait' });

export const WaitResult = z
  .object({
    satisfied: z.boolean(),
    reason: z.enum(['matched', 'timeout', 'exited']).describe('exited: the program ended and the condition can no longer hold'),
    elapsedMs: z.number().int(),
    match: z
      .object({
        row: z.number().int().describe('screen row; with scrollback: true, a scrollback line is < 0 (-1 = the newest)'),
        column: z.number().int(),
        text: z.string(),
        line: z.number().int().optional()
          .describe('with scrollback: true: the line as GET /scrollback numbers it when matched (0 = oldest kept, scrollbackLength + r = screen row r)'),
      })
      .nullable()
      .describe('where text/regex matched (row, column, matched text)'),
    lines: z.array(z.string()).describe('the screen that satisfied the condition (or the last one)'),
    failing: z.array(z.enum(['text', 'regex', 'absent', 'title', 'cursor', 'cell', 'stableMs', 'exit', 'command', 'prompt']))
      .describe('the conditions that did not hold at the last check: empty when satisfied'),
    command: CommandInfo.nullable().optional().describe('with command: "finished": the command that finished (null when none did)'),
    session: SessionInfo,
  })
  .meta({ id: 'WaitResult' });
