/**
 * VHS tape lexer: the tape language's tokens, as charmbracelet/vhs's lexer/lexer.go reads them
 * (so that a tape VHS accepts tokenises the same here), each with its 1-based line and column.
 *
 * Words are keywords (`Type`, `Enter`, `Set`, `ms`…) or bare strings; `"…"`, `'…'` and `` `…` ``
 * are strings that end at their quote or the end of the line (no escapes, as VHS); `/…/` is a
 * regex; `{…}` a JSON theme; `#` starts a comment to the end of the line. A number is digits
 * and dots. One difference: an unterminated quote is reported (VHS silently takes the rest of
 * the line), since a golden test that types the wrong thing is worse than an error.
 */

export type TokenType =
  | 'AT' | 'EQUAL' | 'PLUS' | 'PERCENT' | 'MINUS' | 'LEFT_BRACKET' | 'RIGHT_BRACKET' | 'CARET' | 'BACKSLASH'
  | 'COMMENT' | 'NUMBER' | 'STRING' | 'JSON' | 'REGEX' | 'KEYWORD' | 'ILLEGAL' | 'EOF';

export interface Token {
  type: TokenType;
  /** For KEYWORD: the keyword itself (`Type`, `ms`, `Ctrl`…). */
  literal: string;
  line: number;
  column: number;
  /** A quoted string, regex or JSON that reached the end of its line without its closing mark. */
  unterminated?: boolean;
  /** A quoted string (as opposed to a bare word). */
  quoted?: boolean;
}

/** VHS's keywords (token/token.go Keywords); any other bare word is a STRING. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'em', 'px', 'ms', 's', 'm', 'Set', 'Sleep', 'Type', 'Enter', 'Space', 'Backspace', 'Delete', 'Insert',
  'Ctrl', 'Alt', 'Shift', 'Down', 'Left', 'Right', 'Up', 'PageUp', 'PageDown', 'ScrollUp', 'ScrollDown',
  'Tab', 'Escape', 'End', 'Home', 'Hide', 'Require', 'Show', 'Output', 'Shell', 'FontFamily', 'MarginFill',
  'Margin', 'WindowBar', 'WindowBarSize', 'BorderRadius', 'FontSize', 'Framerate', 'Height', 'LetterSpacing',
  'LineHeight', 'PlaybackSpeed', 'TypingSpeed', 'Padding', 'Theme', 'Width', 'LoopOffset', 'WaitTimeout',
  'WaitPattern', 'Wait', 'Source', 'CursorBlink', 'true', 'false', 'Screenshot', 'Copy', 'Paste', 'Env',
  'Subtitle', 'SubtitleFontSize', 'SubtitleColor', 'SubtitleBackground', 'SubtitlePosition', 'SubtitlePadding',
  'SubtitleBorderRadius', 'SubtitleFontFamily',
]);

const SINGLE: Record<string, TokenType> = {
  '@': 'AT', '=': 'EQUAL', ']': 'RIGHT_BRACKET', '[': 'LEFT_BRACKET', '-': 'MINUS', '%': 'PERCENT',
  '^': 'CARET', '\\': 'BACKSLASH', '+': 'PLUS',
};

const isLetter = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isWordChar = (c: string): boolean => isLetter(c) || isDigit(c) || c === '.' || c === '-' || c === '_' || c === '/' || c === '%';

/** Tokenises a whole tape (comments included; the parser skips them). */
export function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let col = 1;
  const advance = (): void => {
    if (input[i] === '\n') { line++; col = 1; } else col++;
    i++;
  };
  // VHS counts columns in bytes; we count UTF-16 units, the same for the ASCII a tape's syntax uses.
  for (;;) {
    while (i < input.length && ' \t\r\n'.includes(input[i]!)) advance();
    const start = { line, column: col };
    if (i >= input.length) { out.push({ type: 'EOF', literal: '', ...start }); return out; }
    const c = input[i]!;
    const single = SINGLE[c];
    if (single) { out.push({ type: single, literal: c, ...start }); advance(); continue; }
    if (c === '#') {
      let j = i + 1;
      while (j < input.length && input[j] !== '\n' && input[j] !== '\r') j++;
      out.push({ type: 'COMMENT', literal: input.slice(i + 1, j), ...start });
      while (i < j) advance();
      continue;
    }
    if (c === '"' || c === "'" || c === '`' || c === '/' || c === '{') {
      const end = c === '{' ? '}' : c;
      let j = i + 1;
      // Strings and regexes end at the line's end (VHS); JSON may span lines.
      while (j < input.length && input[j] !== end && (c === '{' || (input[j] !== '\n' && input[j] !== '\r'))) j++;
      const closed = j < input.length && input[j] === end;
      const body = input.slice(i + 1, j);
      const type: TokenType = c === '/' ? 'REGEX' : c === '{' ? 'JSON' : 'STRING';
      out.push({ type, literal: c === '{' ? `{${body}}` : body, ...start, ...(!closed && { unterminated: true }), ...(type === 'STRING' && { quoted: true }) });
      const stop = closed ? j + 1 : j;
      while (i < stop) advance();
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(input[i + 1] ?? ''))) {
      let j = i;
      while (j < input.length && (isDigit(input[j]!) || input[j] === '.')) j++;
      out.push({ type: 'NUMBER', literal: input.slice(i, j), ...start });
      while (i < j) advance();
      continue;
    }
    if (isLetter(c) || c === '.') {
      let j = i;
      while (j < input.length && isWordChar(input[j]!)) j++;
      const word = input.slice(i, j);
      out.push({ type: KEYWORDS.has(word) ? 'KEYWORD' : 'STRING', literal: word, ...start });
      while (i < j) advance();
      continue;
    }
    // A lone character VHS has no token for: ILLEGAL (a character, not a UTF-16 half).
    const cp = String.fromCodePoint(input.codePointAt(i)!);
    out.push({ type: 'ILLEGAL', literal: cp, ...start });
    for (let k = 0; k < cp.length; k++) advance();
  }
}
