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

const SAFE_SCHEMES = /^(https?|mailto|ftp|ftps|file):/i;

/** The URI when it is safe to make a live link of, else null. */
export function safeHref(uri: string): string | null {
  const t = uri.trim();
  // eslint-disable-next-line no-control-regex
  if (t === '' || /[\x00-\x20\x7f]/.test(t)) return null;
  return SAFE_SCHEMES.test(t) ? t : null;
}

/** A monospace stack: the fonts renderPng loads first, then what browsers usually have. */
export const MONO_STACK = "'DejaVu Sans Mono', 'WenQuanYi Micro Hei Mono', Symbola, Menlo, Consolas, 'Liberation Mono', monospace";
