/**
 * `Set` in a tape: which settings termpool honours, their values' checks (at parse time, so a bad
 * value fails before anything runs), VHS's defaults, and what they turn into here — the pty's
 * size from Width/Height/FontSize/Padding, the shell to start, the colours of PNG frames.
 *
 * VHS sizes xterm.js in a browser page of Width×Height px minus Padding on each side; the cell
 * size comes from the font. termpool has no browser, so it uses fixed cell metrics: 0.6 em wide
 * (JetBrains Mono's advance, VHS's first font) and 1.4 em high, which gives the 15 rows VHS's
 * own golden files show at its defaults (1200×600, font 22, padding 60). Purely visual settings
 * (FontFamily, LineHeight, LetterSpacing, Margin, MarginFill, WindowBar, WindowBarSize,
 * BorderRadius, CursorBlink, LoopOffset, Subtitle*) are accepted and ignored (a note on stderr).
 */
import type { Theme } from '../render/index.js';
import type { TokenType } from './lexer.js';

export interface TapeSettings {
  shell: string;
  width: number;
  height: number;
  fontSize: number;
  padding: number;
  typingSpeedMs: number;
  framerate: number;
  playbackSpeed: number;
  theme: Theme;
  themeName: string;
  waitTimeoutMs: number;
  waitPattern: RegExp;
}

/** VHS's own defaults (vhs.go DefaultVHSOptions, video.go DefaultVideoOptions). */
export function defaultSettings(): TapeSettings {
  return {
    shell: 'bash', width: 1200, height: 600, fontSize: 22, padding: 60, typingSpeedMs: 50,
    framerate: 50, playbackSpeed: 1, theme: THEMES['vhs']!, themeName: 'vhs', waitTimeoutMs: 15_000, waitPattern: />$/,
  };
}

export const CELL_WIDTH_EM = 0.6;
export const CELL_HEIGHT_EM = 1.4;

/** The terminal's columns and rows for these pixel settings (at least 2×1). */
export function terminalSize(s: TapeSettings): { cols: number; rows: number; cellWidth: number; cellHeight: number } {
  const cellWidth = s.fontSize * CELL_WIDTH_EM;
  const cellHeight = s.fontSize * CELL_HEIGHT_EM;
  return {
    cols: Math.max(2, Math.floor((s.width - 2 * s.padding) / cellWidth)),
    rows: Math.max(1, Math.floor((s.height - 2 * s.padding) / cellHeight)),
    cellWidth: Math.round(cellWidth),
    cellHeight: Math.round(cellHeight),
  };
}

/** How each supported shell is started: VHS's shells.go (prompt `> ` in VHS's purple, no history, no rc files). */
export const SHELLS: Record<string, { args: string[]; env: Record<string, string> }> = {
  bash: { args: ['--noprofile', '--norc', '--login', '+o', 'history'], env: { PS1: '\\[\\e[38;2;90;86;224m\\]> \\[\\e[0m\\]', BASH_SILENCE_DEPRECATION_WARNING: '1' } },
  zsh: { args: ['--histnostore', '--no-rcs'], env: { PROMPT: '%F{#5B56E0}> %F{reset_color}' } },
  fish: { args: ['--login', '--no-config', '--private', '-C', 'function fish_greeting; end', '-C', 'function fish_prompt; set_color 5B56E0; echo -n "> "; set_color normal; end'], env: {} },
  sh: { args: [], env: { PS1: '> ' } },
};

const hex = (s: string): number => parseInt(s.replace('#', ''), 16);
function theme(bg: string, fg: string, palette: string[]): Theme {
  return { bg: hex(bg), fg: hex(fg), palette: palette.map(hex) };
}

/** Named themes (VHS's default and a few of its list); a JSON object in VHS's form works too. */
export const THEMES: Record<string, Theme> = {
  vhs: theme('#171717', '#dddddd', ['#282a2e', '#d74e6f', '#31bb71', '#d3e561', '#8056ff', '#ed61d7', '#04d7d7', '#bfbfbf',
    '#4b4b4b', '#fe5f86', '#00d787', '#ebff71', '#9b79ff', '#ff7aea', '#00fefe', '#e6e6e6']),
  Dracula: theme('#282a36', '#f8f8f2', ['#21222c', '#ff5555', '#50fa7b', '#f1fa8c', '#bd93f9', '#ff79c6', '#8be9fd', '#f8f8f2',
    '#6272a4', '#ff6e6e', '#69ff94', '#ffffa5', '#d6acff', '#ff92df', '#a4ffff', '#ffffff']),
  'Solarized Dark': theme('#002b36', '#839496', ['#073642', '#dc322f', '#859900', '#b58900', '#268bd2', '#d33682', '#2aa198', '#eee8d5',
    '#002b36', '#cb4b16', '#586e75', '#657b83', '#839496', '#6c71c4', '#93a1a1', '#fdf6e3']),
  'Solarized Light': theme('#fdf6e3', '#657b83', ['#073642', '#dc322f', '#859900', '#b58900', '#268bd2', '#d33682', '#2aa198', '#eee8d5',
    '#002b36', '#cb4b16', '#586e75', '#657b83', '#839496', '#6c71c4', '#93a1a1', '#fdf6e3']),
  xterm: { bg: 0x000000, fg: 0xe5e5e5 },
};

const PALETTE_KEYS = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white',
  'brightBlack', 'brightRed', 'brightGreen', 'brightYellow', 'brightBlue', 'brightMagenta', 'brightCyan', 'brightWhite'];
