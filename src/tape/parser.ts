/**
 * VHS tape parser: tokens (lexer.ts) → commands (commands.ts), following charmbracelet/vhs's
 * parser/parser.go command by command (argument forms, defaults such as `Sleep 2` = 2 s and a
 * repeat count of 1), and `Source` inlined as VHS does (its Output commands dropped, no nesting).
 * Every error names file:line:column; all of them are collected, so a tape is checked whole
 * before anything runs. What VHS accepts that termpool does not do (ScrollUp/Down, Subtitle,
 * .mp4/.webm) is an error here rather than a silent no-op.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { tokenize, type Token } from './lexer.js';
import { KEY_COMMANDS, TapeError, type Command, type CommandBody, type KeyCommand, type Loc, type OutputKind } from './commands.js';
import { checkSetting } from './settings.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

class Parser {
  private i = 0;
  readonly errors: TapeError[] = [];
  readonly commands: Command[] = [];

  constructor(private readonly toks: Token[], private readonly file: string, private readonly sourced: boolean) {}

  private get cur(): Token { return this.toks[this.i]!; }
  private get peek(): Token { return this.toks[Math.min(this.i + 1, this.toks.length - 1)]!; }
  private next(): void { if (this.i < this.toks.length - 1) this.i++; }
  private loc(t: Token): Loc { return { file: this.file, line: t.line, column: t.column }; }
  private error(t: Token, msg: string): void { this.errors.push(new TapeError(this.loc(t), msg)); }
  private isKw(t: Token, ...words: string[]): boolean { return t.type === 'KEYWORD' && words.includes(t.literal); }
  private readonly reported = new Set<Token>();
  private isString(t: Token): boolean {
    if (t.type === 'STRING' && t.unterminated && !this.reported.has(t)) {
      this.reported.add(t);
      this.error(t, `unterminated string (closing quote missing on this line)`);
    }
    return t.type === 'STRING';
  }

  parse(): void {
    while (this.cur.type !== 'EOF') {
      if (this.cur.type !== 'COMMENT') {
        const before = this.errors.length;
        this.command();
        // After an error, the rest of its line is not read as more commands (one error, not a cascade).
        if (this.errors.length > before) this.skipArgs();
      }
      this.next();
    }
  }

  private push(t: Token, c: CommandBody): void {
    this.commands.push({ loc: this.loc(t), ...c } as Command);
  }

  private command(): void {
    const t = this.cur;
    if (t.type !== 'KEYWORD') {
      this.error(t, t.type === 'ILLEGAL' ? `unexpected character '${t.literal}'` : `invalid command: ${describe(t)}`);
      return;
    }
    const w = t.literal;
    if ((KEY_COMMANDS as readonly string[]).includes(w)) return this.keypress(t, w as KeyCommand);
    switch (w) {
      case 'Type': return this.type(t);
      case 'Sleep': { const ms = this.time(t); if (ms !== null) this.push(t, { kind: 'sleep', ms }); return; }
      case 'Ctrl': return this.ctrl(t);
      case 'Alt': case 'Shift': return this.modified(t, w);
      case 'Hide': return this.push(t, { kind: 'hide' });
      case 'Show': return this.push(t, { kind: 'show' });
      case 'Wait': return this.wait(t);
      case 'Require': {
        if (!this.isString(this.peek)) { this.error(this.peek, 'Require expects one program name'); return; }
        this.next();
        return this.push(t, { kind: 'require', program: this.cur.literal });
      }
      case 'Output': return this.output(t);
      case 'Set': return this.set(t);
      case 'Screenshot': {
        if (!this.isString(this.peek)) { this.error(t, 'expected a path after Screenshot'); return; }
        this.next();
        if (extname(this.cur.literal) !== '.png') { this.error(this.cur, 'Screenshot expects a file with the .png extension'); return; }
        return this.push(t, { kind: 'screenshot', path: this.cur.literal });
      }
      case 'Copy': { const text = this.strings(t); if (text !== null) this.push(t, { kind: 'copy', text }); return; }
      case 'Paste': return this.push(t, { kind: 'paste' });
      case 'Env': {
        const name = this.peek;
        if (name.type !== 'STRING' && name.type !== 'KEYWORD') { this.error(name, 'Env expects a variable name and a value'); return; }
        this.next();
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name.literal)) { this.error(name, `not an environment variable name: ${name.literal}`); }
        if (!this.isString(this.peek) && this.peek.type !== 'NUMBER') { this.error(this.peek, 'Env expects a value (a string)'); return; }
        this.next();
        return this.push(t, { kind: 'env', name: name.literal, value: this.cur.literal });
      }
      case 'Source': return this.source(t);
      case 'ScrollUp': case 'ScrollDown': case 'Subtitle':
        this.error(t, `${w} is not supported by termpool tape`);
        return;
      default:
        this.error(t, `invalid command: ${w}`);
    }
  }

  /** After an unsupported command, skip its arguments so they do not read as commands. */
  private skipArgs(): void {
    while (this.peek.type !== 'EOF' && this.peek.line === this.cur.line) this.next();
  }

  /** `@<time>`, or undefined when absent. */
  private speed(): number | undefined | null {
    if (this.peek.type !== 'AT') return undefined;
    this.next();
    return this.time(this.cur);
  }

  /** `<number>[ms|s|m]` (VHS: a bare number is seconds). */
  private time(after: Token): number | null {
    if (this.peek.type !== 'NUMBER') { this.error(after, `expected a time after ${after.literal} (500ms, 2s, 1m)`); return null; }
    this.next();
    const n = Number(this.cur.literal);
    if (!Number.isFinite(n)) { this.error(this.cur, `not a number: ${this.cur.literal}`); return null; }
    let unit = 's';
    if (this.isKw(this.peek, 'ms', 's', 'm')) { this.next(); unit = this.cur.literal; }
    return n * UNITS[unit]!;
  }

  private keypress(t: Token, key: KeyCommand): void {
    const delay = this.speed();
    if (delay === null) return;
    let repeat = 1;
    if (this.peek.type === 'NUMBER') {
      this.next();
      repeat = Number(this.cur.literal);
      if (!Number.isInteger(repeat) || repeat < 1 || repeat > 10_000) { this.error(this.cur, `repeat count must be an integer from 1 to 10000, got ${this.cur.literal}`); return; }
    }
    this.push(t, { kind: 'key', key, repeat, ...(delay !== undefined && { delayMs: delay }) });
  }

  /** One or more strings, joined by single spaces (VHS). */
  private strings(t: Token): string | null {
    if (!this.isString(this.peek)) { this.error(this.peek, `${t.literal} expects a string`); return null; }
    const parts: string[] = [];
    while (this.peek.type === 'STRING') { this.isString(this.peek); this.next(); parts.push(this.cur.literal); }
    return parts.join(' ');
  }

  private type(t: Token): void {
    const delay = this.speed();
    if (delay === null) return;
    const text = this.strings(t);
    if (text !== null) this.push(t, { kind: 'type', text, ...(delay !== undefined && { delayMs: delay }) });
  }

  /** `Ctrl[+Alt][+Shift]+<key>`: the key a character, Enter, Space, Backspace, an arrow, or - @ [ ] ^ \. */
  private ctrl(t: Token): void {
    const mods = new Set<string>(['C']);
    let key: string | null = null;
    let source = 'Ctrl';
    while (this.peek.type === 'PLUS') {
      this.next();
      const p = this.peek;
      if (p.line !== t.line || p.type === 'EOF') { this.error(t, 'expected Ctrl+<key>'); return; }
      if (key !== null) { this.error(p, 'Ctrl takes one key after its modifiers'); return; }
      if (this.isKw(p, 'Alt', 'Shift')) { mods.add(p.literal === 'Alt' ? 'M' : 'S'); source += `+${p.literal}`; this.next(); continue; }
      if (this.isKw(p, 'Enter', 'Space', 'Backspace', 'Left', 'Right', 'Up', 'Down')) key = p.literal === 'Backspace' ? 'BSpace' : p.literal;
      else if (['MINUS', 'AT', 'LEFT_BRACKET', 'RIGHT_BRACKET', 'CARET', 'BACKSLASH'].includes(p.type)) key = p.literal;
      // A single letter: VHS lexes `m` and `s` as time units, but they are keys here.
      else if ((p.type === 'STRING' || p.type === 'KEYWORD') && !p.quoted && [...p.literal].length === 1) key = p.literal.toLowerCase();
      else { this.error(p, `invalid Ctrl key: ${describe(p)} (a single character, Enter, Space, Backspace or an arrow)`); return; }
      source += `+${p.literal}`;
      this.next();
    }
    if (key === null) { this.error(t, 'expected Ctrl+<key>'); return; }
    this.push(t, { kind: 'chord', keys: [[...mods].map((m) => `${m}-`).join('') + key], source });
  }

  /** `Alt+<chars|Enter|Tab|[|]>`, `Shift+<chars|Enter|Tab|[|]>`: each character with the modifier. */
  private modified(t: Token, which: 'Alt' | 'Shift'): void {
    const m = which === 'Alt' ? 'M-' : 'S-';
    if (this.peek.type === 'PLUS') {
      this.next();
      const p = this.peek;
      let keys: string[] | null = null;
      if (this.isKw(p, 'Enter', 'Tab')) keys = [m + p.literal];
      else if (p.type === 'LEFT_BRACKET' || p.type === 'RIGHT_BRACKET') keys = [m + p.literal];
      else if (p.type === 'STRING' || (p.type === 'KEYWORD' && !['Enter', 'Tab'].includes(p.literal))) {
        this.isString(p);
        keys = [...p.literal].map((ch) => m + ch);
      }
      if (keys !== null && keys.length > 0) {
        this.next();
        this.push(t, { kind: 'chord', keys, source: `${which}+${p.literal}` });
        return;
      }
    }
    this.error(t, `expected ${which}+<key>`);
  }

  private wait(t: Token): void {
    let scope: 'Line' | 'Screen' = 'Line';
    if (this.peek.type === 'PLUS') {
      this.next();
      const p = this.peek as Token;
      if (p.type !== 'STRING' || (p.literal !== 'Line' && p.literal !== 'Screen')) { this.error(p, 'Wait+ expects Line or Screen'); return; }
      this.next();
      scope = this.cur.literal as 'Line' | 'Screen';
    }
    const timeout = this.speed();
    if (timeout === null) return;
    if (timeout !== undefined && timeout <= 0) { this.error(this.cur, 'Wait expects a positive timeout'); return; }
    let regex: RegExp | undefined;
    if (this.peek.type === 'REGEX') {
      this.next();
      if (this.cur.unterminated) { this.error(this.cur, 'unterminated regular expression (closing / missing on this line)'); return; }
      try { regex = new RegExp(this.cur.literal); } catch (err) { this.error(this.cur, `invalid regular expression /${this.cur.literal}/: ${(err as Error).message}`); return; }
    }
    this.push(t, { kind: 'wait', scope, ...(timeout !== undefined && { timeoutMs: timeout }), ...(regex && { regex }) });
  }

  private output(t: Token): void {
    if (!this.isString(this.peek)) { this.error(t, 'expected a file path after Output'); return; }
    this.next();
    const path = this.cur.literal;
    const ext = extname(path);
    let output: OutputKind | null = null;
    if (ext === '') {
      if (path.endsWith('/')) output = 'png';
      else { this.error(this.cur, 'Output without an extension must be a directory ending in / (PNG frames)'); return; }
    } else if (ext === '.txt' || ext === '.ascii' || ext === '.test') output = 'txt';
    else if (ext === '.cast') output = 'cast';
    else if (ext === '.png') output = 'png';
    else if (ext === '.gif') output = 'gif';
    else { this.error(this.cur, `Output ${ext} is not supported by termpool tape (.txt, .ascii, .cast, .gif, or a directory/ for PNG frames)`); return; }
    if (this.sourced) return; // VHS: a sourced tape's Output would overwrite the including tape's.
    this.push(t, { kind: 'output', path, output });
  }

  private set(t: Token): void {
    const name = this.peek;
    this.next();
    if (name.type !== 'KEYWORD' && name.type !== 'STRING') { this.error(name, `unknown setting: ${describe(name)}`); return; }
    // The value: one token, or a number with its unit (TypingSpeed 10ms, WaitTimeout 5s), or a percentage.
    const v = this.peek;
    if (v.type === 'EOF') { this.error(name, `Set ${name.literal} expects a value`); return; }
    this.next();
    if (v.type === 'STRING') this.isString(v);
    let value = v.literal;
    if (v.type === 'NUMBER' && this.isKw(this.peek, 'ms', 's', 'm') && this.peek.line === v.line) { this.next(); value += this.cur.literal; }
    else if (v.type === 'NUMBER' && this.peek.type === 'PERCENT') { this.next(); value += '%'; }
    const problem = checkSetting(name.literal, value, v.type);
    if (problem !== null) { this.error(problem.at === 'name' ? name : v, problem.message); return; }
    this.push(t, { kind: 'set', name: name.literal, value });
  }

  private source(t: Token): void {
    if (!this.isString(this.peek)) { this.error(t, 'expected a path after Source'); return; }
    this.next();
    const path = this.cur.literal;
    if (this.sourced) { this.error(this.cur, 'nested Source (a sourced tape cannot Source another)'); return; }
    if (extname(path) !== '.tape') { this.error(this.cur, 'Source expects a file with the .tape extension'); return; }
    let text: string;
    try { text = readFileSync(path, 'utf8'); } catch (err) {
      this.error(this.cur, `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      return;
    }
    if (text.length === 0) { this.error(this.cur, `source tape ${path} is empty`); return; }
    const sub = new Parser(tokenize(text), path, true);
    sub.parse();
    this.errors.push(...sub.errors);
    this.commands.push(...sub.commands);
  }
}

function describe(t: Token): string {
  if (t.type === 'EOF') return 'end of file';
  if (t.type === 'STRING' && t.quoted) return JSON.stringify(t.literal);
  return t.literal;
}

export interface ParsedTape {
  commands: Command[];
  errors: TapeError[];
}

/** Parses a tape's text; `file` names it in errors (Source paths are relative to the working directory, as in VHS). */
export function parseTape(text: string, file: string): ParsedTape {
  const p = new Parser(tokenize(text), file, false);
  p.parse();
  return { commands: p.commands, errors: p.errors };
}
