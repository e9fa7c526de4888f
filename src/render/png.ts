/**
 * PNG renderer: renderSvg's output rasterised by resvg with font files from npm packages
 * (fonts.ts), never system font lookups (only TERMPOOL_FONT_DIRS, when set), so the same
 * snapshot gives the same pixels on every machine with the same packages. One SVG pixel is one
 * PNG pixel.
 */
import { Resvg, renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import type { ScreenSnapshot } from '../engine/index.js';
import { emojiPicture } from './emoji-images.js';
import { cjkScript, renderFonts, renderFontsAsync, type RenderFonts } from './fonts.js';
import { renderSvg, svgLayout, type GlyphPicture, type SvgOptions } from './svg.js';

export interface PngOptions extends SvgOptions {
  /** Directories of extra fallback fonts for this render (default: TERMPOOL_FONT_DIRS, fonts.ts useFontDirs). */
  fontDirs?: readonly string[];
}

/** Largest image rendered (about 200 MB of RGBA): a scrollback of thousands of lines is refused, not rasterised. */
export const MAX_PNG_PIXELS = 50_000_000;

/** The image asked for is over MAX_PNG_PIXELS (a RangeError: the size is out of range). */
export class ImageTooLargeError extends RangeError {
  override readonly name = 'ImageTooLargeError';
}

function checkSize(snap: ScreenSnapshot, opts: PngOptions): void {
  const { width, height } = svgLayout(snap, opts);
  if (width * height > MAX_PNG_PIXELS) {
    throw new ImageTooLargeError(`PNG of ${width}×${height} px is over the ${MAX_PNG_PIXELS} px limit: ask for fewer scrollback lines or smaller cells`);
  }
}

export function resvgOptions(fonts: RenderFonts): ResvgRenderOptions {
  return {
    font: {
      loadSystemFonts: false,
      fontFiles: fonts.files(),
      defaultFontFamily: 'DejaVu Sans Mono',
      monospaceFamily: 'DejaVu Sans Mono',
      sansSerifFamily: 'DejaVu Sans Mono',
      serifFamily: 'DejaVu Sans Mono',
    },
    fitTo: { mode: 'original' },
    logLevel: 'off',
  };
}

/** The SVG to rasterise; `fonts` notes the CJK slices its glyphs need as it is built. */
export function pngSvg(snap: ScreenSnapshot, opts: PngOptions, fonts: RenderFonts): string {
  checkSize(snap, opts);
  return renderSvg(snap, { syntheticItalic: true, glyphFamily: fonts.glyphFamily, glyphImage: emoji, ...opts, links: false });
}

/** A wide glyph's Twemoji picture, for emoji (CJK never: most ideographs would only miss). */
const emoji = (text: string): GlyphPicture | undefined => (cjkScript(text.codePointAt(0) ?? 0) === null ? emojiPicture(text) : undefined);

/** Render synchronously (blocks the event loop for the raster: ~tens of ms for 80×24). */
export function renderPng(snap: ScreenSnapshot, opts: PngOptions = {}): Buffer {
  const fonts = renderFonts(opts.fontDirs);
  const svg = pngSvg(snap, opts, fonts);
  return new Resvg(svg, resvgOptions(fonts)).render().asPng();
}

/** Render on resvg's worker thread, for servers. */
export async function renderPngAsync(snap: ScreenSnapshot, opts: PngOptions = {}): Promise<Buffer> {
  const fonts = await renderFontsAsync(opts.fontDirs);
  const svg = pngSvg(snap, opts, fonts);
  const img = await renderAsync(svg, resvgOptions(fonts));
  return img.asPng();
}
