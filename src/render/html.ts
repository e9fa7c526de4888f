/**
 * HTML renderer: a standalone page with the screen in one <pre>. Runs of same-looking cells
 * become spans with inline styles (only what differs from the page defaults), wide chars sit
 * in 2ch inline blocks so CJK keeps the grid, OSC 8 links with a safe scheme become <a>, and
 * every string is escaped. A CSP meta tag forbids scripts and remote loads as a second line
 * of defence, for a copy saved to disk; the server sends a stricter CSP header with it
 * (src/routes/screen-format.ts).
 */
import type { LineJson, ScreenSnapshot } from '../engine/index.js';
import { gridContext, gridRow, isPlainBlank, type GridContext, type GridOptions, type GridRow, type Run } from './grid.js';
import { escapeXml, linkTags, MONO_STACK, safeHref } from './markup.js';
import { hex } from './palette.js';
import { sourceOf, windows, type SnapshotSource } from './snapshot-source.js';

export interface HtmlOptions extends GridOptions {
  /** Font size in px (default 14). */
  fontSize?: number;
  /** Line height in px (default 16, the SVG cell height). */
  lineHeight?: number;
  /** CSS font-family list. */
  fontFamily?: string;
  /** Page title; defaults to the snapshot's title, else "termpool". */
  title?: string;
}

const DECORATION: Record<string, string> = {
  single: 'solid', double: 'double', curly: 'wavy', dotted: 'dotted', dashed: 'dashed',
};

function runCss(run: Run, gridFg: number, gridBg: number, cursorColor: number): string {
  const s = run.style;
  const css: string[] = [];
  if (s.fg !== gridFg) css.push(`color:${hex(s.fg)}`);
  if (!s.defaultBg && s.bg !== gridBg) css.push(`background:${hex(s.bg)}`);
  if (s.bold) css.push('font-weight:bold');
  if (s.italic) css.push('font-style:italic');
  if (s.hidden) css.push('visibility:hidden');
  const lines: string[] = [];
  if (s.underline !== null) lines.push('underline');
  if (s.strike) lines.push('line-through');
  if (s.overline) lines.push('overline');
  if (lines.length) {
    css.push(`text-decoration:${lines.join(' ')}`);
    if (s.underline !== null) css.push(`text-decoration-style:${DECORATION[s.underline]}`);
    if (s.ul !== s.fg) css.push(`text-decoration-color:${hex(s.ul)}`);
  }
  if (run.cursor === 'underline') css.push(`box-shadow:inset 0 -2px 0 ${hex(cursorColor)}`);
  if (run.cursor === 'bar') css.push(`box-shadow:inset 2px 0 0 ${hex(cursorColor)}`);
  return css.join(';');
}

function runHtml(run: Run): string {
  let s = '';
  for (const g of run.glyphs) {
    const text = g.text === '' ? ' ' : escapeXml(g.text);
    s += g.width === 2 ? `<span class="w">${text}</span>` : text;
  }
  return s;
}

/** The screen as HTML rows (one string per snapshot line) plus the default colours they sit on. */
export interface HtmlRows {
  rows: string[];
  /** Default foreground and background, "#rrggbb" (swapped under DECSCNM). */
  fg: string;
  bg: string;
}

/** One grid row as the inner HTML of its line (see renderHtmlRows). */
function htmlRow(g: GridContext, row: GridRow): string {
  const runs = row.runs.slice();
  while (runs.length > 0 && isPlainBlank(runs[runs.length - 1])) runs.pop();
  const last = runs[runs.length - 1];
  if (last !== undefined && isPlainBlank({ ...last, glyphs: [] })) {
    // Trim the blank tail of the last run when blanks there paint nothing.
    let k = last.glyphs.length;
    while (k > 0 && (last.glyphs[k - 1].text === '' || last.glyphs[k - 1].text === ' ')) k--;
    runs[runs.length - 1] = { ...last, glyphs: last.glyphs.slice(0, k) };
  }
  let line = '';
  let open: string | null = null; // the link whose <a> is open (see linkTags)
  for (const run of runs) {
    const css = runCss(run, g.fg, g.bg, g.cursorColor);
    let inner = runHtml(run);
    if (css !== '' || run.cursor !== null) {
      inner = `<span${run.cursor !== null ? ' class="cursor"' : ''}${css !== '' ? ` style="${css}"` : ''}>${inner}</span>`;
    }
    const href = run.link === undefined ? null : safeHref(run.link);
    line += linkTags(open, href, ' rel="noopener noreferrer nofollow"').join('') + inner;
    open = href;
  }
  line += linkTags(open, null).join('');
  return line;
}

