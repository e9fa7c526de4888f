/**
 * AttachFilter alone: each hostile sequence is dropped while the text and SGR around it pass,
 * drawing sequences pass unchanged, and the result is the same however the output is cut into
 * chunks (every split point of the whole hostile stream). The real-pty test is in attach.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { AttachFilter } from '../../src/cli/attach-filter.js';
import { HOSTILE, SAFE } from './hostile-output.js';

describe('AttachFilter', () => {
  it('drops every hostile sequence and keeps the text and colours around it', () => {
    for (const [name, seq] of HOSTILE) {
      const f = new AttachFilter();
      const out = f.write(`before \x1b[31mred${seq}after\x1b[0m end`);
      expect(out, name).toBe('before \x1b[31mredafter\x1b[0m end');
      // APC/PM/SOS strings never reach a handler: the parser swallows them; the rest are counted.
      if (!['APC', 'PM', 'SOS'].includes(name)) expect(f.dropped, name).toBeGreaterThan(0);
    }
  });

  it('passes drawing sequences through unchanged', () => {
    for (const [name, seq] of SAFE) expect(new AttachFilter().write(seq), name).toBe(seq);
  });

  it('keeps only the allowed modes of a mixed SM/DECSET; RIS becomes a soft reset and a clear', () => {
    const f = new AttachFilter();
    expect(f.write('\x1b[?3;25;2048h')).toBe('\x1b[?25h'); // DECCOLM and in-band resize reports go
    expect(f.write('\x1b[2;4h')).toBe('\x1b[4h'); // KAM would lock the keyboard
    expect(f.write('\x1bc')).toBe('\x1b[!p\x1b[H\x1b[2J');
    expect(f.write('\x9b6n\x9d52;c;QQ==\x9c\x84')).toBe('\x1bD'); // 8-bit C1 CSI/OSC recognised too
  });

  it('gives the same bytes however the stream is split (sequences straddling chunks)', () => {
    const all = HOSTILE.map(([, s], i) => `t${i} \x1b[1;3${i % 8}m${s}é漢\x1b[m`).join('\r\n');
    const whole = new AttachFilter().write(all);
    expect(whole).not.toMatch(/\x1b\]52|\x1bP|\x1b\[6n/);
    const bytes = Buffer.from(all, 'utf8');
    for (let cut = 1; cut < bytes.length; cut++) {
      const f = new AttachFilter();
      // A string cut mid-character is what a byte split looks like once decoded; cut bytes-wise instead.
      const out = f.writeBytes(bytes.subarray(0, cut)) + f.writeBytes(bytes.subarray(cut));
      if (out !== whole) expect(out, `cut at byte ${cut}`).toBe(whole);
    }
  });
});
