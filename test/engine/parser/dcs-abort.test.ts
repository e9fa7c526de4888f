/**
 * A DCS ended by CAN or SUB is reported as aborted (xterm acts on nothing of it: no DECRQSS or
 * XTGETTCAP answer); ST, 8-bit ST and ESC followed by something else end it normally.
 */
import { describe, expect, it } from 'vitest';
import { Parser } from '../../../src/engine/parser/parser.js';
import { Recorder } from './recorder.js';

function events(bytes: string): string[] {
  const r = new Recorder();
  new Parser(r).parse(Buffer.from(bytes, 'utf8'));
  return r.events.filter((e) => e.startsWith('unhook'));
}

describe('Parser: DCS end', () => {
  it.each([
    ['ST', '\x1bP$qm\x1b\\', 'unhook'],
    ['8-bit ST', '\x1bP$qm\u009c', 'unhook'],
    ['CAN', '\x1bP$qm\x18', 'unhook aborted'],
    ['SUB', '\x1bP$qm\x1a', 'unhook aborted'],
  ])('%s', (_name, bytes, end) => {
    expect(events(bytes)).toEqual([end]);
  });
});