const SIZE_CLASS = { 'double-width': 'dw', 'double-height-top': 'dt', 'double-height-bottom': 'db' } as const;

/** A DECDWL/DECDHL line's HTML inside a clipping box and a scaled box (classes in renderHtml's CSS). */
function sizedRow(inner: string, size: LineJson['size']): string {
  return size === undefined ? inner : `<span class="dl"><span class="${SIZE_CLASS[size]}">${inner}</span></span>`;
}

/**
 * The inner HTML of each line, as renderHtml draws it: spans with inline styles, `.w` for wide
 * chars, `.cursor` on the cursor's run. Also what the web viewer shows (WebSocket format=html).
 */
export function renderHtmlRows(snap: ScreenSnapshot, opts: GridOptions = {}): HtmlRows {
  const g = gridContext(sourceOf(snap), opts);
  return { rows: snap.lines.map((l, y) => sizedRow(htmlRow(g, gridRow(g, l.cells, y)), l.size)), fg: hex(g.fg), bg: hex(g.bg) };
}

/**
 * renderHtml's output in pieces of `perPart` lines: the page head, the lines (each piece built
 * from only its own lines' cells), the foot. Joined, exactly renderHtml's string.
 */
export function* htmlParts(src: SnapshotSource, opts: HtmlOptions = {}, perPart = Infinity): Generator<string> {
  const g = gridContext(src, opts);
  const fg = hex(g.fg), bg = hex(g.bg);
  const h = src.head;
  const fontSize = opts.fontSize ?? 14;
  const lineHeight = opts.lineHeight ?? 16;
  const title = opts.title ?? (h.title !== '' ? h.title : 'termpool');
  const family = opts.fontFamily ?? MONO_STACK;
  yield `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeXml(title)}</title>
<style>
body{margin:0;background:${bg}}
pre.termpool{margin:0;padding:8px;font-family:${family.replace(/[<>{};]/g, '')};font-size:${fontSize}px;line-height:${lineHeight}px;color:${fg};background:${bg}}
pre.termpool span{display:inline-block;height:${lineHeight}px;vertical-align:top}
pre.termpool .w{width:2ch;text-align:center}
pre.termpool a{color:inherit}
pre.termpool .dl{overflow:hidden;width:${h.cols}ch}
pre.termpool .dl>span{transform-origin:0 0;height:auto}
pre.termpool .dw{transform:scaleX(2)}
pre.termpool .dt{transform:scale(2)}
pre.termpool .db{transform:translateY(-${lineHeight}px) scale(2)}
</style>
</head>
<body>
<pre class="termpool" data-cols="${h.cols}" data-rows="${h.rows}">`;
  for (const [a, b] of windows(src.lineCount, perPart)) {
    const lines = src.lines(a, b);
    let out = '';
    for (let i = 0; i < lines.length; i++) out += (a + i > 0 ? '\n' : '') + sizedRow(htmlRow(g, gridRow(g, lines[i].cells, a + i)), lines[i].size);
    yield out;
  }
  yield `</pre>
</body>
</html>
`;
}

export function renderHtml(snap: ScreenSnapshot, opts: HtmlOptions = {}): string {
  let out = '';
  for (const part of htmlParts(sourceOf(snap), opts)) out += part;
  return out;
}
