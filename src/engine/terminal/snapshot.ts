/**
 * JSON-able snapshot shapes. These are the engine's contract with the CLI (`--format json`)
 * and, later, the HTTP API: keep them stable and plain (no class instances).
 */
import type { ColorJson } from '../page/color.js';

export interface StyleJson {
  fg: ColorJson;
  bg: ColorJson;
  /** Underline colour; null = same as fg. */
  underlineColor: ColorJson;
  bold?: true; faint?: true; italic?: true; blink?: true; inverse?: true;
  invisible?: true; strikethrough?: true; overline?: true;
  /** 'single' | 'double' | 'curly' | 'dotted' | 'dashed' */
  underline?: string;
}

export interface CellJson {
  /** The grapheme in this cell ("" for an empty cell or the spacer half of a wide char). */
  text: string;
  /** 1 narrow, 2 wide head, 0 spacer tail of a wide char. */
  width: 0 | 1 | 2;
  /** Index into `styles`; 0 is the default style. */
  style: number;
  /**
   * Index into `links` when the cell is part of an OSC 8 link. An index, not the URI: a link
   * may be long (the OSC limit) and cover every cell of many lines.
   */
  link?: number;
}

export interface LineJson {
  text: string;
  /** True when this line soft-wraps into the next one. */
  wrapped: boolean;
  /**
   * DECDWL/DECDHL line size; absent on an ordinary line. The text and cells are as written; a
   * renderer draws the line at double width (only its first cols/2 cells fit), double height
   * showing the upper or lower half.
   */
  size?: 'double-width' | 'double-height-top' | 'double-height-bottom';
  cells: CellJson[];
}

export interface CursorJson {
  /** 0-based row within the visible screen. */
  row: number;
  /** 0-based column. */
  col: number;
  visible: boolean;
  /** DECSCUSR style number (0 default). */
  shape: number;
}

export interface ModesJson {
  alternateScreen: boolean;
  applicationCursorKeys: boolean;
  applicationKeypad: boolean;
  bracketedPaste: boolean;
  /** 'none' | 'x10' | 'normal' | 'button' | 'any' */
  mouseTracking: string;
  /** 'default' | 'utf8' | 'sgr' | 'urxvt' | 'sgr-pixels' */
  mouseEncoding: string;
  focusEvents: boolean;
  synchronizedOutput: boolean;
  originMode: boolean;
  autowrap: boolean;
  insertMode: boolean;
  reverseVideo: boolean;
  cursorVisible: boolean;
}

export interface ScreenSnapshot {
  cols: number;
  rows: number;
  title: string;
  cursor: CursorJson;
  modes: ModesJson;
  styles: StyleJson[];
  /** Hyperlink URIs the cells refer to, each once. */
  links: string[];
  lines: LineJson[];
}
