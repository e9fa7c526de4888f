import { describe, it, expect } from 'vitest';
import {
  TRANSITION_TABLE,
  NUM_STATES,
  NUM_CLASSES,
  CLASS_NON_ASCII,
  TRANSITION,
  S_GROUND,
  S_ESCAPE,
  S_CSI_ENTRY,
  S_CSI_PARAM,
  S_CSI_IGNORE,
  S_OSC_STRING,
  S_DCS_ENTRY,
  S_DCS_PASSTHROUGH,
  S_SOS_PM_APC_STRING,
  A_PRINT,
  A_EXECUTE,
  A_PARAM,
  A_PREFIX,
  A_CSI_DISPATCH,
  A_OSC_PUT,
  A_DCS_PUT,
  A_IGNORE,
} from '../../../src/engine/parser/table.js';

const entry = (state: number, code: number): { next: number; action: number; transition: boolean } => {
  const t = TRANSITION_TABLE[state * NUM_CLASSES + code]!;
  return { next: t & 0xf, action: (t >> 4) & 0xf, transition: (t & TRANSITION) !== 0 };
};

describe('table: shape', () => {
  it('has one entry per state and class, all pointing at real states', () => {
    expect(TRANSITION_TABLE.length).toBe(NUM_STATES * NUM_CLASSES);
    for (const t of TRANSITION_TABLE) expect(t & 0xf).toBeLessThan(NUM_STATES);
  });
  it('in-state entries never carry TRANSITION except the vt100.net anywhere re-entries', () => {
    for (let s = 0; s < NUM_STATES; s++) {
      for (let c = 0; c < NUM_CLASSES; c++) {
        const e = entry(s, c);
        const anywhere = [0x18, 0x1a, 0x1b, 0x90, 0x9b, 0x9c, 0x9d, 0x98, 0x9e, 0x9f].includes(c) || (c >= 0x80 && c <= 0x9f);
        if (e.next !== s) expect(e.transition, `state ${s} code ${c}`).toBe(true);
        else if (!anywhere) expect(e.transition, `state ${s} code ${c}`).toBe(false);
      }
    }
  });
});

describe('table: vt100.net transitions', () => {
  it('anywhere: ESC → escape, CAN → execute+ground, CSI/OSC/DCS/ST C1 from every state', () => {
    for (let s = 0; s < NUM_STATES; s++) {
      expect(entry(s, 0x1b)).toEqual({ next: S_ESCAPE, action: A_IGNORE, transition: true });
      expect(entry(s, 0x18)).toEqual({ next: S_GROUND, action: A_EXECUTE, transition: true });
      expect(entry(s, 0x9b).next).toBe(S_CSI_ENTRY);
      expect(entry(s, 0x9d).next).toBe(S_OSC_STRING);
      expect(entry(s, 0x90).next).toBe(S_DCS_ENTRY);
      expect(entry(s, 0x9c).next).toBe(S_GROUND);
      expect(entry(s, 0x9f).next).toBe(S_SOS_PM_APC_STRING);
      expect(entry(s, 0x85)).toEqual({ next: S_GROUND, action: A_EXECUTE, transition: true });
    }
  });
  it('ground prints 0x20..0x7e and non-ASCII, ignores DEL', () => {
    for (let c = 0x20; c <= 0x7e; c++) expect(entry(S_GROUND, c).action).toBe(A_PRINT);
    expect(entry(S_GROUND, CLASS_NON_ASCII).action).toBe(A_PRINT);
    expect(entry(S_GROUND, 0x7f).action).toBe(A_IGNORE);
  });
  it('csi_entry: params (incl. colon), private markers, finals', () => {
    expect(entry(S_CSI_ENTRY, 0x3a)).toEqual({ next: S_CSI_PARAM, action: A_PARAM, transition: true });
    expect(entry(S_CSI_ENTRY, 0x3f)).toEqual({ next: S_CSI_PARAM, action: A_PREFIX, transition: true });
    expect(entry(S_CSI_ENTRY, 0x6d)).toEqual({ next: S_GROUND, action: A_CSI_DISPATCH, transition: true });
    expect(entry(S_CSI_PARAM, 0x3f).next).toBe(S_CSI_IGNORE);
  });
  it('strings: OSC puts and ends on BEL; DCS passthrough puts C0; SOS/PM/APC ignore', () => {
    expect(entry(S_OSC_STRING, 0x41).action).toBe(A_OSC_PUT);
    expect(entry(S_OSC_STRING, 0x07).next).toBe(S_GROUND);
    expect(entry(S_OSC_STRING, 0x0a)).toEqual({ next: S_OSC_STRING, action: A_IGNORE, transition: false });
    expect(entry(S_DCS_PASSTHROUGH, 0x0a).action).toBe(A_DCS_PUT);
    expect(entry(S_DCS_PASSTHROUGH, 0x7f).action).toBe(A_IGNORE);
    expect(entry(S_SOS_PM_APC_STRING, 0x07)).toEqual({ next: S_SOS_PM_APC_STRING, action: A_IGNORE, transition: false });
  });
});
