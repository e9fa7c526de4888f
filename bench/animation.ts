/**
 * Animated recording cost (`npx tsc -p tsconfig.json && node dist/bench/animation.js [runs]`):
 * a synthetic 60 s, 80×24 shell recording (typed commands at 8 keys/s, coloured `ls` output,
 * a progress bar redrawn 20 times a second, a scrolling log, an idle pause) rendered to GIF,
 * APNG and animated SVG at 10 fps with renderAnimation (src/render/animation). Prints the
 * frames, rows rasterised by resvg and resvg renders, bytes, and the median wall time of `runs`
 * (default 3) after one warm-up (fonts resolved, CJK cache filled).
 */
import { castFrames, FrameRasterizer, renderAnimation, type AnimationFormat } from '../src/render/animation/index.js';
import { renderPng } from '../src/render/png.js';

/** The 60 s recording, as asciicast v2 text. */
export function sixtySecondCast(): string {
  const ev: [number, string, string][] = [];
  let t = 0;
  const out = (dt: number, s: string): void => { t += dt; ev.push([Math.round(t * 1e6) / 1e6, 'o', s]); };
  const prompt = '\x1b[1;32mdev@termpool\x1b[0m:\x1b[1;34m~/project\x1b[0m$ ';
  const type = (cmd: string): void => { for (const c of cmd) out(0.125, c); out(0.3, '\r\n'); };
  out(0.2, prompt);
  while (t < 58) {
    type('ls --color -la src');
    for (let i = 0; i < 12; i++) out(0.01, `-rw-r--r-- 1 dev dev ${String(1000 + i * 77).padStart(6)} Dec  7 19:4${i % 10} \x1b[1;3${i % 7 + 1}mfile-${i}.ts\x1b[0m\r\n`);
    out(0.2, prompt);
    type('npm run build');
    for (let p = 0; p <= 40; p++) out(0.05, `\r[${'█'.repeat(p)}${'░'.repeat(40 - p)}] ${String(p * 2.5).padStart(5)}%`);
    out(0.05, '\r\n');
    for (let i = 0; i < 30; i++) out(0.03, `\x1b[2m${new Date(1765130000000 + i * 1000).toISOString()}\x1b[0m compiled module ${i} ─ ok\r\n`);
    out(2.5, prompt); // idle
  }
  return ['{"version": 2, "width": 80, "height": 24}', ...ev.map((e) => JSON.stringify(e))].join('\n') + '\n';
}

const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 3);
  const cast = sixtySecondCast();
  const opts = { maxCols: 500, maxRows: 200 };
  renderAnimation(cast.slice(0, 2000).replace(/\n[^\n]*$/, '\n'), { format: 'gif', ...opts }); // warm-up: fonts
  const frames = castFrames(cast, { ...opts, maxFrames: 1e6 });
  const last = frames[frames.length - 1];
  console.log(`recording: ${(last.time).toFixed(1)} s to the last frame, ${cast.length} bytes of cast, ${frames.length} frames at 10 fps`);
  // One full-frame renderPng per frame, as a renderer without the row cache would do (a sample of 20 frames).
  const sample = frames.filter((_, i) => i % Math.max(1, Math.floor(frames.length / 20)) === 0).slice(0, 20);
  let t0 = performance.now();
  for (const f of sample) renderPng(f.snap);
  const perFrame = (performance.now() - t0) / sample.length;
  console.log('| output | frames | rows drawn by resvg | resvg renders | bytes | ms (median) | frames/s |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const format of ['gif', 'apng', 'svg'] as AnimationFormat[]) {
    const times: number[] = [];
    let bytes = 0, n = 0;
    for (let i = 0; i < runs; i++) {
      t0 = performance.now();
      const a = renderAnimation(cast, { format, ...opts });
      times.push(performance.now() - t0);
      bytes = a.body.length; n = a.frames;
    }
    const r = new FrameRasterizer(frames, {});
    if (format !== 'svg') { for (let i = 0; i < frames.length; i += 32) r.prepare(frames.slice(i, i + 32)); }
    const ms = median(times);
    console.log(`| ${format} | ${n} | ${format === 'svg' ? '-' : r.rowsDrawn} | ${format === 'svg' ? '-' : r.renders} | ${bytes} | ${ms.toFixed(0)} | ${(n / (ms / 1000)).toFixed(0)} |`);
  }
  console.log(`renderPng of a whole frame (no row cache), median of ${sample.length}: ${perFrame.toFixed(0)} ms → ${(perFrame * frames.length / 1000).toFixed(1)} s for the ${frames.length} frames`);
}

if (process.argv[1]?.endsWith("animation.js")) await main();
