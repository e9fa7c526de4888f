/**
 * PNG renderer: renderSvg's output rasterised by resvg with fonts from fixed files
 * (fonts.ts), never system font lookups, so the same snapshot gives the same pixels on every
 * machine with the same packages. One SVG pixel is one PNG pixel.
 */
import { Resvg, renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import type { ScreenSnapshot } from '../engine/index.js';
import { resolveFonts } from './fonts.js';
import { renderSvg, type SvgOptions } from './svg.js';

export interface PngOptions extends SvgOptions {
  /** Font files to load instead of the resolved Debian ones (the first family is the default). */
  fontFiles?: string[];
}

let cachedFonts: string[] | null = null;

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

/** Render synchronously (blocks the event loop for the raster: ~tens of ms for 80×24). */
export function renderPng(snap: ScreenSnapshot, opts: PngOptions = {}): Buffer {
  return new Resvg(renderSvg(snap, { syntheticItalic: true, ...opts }), resvgOptions(opts)).render().asPng();
}

/** Render on resvg's worker thread, for servers. */
export async function renderPngAsync(snap: ScreenSnapshot, opts: PngOptions = {}): Promise<Buffer> {
  const img = await renderAsync(renderSvg(snap, { syntheticItalic: true, ...opts }), resvgOptions(opts));
  return img.asPng();
}
