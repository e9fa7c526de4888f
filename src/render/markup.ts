/**
 * Escaping and link policy shared by the HTML and SVG renderers. Snapshot text comes from
 * whatever a program printed, so every string is escaped and only a few URI schemes become
 * live links (an OSC 8 `javascript:` link must not run in a served page).
 */

/** Characters XML 1.0 cannot hold (C0 except TAB/LF/CR, lone surrogates, U+FFFE/FFFF) → U+FFFD. */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escape for XML/HTML text and double- or single-quoted attribute values. */
export function escapeXml(s: string): string {
  return s.replace(INVALID_XML, '\ufffd').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Schemes made live links: web pages, mail and FTP. Not `file:` — a program could point the
 * reader at a local file or share path (file://attacker/share leaks credentials on some
 * systems) — nor anything else (javascript:, data:, custom protocol handlers). The text stays.
 */
const SAFE_SCHEMES = /^(https?|mailto|ftp):/i;

/**
 * Longest URI made a live link. OSC 8 allows up to the parser's 1 MiB OSC limit, and HTML and
 * SVG repeat the href on every line a link covers: a 1 MiB link over 1,000 lines would be 1 GB
 * of markup. Longer links stay as text (the JSON snapshot keeps them whole); 8 KiB is past what
 * browsers and servers commonly accept in a URL anyway.
 */
export const MAX_HREF_LENGTH = 8192;

/** The URI when it is safe (and short enough) to make a live link of, else null. */
export function safeHref(uri: string): string | null {
  if (uri.length > MAX_HREF_LENGTH + 64) return null; // before trim: never copy a huge string
  const t = uri.trim();
  if (t.length > MAX_HREF_LENGTH) return null;
  // eslint-disable-next-line no-control-regex
  if (t === '' || /[\x00-\x20\x7f]/.test(t)) return null;
  return SAFE_SCHEMES.test(t) ? t : null;
}

/**
 * The tags that take a row from the open link `open` to `href` (null: no link). HTML and SVG
 * open one <a> for consecutive runs of one link, so a long URI is written once per line, not
 * once per styled run.
 */
export function linkTags(open: string | null, href: string | null, attrs = ''): string[] {
  if (href === open) return [];
  const tags = open !== null ? ['</a>'] : [];
  if (href !== null) tags.push(`<a href="${escapeXml(href)}"${attrs}>`);
  return tags;
}

/** A monospace stack: the fonts renderPng loads first, then what browsers usually have. */
export const MONO_STACK = "'DejaVu Sans Mono', 'Noto Sans SC', 'Noto Sans KR', 'Noto Emoji', 'Noto Sans Symbols 2', Menlo, Consolas, 'Liberation Mono', monospace";
