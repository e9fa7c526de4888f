/**
 * PNG renderer: renderSvg's output rasterised by resvg with fonts from fixed files
 * (fonts.ts), never system font lookups, so the same snapshot gives the same pixels on every
 * machine with the same packages. One SVG pixel is one PNG pixel.
 */
import { Resvg, renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import type { ScreenSnapshot } from '../engine/index.js';
import { resolveFonts } from './fonts.js';
import { renderSvg, svgLayout, type SvgOptions } from './svg.js';

export interface PngOptions extends SvgOptions {
  /** Font files to load instead of the resolved Debian ones (the first family is the default). */
  fontFiles?: string[];
}

let cachedFonts: string[] | null = null;

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

function resvgOptions(opts: PngOptions): ResvgRenderOptions {
  const fontFiles = opts.fontFiles ?? (cachedFonts ??= resolveFonts().files);
  return {
    font: {
      loadSystemFonts: false,
      fontFiles,
      defaultFontFamily: 'DejaVu Sans Mono',
      monospaceFamily: 'DejaVu Sans Mono',
      sansSerifFamily: 'DejaVu Sans Mono',
      serifFamily: 'DejaVu Sans Mono',
    },
    fitTo: { mode: 'original' },
    logLevel: 'off',
  };
}

/** East Asian scripts go straight to the CJK font, other wide glyphs (emoji) to Symbola. */
export function pngWideFamily(text: string): string {
  const cp = text.codePointAt(0) ?? 0;
  const cjk = (cp >= 0x1100 && cp <= 0x11ff) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7af)
    || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xffef)
    || (cp >= 0x20000 && cp <= 0x3ffff);
  return cjk ? "'WenQuanYi Micro Hei Mono', 'DejaVu Sans Mono', Symbola" : "Symbola, 'DejaVu Sans Mono', 'WenQuanYi Micro Hei Mono'";
}

function pngSvg(snap: ScreenSnapshot, opts: PngOptions): string {
  checkSize(snap, opts);
  return renderSvg(snap, { syntheticItalic: true, wideFamily: pngWideFamily, ...opts, links: false });
}

/** Render synchronously (blocks the event loop for the raster: ~tens of ms for 80×24). */
export function renderPng(snap: ScreenSnapshot, opts: PngOptions = {}): Buffer {
  return new Resvg(pngSvg(snap, opts), resvgOptions(opts)).render().asPng();
}

/** Render on resvg's worker thread, for servers. */
export async function renderPngAsync(snap: ScreenSnapshot, opts: PngOptions = {}): Promise<Buffer> {
  const img = await renderAsync(pngSvg(snap, opts), resvgOptions(opts));
  return img.asPng();
}
