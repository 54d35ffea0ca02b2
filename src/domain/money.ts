/**
 * Money is integer eurocents everywhere. These helpers parse, sum and format cents
 * without ever going through floating point for amounts.
 */
export type Cents = number;

import { euroCents, euroRounded } from './format/nl.js';

/** Throws unless `n` is a safe integer (a valid amount in cents). */
export function assertCents(n: number | undefined, what = 'amount'): Cents {
  if (n === undefined || !Number.isSafeInteger(n))
    throw new RangeError(`${what} must be an integer number of cents, got ${n}`);
  return n;
}

/** Parses a decimal string of whole cents ("79000", "-125") into cents; rejects anything else. */
export function parseCents(text: string, what = 'amount'): Cents {
  const s = text.trim();
  if (!/^-?\d{1,15}$/.test(s)) throw new RangeError(`${what} must be a whole number of cents, got "${text}"`);
  return assertCents(Number(s), what);
}

/** Parses a euro string with at most two decimals ("1234.56", "1.234,56", "€ 12") into cents, exactly. */
export function parseEuros(text: string, what = 'amount'): Cents {
  let s = text.trim().replace(/^€\s*/, '').replace(/\s/g, '');
  if (/,\d{1,2}$/.test(s)) s = s.replace(/\./g, '').replace(',', '.');
  else s = s.replace(/,/g, '');
  const m = /^(-?)(\d{1,13})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) throw new RangeError(`${what} is not an amount in euros: "${text}"`);
  const cents = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return assertCents(m[1] ? -cents : cents, what);
}

/** Signed amount from an unsigned amount and a COD043 debit/credit indicator. */
export function signed(amount: Cents, debitCredit: 'D' | 'C'): Cents {
  return debitCredit === 'C' ? -amount : amount;
}

export function sumCents(values: Iterable<Cents>): Cents {
  let total = 0;
  for (const v of values) total += v;
  return assertCents(total, 'sum');
}

/** `€ 1.234,56` / `-€ 1.234,56` in nl-NL (format/nl.ts). */
export const formatEuro = (cents: Cents): string => euroCents(cents);

/** `€ 1.235` (rounded to whole euros) for overviews (format/nl.ts). */
export const formatEuroRounded = (cents: Cents): string => euroRounded(cents);

/** Rounds a real-valued estimate (e.g. a forecast) to whole cents, half away from zero. */
export function roundCents(x: number): Cents {
  if (!Number.isFinite(x)) throw new RangeError(`cannot round ${x} to cents`);
  return Math.sign(x) * Math.round(Math.abs(x));
}
