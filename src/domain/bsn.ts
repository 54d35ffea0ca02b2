/**
 * BSN (burgerservicenummer) check: nine digits passing the 11-proef
 * (9·d1 + 8·d2 + … + 2·d8 − 1·d9 ≡ 0 mod 11). Eight-digit numbers are accepted
 * with a leading zero, as the standard allows.
 */
export function isValidBsn(input: string): boolean {
  const s = input.length === 8 ? `0${input}` : input;
  if (!/^\d{9}$/.test(s)) return false;
  if (s === '000000000') return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * (s.charCodeAt(i) - 48);
  sum -= s.charCodeAt(8) - 48;
  return sum % 11 === 0;
}

/** Normalises a valid BSN to nine digits; throws on an invalid one (without echoing it in full). */
export function normaliseBsn(input: string): string {
  if (!isValidBsn(input)) throw new RangeError(`BSN fails the 11-proef (${maskBsn(input)})`);
  return input.length === 8 ? `0${input}` : input;
}

/** Masks all but the last two digits, for error messages: `*******06`. */
export function maskBsn(input: string): string {
  return input.length <= 2 ? '**' : `${'*'.repeat(input.length - 2)}${input.slice(-2)}`;
}
