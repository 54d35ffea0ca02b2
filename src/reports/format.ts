/** nl-NL formatting helpers shared by the report renderers (HTML, DOCX). Formatting happens only here, at the edge. */
import { formatEuroRounded, type Cents } from '../domain/money.js';

export { formatEuroRounded as euro };

const nlPct1 = new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const nlInt = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 0 });

/** `4,2%` from a fraction (0.042). */
export function pct(fraction: number): string {
  return `${nlPct1.format(fraction * 100)}%`;
}

/** `+4,2%` / `−3,1%` from a fraction; `—` when not defined. */
export function signedPct(fraction: number | null): string {
  if (fraction === null || !Number.isFinite(fraction)) return '—';
  const s = nlPct1.format(Math.abs(fraction) * 100);
  return `${fraction > 0 ? '+' : fraction < 0 ? '−' : ''}${s}%`;
}

/** `+€ 12.345` / `−€ 12.345` / `€ 0`. */
export function signedEuro(cents: Cents): string {
  if (Math.round(cents / 100) === 0) return '€ 0';
  return `${cents > 0 ? '+' : '−'}${formatEuroRounded(Math.abs(cents))}`;
}

/** `1.234` (whole number, nl-NL). */
export function int(n: number): string {
  return nlInt.format(n);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
