import { describe, expect, it } from 'vitest';
import { encodePaste, stripPasteMarkers } from '../../src/input/index.js';

const START = '\x1b[200~';
const END = '\x1b[201~';

describe('paste: without bracketing', () => {
  it.each([
    ['hello', 'hello'],
    ['', ''],
    ['a\nb', 'a\rb'],
    ['a\r\nb', 'a\rb'],
    ['a\rb', 'a\rb'],
    ['a\n\nb\n', 'a\r\rb\r'],
    ['a\r\r\nb', 'a\r\rb'],
    ['tab\there', 'tab\there'],
    ['ünïcødé 字 😀', 'ünïcødé 字 😀'],
    ['\x03 stays', '\x03 stays'],
  ])('%j → %j', (text, bytes) => {
    expect(encodePaste(text, false)).toBe(bytes);
  });
});

describe('paste: bracketed (?2004)', () => {
  it.each([
    ['hello', `${START}hello${END}`],
    ['', `${START}${END}`],
    ['line1\nline2\n', `${START}line1\rline2\r${END}`],
    ['a\r\nb', `${START}a\rb${END}`],
  ])('%j → %j', (text, bytes) => {
    expect(encodePaste(text, true)).toBe(bytes);
  });
});

describe('paste: a paste cannot end its bracket early', () => {
  it('drops an embedded end marker', () => {
    expect(encodePaste(`ok${END}rm -rf ~\n`, true)).toBe(`${START}okrm -rf ~\r${END}`);
  });

  it('drops embedded start markers too', () => {
    expect(encodePaste(`a${START}b`, true)).toBe(`${START}ab${END}`);
  });

  it('drops the 8-bit C1 CSI form', () => {
    expect(encodePaste('a\u009b201~b', true)).toBe(`${START}ab${END}`);
  });

  it('drops markers that removing another one splices together', () => {
    expect(encodePaste(`x\x1b[20${END}1~y`, true)).toBe(`${START}xy${END}`);
    expect(encodePaste(`\x1b[2\x1b[20\x1b[201~1~01~`, true)).toBe(`${START}${END}`);
    expect(stripPasteMarkers(`\x1b\x1b[201~[201~`)).toBe('');
  });

  it('strips even when bracketing is off', () => {
    expect(encodePaste(`a${END}b`, false)).toBe('ab');
  });

  it('leaves other escape sequences alone', () => {
    expect(encodePaste('\x1b[31mred\x1b[0m \x1b[202~ \x1b[20~', true))
      .toBe(`${START}\x1b[31mred\x1b[0m \x1b[202~ \x1b[20~${END}`);
  });

  it('the output holds exactly one end marker, at the end', () => {
    const out = encodePaste(`${END}${END}x${END}\n${END}`, true);
    expect(out).toBe(`${START}x\r${END}`);
    expect(out.indexOf(END)).toBe(out.length - END.length);
  });
});
