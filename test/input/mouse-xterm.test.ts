/**
 * Differential check of the mouse encoder against xterm.js (@xterm/headless), whose
 * CoreMouseService implements the same xterm protocols (X10/1000/1002/1003 × default/SGR).
 * The remaining encodings (utf8, urxvt, sgr-pixels) and default-encoding coordinates past 223
 * (xterm.js drops them, xterm clamps to 0x00) are covered by concrete bytes in mouse.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { encodeMouse, type MouseButton, type MouseInput, type MouseTrackingName } from '../../src/input/index.js';
import { createXterm } from '../helpers/xterm-oracle.js';

/** xterm.js internals (CoreMouseButton / CoreMouseAction numbering). */
interface XtermMouseEvent { col: number; row: number; x: number; y: number; button: number; action: number; ctrl: boolean; alt: boolean; shift: boolean }
interface CoreMouseService { triggerMouseEvent(e: XtermMouseEvent): boolean; _lastEvent: unknown }

const XBUTTON: Partial<Record<MouseButton, number>> = { left: 0, middle: 1, right: 2 };
const DECSET: Record<Exclude<MouseTrackingName, 'none'>, number> = { x10: 9, normal: 1000, button: 1002, any: 1003 };

function toXterm(ev: MouseInput): XtermMouseEvent {
  const base = { col: ev.col, row: ev.row, x: 0, y: 0, ctrl: !!ev.ctrl, alt: !!ev.alt, shift: !!ev.shift };
  switch (ev.action) {
    case 'press': return { ...base, button: XBUTTON[ev.button!]!, action: 1 };
    case 'release': return { ...base, button: XBUTTON[ev.button!]!, action: 0 };
    case 'move': return { ...base, button: ev.button ? XBUTTON[ev.button]! : 3, action: 32 };
    case 'scroll': return { ...base, button: 4, action: ev.button === 'wheelUp' ? 0 : 1 };
  }
}

const events: MouseInput[] = [];
for (const [row, col] of [[0, 0], [4, 9], [23, 79], [10, 94], [20, 95], [2, 200]] as const) {
  for (const mods of [{}, { shift: true }, { alt: true }, { ctrl: true }, { shift: true, alt: true, ctrl: true }]) {
    for (const button of ['left', 'middle', 'right'] as const) {
      events.push({ action: 'press', button, row, col, ...mods });
      events.push({ action: 'release', button, row, col, ...mods });
      events.push({ action: 'move', button, row, col, ...mods });
    }
    events.push({ action: 'move', row, col, ...mods });
    events.push({ action: 'scroll', button: 'wheelUp', row, col, ...mods });
    events.push({ action: 'scroll', button: 'wheelDown', row, col, ...mods });
  }
}

/** 6 cells × 5 modifier sets × (9 button events + move + 2 wheels) = 360 events. */
const EXPECTED_REPORTS: Record<keyof typeof DECSET, number> = { x10: 90, normal: 240, button: 330, any: 360 };

describe('mouse: agrees with xterm.js', () => {
  for (const tracking of Object.keys(DECSET) as Array<keyof typeof DECSET>) {
    for (const encoding of ['default', 'sgr'] as const) {
      it(`${tracking} × ${encoding}: ${events.length} events`, async () => {
        const term = createXterm(240, 30, 0);
        await new Promise<void>((done) => term.write(`\x1b[?${DECSET[tracking]}h${encoding === 'sgr' ? '\x1b[?1006h' : ''}`, done));
        let got = '';
        let reported = 0;
        term.onData((d) => { got += d; });
        term.onBinary((d) => { got += d; });
        const svc = (term as unknown as { _core: { coreMouseService: CoreMouseService } })._core.coreMouseService;
        for (const ev of events) {
          got = '';
          svc._lastEvent = null; // xterm.js drops a repeated motion in the same cell; we are stateless
          svc.triggerMouseEvent(toXterm(ev));
          const ours = encodeMouse(ev, { mouseTracking: tracking, mouseEncoding: encoding }).toString('latin1');
          expect({ ev, bytes: ours }).toEqual({ ev, bytes: got });
          if (ours !== '') reported++;
        }
        // Not a vacuous agreement: X10 reports the 90 plain presses, 'any' reports everything.
        expect(reported).toBe(EXPECTED_REPORTS[tracking]);
        term.dispose();
      });
    }
  }
});