const COLOR = /^#[0-9a-fA-F]{6}$/;

/** A theme from `Set Theme "Name"` or `Set Theme { "background": "#...", ... }`; a string on error. */
export function resolveTheme(value: string): Theme | string {
  if (!value.trimStart().startsWith('{')) {
    const named = THEMES[value] ?? (value === '' ? THEMES['vhs'] : undefined);
    return named ?? `unknown theme "${value}" (termpool knows: ${Object.keys(THEMES).join(', ')}; or give a JSON object)`;
  }
  let obj: Record<string, unknown>;
  try { obj = JSON.parse(value) as Record<string, unknown>; } catch (err) { return `invalid JSON theme: ${(err as Error).message}`; }
  const get = (k: string, dflt: number): number | string => {
    const v = obj[k];
    if (v === undefined) return dflt;
    return typeof v === 'string' && COLOR.test(v) ? hex(v) : `theme ${k} must be a #rrggbb colour`;
  };
  const base = THEMES['vhs']!;
  const bg = get('background', base.bg);
  const fg = get('foreground', base.fg);
  if (typeof bg === 'string') return bg;
  if (typeof fg === 'string') return fg;
  const palette: number[] = [];
  for (let i = 0; i < PALETTE_KEYS.length; i++) {
    const c = get(PALETTE_KEYS[i]!, base.palette![i]!);
    if (typeof c === 'string') return c;
    palette.push(c);
  }
  const cursor = get('cursor', fg);
  if (typeof cursor === 'string') return cursor;
  return { bg, fg, palette, cursor };
}

/** Settings that only change how VHS's video looks; accepted and ignored here. */
export const VISUAL_ONLY = new Set(['FontFamily', 'LetterSpacing', 'LineHeight', 'Margin', 'MarginFill', 'WindowBar', 'WindowBarSize',
  'BorderRadius', 'CursorBlink', 'LoopOffset', 'SubtitleFontSize', 'SubtitleFontFamily', 'SubtitleColor', 'SubtitleBackground',
  'SubtitlePosition', 'SubtitlePadding', 'SubtitleBorderRadius']);

const DURATION = /^(\d+(?:\.\d+)?|\.\d+)(ms|s|m)?$/;
/** `10ms`, `2s`, `1m`, bare number = seconds (VHS). */
export function durationMs(v: string): number | null {
  const m = DURATION.exec(v);
  if (!m) return null;
  return Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000 } as Record<string, number>)[m[2] ?? 's']!;
}

type Problem = { at: 'name' | 'value'; message: string } | null;

function intIn(v: string, lo: number, hi: number, what: string): Problem {
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  return n >= lo && n <= hi ? null : { at: 'value', message: `${what} must be an integer from ${lo} to ${hi}, got ${v}` };
}

/** Checks a `Set NAME VALUE`; null when termpool can apply (or deliberately ignores) it. */
export function checkSetting(name: string, value: string, _type: TokenType): Problem {
  switch (name) {
    case 'Shell': return Object.hasOwn(SHELLS, value) ? null : { at: 'value', message: `Shell ${value} is not supported by termpool tape (${Object.keys(SHELLS).join(', ')})` };
    case 'Width': return intIn(value, 50, 20_000, 'Width');
    case 'Height': return intIn(value, 50, 20_000, 'Height');
    case 'FontSize': return intIn(value, 4, 200, 'FontSize');
    case 'Padding': return intIn(value, 0, 1000, 'Padding');
    case 'Framerate': return intIn(value, 1, 60, 'Framerate');
    case 'PlaybackSpeed': {
      const n = Number(value);
      return /^\d*\.?\d+$/.test(value) && n > 0 && n <= 100 ? null : { at: 'value', message: `PlaybackSpeed must be a number above 0 and at most 100, got ${value}` };
    }
    case 'TypingSpeed': case 'WaitTimeout': {
      const ms = durationMs(value);
      return ms !== null && ms <= 600_000 ? null : { at: 'value', message: `${name} must be a time such as 50ms or 2s, got ${value}` };
    }
    case 'WaitPattern': try { new RegExp(value); return null; } catch (err) { return { at: 'value', message: `invalid WaitPattern: ${(err as Error).message}` }; }
    case 'Theme': { const t = resolveTheme(value); return typeof t === 'string' ? { at: 'value', message: t } : null; }
    default:
      return VISUAL_ONLY.has(name) ? null : { at: 'name', message: `unknown setting: ${name}` };
  }
}

/** Applies a checked setting; returns a note when it is one termpool ignores. */
export function applySetting(s: TapeSettings, name: string, value: string): string | null {
  switch (name) {
    case 'Shell': s.shell = value; break;
    case 'Width': s.width = Number(value); break;
    case 'Height': s.height = Number(value); break;
    case 'FontSize': s.fontSize = Number(value); break;
    case 'Padding': s.padding = Number(value); break;
    case 'Framerate': s.framerate = Number(value); break;
    case 'PlaybackSpeed': s.playbackSpeed = Number(value); break;
    case 'TypingSpeed': s.typingSpeedMs = durationMs(value)!; break;
    case 'WaitTimeout': s.waitTimeoutMs = durationMs(value)!; break;
    case 'WaitPattern': s.waitPattern = new RegExp(value); break;
    case 'Theme': s.theme = resolveTheme(value) as Theme; s.themeName = value; break;
    default: return `Set ${name} only changes how VHS's video looks: ignored`;
  }
  return null;
}
