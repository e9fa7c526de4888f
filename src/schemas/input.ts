/** Input body: exactly one of text, keys, paste, mouse. */
import { z } from 'zod';

export const MouseEvent = z
  .object({
    action: z.enum(['press', 'release', 'move', 'scroll']),
    button: z
      .enum(['left', 'middle', 'right', 'wheelUp', 'wheelDown', 'wheelLeft', 'wheelRight', 'back', 'forward'])
      .optional()
      .describe('required for press/release/scroll; for move, the button held'),
    row: z.number().int().min(0).max(65535).describe('0-based cell row'),
    col: z.number().int().min(0).max(65535).describe('0-based cell column'),
    shift: z.boolean().optional(),
    alt: z.boolean().optional(),
    ctrl: z.boolean().optional(),
  })
  .strict()
  .meta({ id: 'MouseEvent' });

/** The longest key name accepted (without `literal`, where items may be text). */
const KEY_NAME_MAX = 64;

/**
 * The rules `literal` brings, shared by POST /input and the WebSocket input message: it goes with
 * keys, and without it items are key names, which are short (only literal text items may be long).
 */
export function checkLiteralKeys(b: { keys?: string[] | undefined; literal?: boolean | undefined }, ctx: z.RefinementCtx): void {
  if (b.literal !== undefined && b.keys === undefined) ctx.addIssue({ code: 'custom', path: ['literal'], message: 'literal goes with keys' });
  if (b.literal === true || b.keys === undefined) return;
  const i = b.keys.findIndex((k) => k.length > KEY_NAME_MAX);
  if (i >= 0) ctx.addIssue({ code: 'custom', path: ['keys', i], message: `a key name is at most ${KEY_NAME_MAX} characters (text items need literal: true)` });
}

export const InputBody = z
  .object({
    text: z.string().max(1_000_000).optional().describe('written as is (UTF-8); "\\r" is Enter'),
    keys: z
      .array(z.string().min(1).max(65536))
      .min(1)
      .max(10_000)
      .optional()
      .describe('key names encoded for the current modes: tmux-style (Enter, C-c, M-x, Up, F5, S-Tab, ...) or ' +
        'Playwright-style (ArrowUp, Control+c, Shift+Tab, Alt+x, Control+Shift+ArrowUp; Meta+ is Alt); a single character ' +
        'is itself. An unknown name is 400 TP_BAD_KEY naming it, unless literal: true'),
    literal: z.boolean().optional().describe(
      'with keys: an item that is not a key name is typed as text (as ht does: ["exit 123", "Enter"]); key names stay keys'),
    paste: z.string().max(1_000_000).optional().describe('pasted text: bracketed when the program enabled mode 2004'),
    mouse: MouseEvent.optional().describe('a mouse event; 409 unless the program enabled mouse tracking'),
  })
  .strict()
  .refine((b) => [b.text, b.keys, b.paste, b.mouse].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of text, keys, paste, mouse',
  })
  .superRefine(checkLiteralKeys)
  .meta({ id: 'Input' });

export const InputResult = z
  .object({ bytes: z.number().int().describe('bytes written to the program') })
  .meta({ id: 'InputResult' });
