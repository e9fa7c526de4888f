/**
 * The WebSocket protocol of GET /v1/sessions/{id}/ws: JSON text frames, one message each.
 * Client messages are validated with these schemas; server messages are documented by them
 * (both appear as components in openapi.yaml).
 */
import { z } from 'zod';
import { InputBody, MouseEvent, checkLiteralKeys } from './input.js';
import { ResizeBody } from './sessions.js';
import { CommandInfo } from './commands.js';

const oneInput = (b: { text?: unknown; keys?: unknown; paste?: unknown; mouse?: unknown }): boolean =>
  [b.text, b.keys, b.paste, b.mouse].filter((v) => v !== undefined).length === 1;

export const WsInputMessage = z
  .object({
    type: z.literal('input'),
    text: InputBody.shape.text,
    keys: InputBody.shape.keys,
    literal: InputBody.shape.literal,
    paste: InputBody.shape.paste,
    mouse: MouseEvent.optional().describe('a mouse event; an error message unless the program enabled mouse tracking'),
  })
  .strict()
  .refine(oneInput, { message: 'give exactly one of text, keys, paste, mouse' })
  .superRefine(checkLiteralKeys)
  .describe('like POST /v1/sessions/{id}/input (`literal` with keys types items that are not key names as text)')
  .meta({ id: 'WsInputMessage' });

export const WsResizeMessage = z
  .object({ type: z.literal('resize'), cols: ResizeBody.shape.cols, rows: ResizeBody.shape.rows })
  .strict()
  .describe('like POST /v1/sessions/{id}/resize')
  .meta({ id: 'WsResizeMessage' });

export const WsClientMessage = z
  .discriminatedUnion('type', [WsInputMessage, WsResizeMessage])
  .meta({ id: 'WsClientMessage', description: 'What a client sends: JSON text frames (binary frames are refused with an error message)' });

export const WsOutputMessage = z
  .object({
    type: z.literal('output'),
    data: z.string().describe('bytes the program wrote, decoded as UTF-8 (a character split across reads is sent whole, with the later frame)'),
  })
  .meta({ id: 'WsOutputMessage' });

export const WsScreenMessage = z
  .object({
    type: z.literal('screen'),
    cols: z.number().int(),
    rows: z.number().int(),
    lines: z.array(z.string()).describe('exactly `rows` right-trimmed lines, as GET /screen?format=text'),
    cursor: z.object({ row: z.number().int(), col: z.number().int(), visible: z.boolean() }),
    title: z.string(),
    alternateScreen: z.boolean(),
    html: z.array(z.string()).optional()
      .describe('format=html only: each line\'s inner HTML as GET /screen?format=html draws it (escaped text in styled spans, `.w` wide chars, `.cursor`)'),
    fg: z.string().optional().describe('format=html only: default foreground, #rrggbb'),
    bg: z.string().optional().describe('format=html only: default background, #rrggbb'),
    scrollbackLength: z.number().int().optional().describe('format=html only: scrollback lines kept (GET /scrollback pages through them)'),
  })
  .describe('the screen as served (the last complete frame during mode 2026); sent on connect, then when it changed, at most every 50 ms')
  .meta({ id: 'WsScreenMessage' });

export const WsExitMessage = z
  .object({ type: z.literal('exit'), exitCode: z.number().int().nullable(), signal: z.string().nullable() })
  .describe('the program exited; the socket stays open (screen readable) until the session is deleted or reaped')
  .meta({ id: 'WsExitMessage' });

export const WsCommandMessage = z
  .object({
    type: z.literal('command'),
    event: z.enum(['start', 'finish']).describe('start: the shell ran a command (OSC 133 C); finish: it ended (D), with its exit code'),
    command: CommandInfo.describe('the command as known when the message was sent (a command that ended in the same output already shows its end)'),
  })
  .describe('shell integration only: a command started or finished; sent after the output that said so, never dropped')
  .meta({ id: 'WsCommandMessage' });

export const WsDroppedMessage = z
  .object({ type: z.literal('dropped'), bytes: z.number().int().describe('output bytes this viewer did not get') })
  .describe('this viewer fell behind (over 1 MiB unsent) and output was skipped; a screen message follows')
  .meta({ id: 'WsDroppedMessage' });

export const WsErrorMessage = z
  .object({
    type: z.literal('error'),
    error: z.string().describe('the same codes as HTTP errors: VALIDATION, TP_BAD_KEY, TP_MOUSE_OFF, SESSION_EXITED, BAD_SIZE, ...'),
    message: z.string(),
    details: z.unknown().optional(),
  })
  .describe('a client message was refused; the socket stays open')
  .meta({ id: 'WsErrorMessage' });

export const WsQuery = z
  .object({
    format: z.enum(['text', 'html']).default('text')
      .describe('what screen messages carry: text lines, or also each line rendered as HTML (the web viewer)'),
  })
  .strict();

export const WsServerMessage = z
  .discriminatedUnion('type', [WsOutputMessage, WsScreenMessage, WsExitMessage, WsCommandMessage, WsDroppedMessage, WsErrorMessage])
  .meta({ id: 'WsServerMessage', description: 'What the server sends: JSON text frames' });

export type WsServerMessage = z.infer<typeof WsServerMessage>;
export type WsScreen = z.infer<typeof WsScreenMessage>;
