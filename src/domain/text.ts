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
