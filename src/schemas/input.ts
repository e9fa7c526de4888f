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

export const InputBody = z
  .object({
    text: z.string().max(1_000_000).optional().describe('written as is (UTF-8); "\\r" is Enter'),
    keys: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(10_000)
      .optional()
      .describe('tmux-style key names (Enter, C-c, M-x, Up, F5, S-Tab, ...) encoded for the current modes'),
    paste: z.string().max(1_000_000).optional().describe('pasted text: bracketed when the program enabled mode 2004'),
    mouse: MouseEvent.optional().describe('a mouse event; 409 unless the program enabled mouse tracking'),
  })
  .strict()
  .refine((b) => [b.text, b.keys, b.paste, b.mouse].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of text, keys, paste, mouse',
  })
  .meta({ id: 'Input' });

export const InputResult = z
  .object({ bytes: z.number().int().describe('bytes written to the program') })
  .meta({ id: 'InputResult' });
