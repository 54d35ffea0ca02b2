/** Small text helpers shared by the domain and its adapters. */

/** A URL- and id-safe form of a title: lower case, accents removed, words joined by "-", at most `max` characters. */
export function slugify(s: string, max = 40): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, max);
}

/**
 * A short, masked excerpt of untrusted input for an error message: every run of five or more digits (a BSN,
 * an account number) is masked but for its last two digits, control characters become spaces, and the text
 * is cut at `max` characters. Errors never quote more of a file than this.
 */
export function excerpt(s: string, max = 24): string {
  const head = s.length > max * 4 ? s.slice(0, max * 4) : s;
  // Control characters are exactly what must not reach a message or a log line.
  const masked = head
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\d{5,}/g, (d) => `${'*'.repeat(d.length - 2)}${d.slice(-2)}`);
  return masked.length > max ? `${masked.slice(0, max - 1)}…` : masked;
}

/** At most `n` masked excerpts, then how many more. */
export function excerpts(items: readonly string[], n = 3, max = 24): string {
  const shown = items.slice(0, n).map((x) => `"${excerpt(x, max)}"`);
  return items.length > n ? `${shown.join(', ')} and ${items.length - n} more` : shown.join(', ');
}

/**
 * Neutralises a text cell for spreadsheets (CSV/XLSX opened in Excel): a value starting with = + - @, a tab
 * or a carriage return would be read as a formula, so it gets a leading apostrophe. Plain numbers (-12,50)
 * stay as they are.
 */
export function neutraliseFormula(v: string): string {
  if (!/^[=+\-@\t\r]/.test(v)) return v;
  if (/^[-+]?\d+([.,]\d+)?$/.test(v)) return v;
  return `'${v}`;
}
