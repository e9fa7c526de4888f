import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { renderPng, renderSvg, renderHtml } from '../../src/render/index.js';
import { snap } from './helpers.js';
it('look', () => {
  const s = snap(40, 10, '\x1b]2;demo\x07┌──────┬──────┐\r\n│ \x1b[1mbold\x1b[0m │ \x1b[31mred\x1b[0m  │ 中文字符 日本語\r\n├──────┼──────┤\r\n└──────┴──────┘ \x1b[41m red bg \x1b[0m \x1b[44;93m blue \x1b[0m\r\n' +
    '\x1b[4munder\x1b[0m \x1b[4:3;58:5:9mcurly\x1b[0m \x1b[9mstrike\x1b[0m \x1b[3mitalic\x1b[0m \x1b[2mfaint\x1b[0m \x1b[7minv\x1b[0m\r\n' +
    '\x1b[38;5;208m256\x1b[0m \x1b[38;2;100;200;255mrgb\x1b[0m e\u0301 ❤ ☺ ★ 👍 ▀▄█░▒▓\r\n' + 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn\r\n$ ls -la');
  const t0 = Date.now();
  const png = renderPng(s); writeFileSync('/tmp/look2.png', renderPng(s, { cellWidth: 16, cellHeight: 32, fontSize: 28 }));
  console.log('png ms', Date.now() - t0, png.length);
  writeFileSync('/tmp/look.png', png);
  writeFileSync('/tmp/look.svg', renderSvg(s));
  writeFileSync('/tmp/look.html', renderHtml(s));
});
