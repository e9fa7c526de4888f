/**
 * Renderers from the engine's JSON snapshot: ANSI (replayable bytes), HTML, SVG and PNG.
 * All are pure functions of the snapshot and options.
 */
export { renderAnsi, type AnsiOptions } from './ansi.js';
export { renderHtml, type HtmlOptions } from './html.js';
export { renderSvg, svgLayout, type SvgOptions, type SvgLayout } from './svg.js';
export { renderPng, renderPngAsync, MAX_PNG_PIXELS, ImageTooLargeError, type PngOptions } from './png.js';
export { resolveFonts, prepareFonts, useFontDirs, FontsMissingError, type ResolvedFonts } from './fonts.js';
export { parseFontDirs, fontDirProblem } from './font-dirs.js';
export { DEFAULT_THEME, resolveStyle, type Theme, type ResolvedStyle } from './palette.js';
