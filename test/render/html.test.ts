import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/render/html.js';
import { MAX_HREF_LENGTH } from '../../src/render/markup.js';
import { snap } from './helpers.js';

/** The <pre> body only. */
const pre = (html: string): string => /<pre class="termpool"[^>]*>([\s\S]*)<\/pre>/.exec(html)![1];

describe('renderHtml', () => {
  it('is a standalone page with the snapshot title, CSP and the default colours', () => {
    const html = renderHtml(snap(10, 2, '\x1b]2;my <title>\x07hi'));
    expect(html.startsWith('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).toContain('<title>my &lt;title&gt;</title>');
    expect(html).toContain('color:#e5e5e5;background:#000000');
    expect(html).toContain('<pre class="termpool" data-cols="10" data-rows="2">');
    expect(renderHtml(snap(4, 1, 'x'))).toContain('<title>termpool</title>');
  });

  it('one line per row, runs as spans with only non-default styles, trailing blanks trimmed', () => {
    const html = renderHtml(snap(16, 3, 'plain \x1b[1;31mbold red\x1b[0m\r\n\x1b[44m  \x1b[0m\x1b[?25l'));
    expect(pre(html)).toBe('plain <span style="color:#cd0000;font-weight:bold">bold red</span>\n<span style="background:#0000ee">  </span>\n');
  });

  it('escapes text and wraps wide chars in 2ch blocks', () => {
    const html = renderHtml(snap(10, 1, '<a&"b>中\x1b[?25l'));
    expect(pre(html)).toBe('&lt;a&amp;&quot;b&gt;<span class="w">中</span>');
  });

  it('decorations, faint, invisible and underline colour', () => {
    const body = pre(renderHtml(snap(20, 1, '\x1b[4:3;58;5;9mu\x1b[0;9;53ms\x1b[0;2mf\x1b[0;8mh\x1b[0;3mi\x1b[?25l')));
    expect(body).toBe(
      '<span style="text-decoration:underline;text-decoration-style:wavy;text-decoration-color:#ff0000">u</span>' +
      '<span style="text-decoration:line-through overline">s</span>' +
      '<span style="color:#737373">f</span>' +
      '<span style="color:#000000;visibility:hidden">h</span>' +
      '<span style="font-style:italic">i</span>');
  });

  it('links with safe schemes become <a>, others stay text', () => {
    const body = pre(renderHtml(snap(30, 1,
      '\x1b]8;;https://e.com/?q="x"\x1b\\site\x1b]8;;\x1b\\ \x1b]8;;javascript:alert(1)\x1b\\evil\x1b]8;;\x1b\\\x1b[?25l')));
    expect(body).toBe('<a href="https://e.com/?q=&quot;x&quot;" rel="noopener noreferrer nofollow">site</a> evil');
  });

  it('one <a> spans the styled runs of one link; a different link starts another', () => {
    const body = pre(renderHtml(snap(30, 1,
      '\x1b]8;;https://a/\x1b\\a\x1b[1mb\x1b[0mc\x1b]8;;https://x/\x1b\\d\x1b]8;;\x1b\\e\x1b[?25l')));
    const a = (href: string): string => `<a href="${href}" rel="noopener noreferrer nofollow">`;
    expect(body).toBe(`${a('https://a/')}a<span style="font-weight:bold">b</span>c</a>${a('https://x/')}d</a>e`);
  });

  it('a link longer than MAX_HREF_LENGTH stays text; one at the limit is live', () => {
    const at = `https://e/${'a'.repeat(MAX_HREF_LENGTH - 10)}`;
    const over = `${at}b`;
    const body = pre(renderHtml(snap(10, 1, `\x1b]8;;${at}\x1b\\ok\x1b]8;;${over}\x1b\\no\x1b]8;;\x1b\\\x1b[?25l`)));
    expect(body).toBe(`<a href="${at}" rel="noopener noreferrer nofollow">ok</a>no`);
  });

  it('marks the cursor: block inverted, bar and underline as inset shadows', () => {
    expect(pre(renderHtml(snap(5, 1, 'ab\x1b[1G')))).toBe('<span class="cursor" style="color:#000000;background:#e5e5e5">a</span>b');
    expect(pre(renderHtml(snap(5, 1, 'ab\x1b[5 q')))).toBe('ab<span class="cursor" style="box-shadow:inset 2px 0 0 #e5e5e5"> </span>');
    expect(pre(renderHtml(snap(5, 1, 'ab'), { cursor: false }))).toBe('ab');
  });

  it('reverse video swaps the page colours', () => {
    const html = renderHtml(snap(5, 1, '\x1b[?5hx\x1b[?25l'));
    expect(html).toContain('body{margin:0;background:#e5e5e5}');
    expect(html).toContain('color:#000000;background:#e5e5e5}');
  });
});
