/**
 * "Even ver gedeclareerd" on the three surfaces an analyst reads it — Kostendrijvers (page and API), the A4 and
 * the municipality page's way there — at the same lag: the hand case of app/testing/like-for-like-ledger.ts,
 * latest declaration 17-10-2026, so January–September 2025 as declared up to 17-10-2025. The council keeps
 * last year as known now.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAG } from '../app/testing/like-for-like-ledger.js';
import { councilApp, type CouncilApp, plainText } from './testing.js';

let c: CouncilApp | undefined;
const app = () => {
  if (!c) throw new Error('no app');
  return c;
};
beforeAll(async () => {
  c = await councilApp(LAG.lines);
}, 120_000);
afterAll(async () => {
  await c?.close();
});

const euro = (cents: number) => `€ ${new Intl.NumberFormat('nl-NL').format(cents / 100)}`;
/** The total row of the A4's category table: this year and last year as shown. */
const a4Total = (body: string) => /<tr class="total"><td>Totaal<\/td>(.*?)<\/tr>/.exec(plainText(body))?.[1] ?? '';

describe('like for like at the same lag, as an analyst reads it', () => {
  it('the municipality page leads to Kostendrijvers for January–September, which compares up to 17-10-2025', async () => {
    const { analyst } = app();
    const page = await analyst.get('/gemeente/0482');
    expect(page.statusCode).toBe(200);
    const href = /href="(\/kostendrijvers\?[^"]*)"/.exec(page.body)?.[1]?.replace(/&amp;/g, '&') ?? '';
    const q = new URLSearchParams(href.split('?')[1]);
    expect([q.get('from-period'), q.get('to-period'), q.get('gelijk')]).toEqual([
      '2025-01..2025-09',
      '2026-01..2026-09',
      '1',
    ]);
    const api = (await analyst.settled(`/api${href}`)).json();
    expect(api.likeForLike).toEqual({ beforeAsOf: '2025-10-17', afterAsOf: '2026-10-17' });
    expect([api.total.beforeCents, api.total.afterCents]).toEqual([LAG.sameLag0482, LAG.now0482]);
    const drivers = plainText((await analyst.settled(href)).body);
    expect(drivers).toContain(
      'Even ver gedeclareerd: januari t/m september 2026 gedeclareerd t/m 17-10-2026, januari t/m september 2025 gedeclareerd t/m 17-10-2025.',
    );
    // People read the periods in Dutch; the identifiers stay in the links and the form only.
    expect(drivers).toContain('<h1>Kostendrijvers januari t/m september 2025 → januari t/m september 2026</h1>');
    expect(drivers).not.toMatch(/>[^<]*\d{4}-\d{2}\.\.\d{4}-\d{2}[^<]*</);
  });

  it('the A4 compares with last year as declared up to 17-10-2025 (€ 289.234), the council’s with last year as known now', async () => {
    const { analyst, raad } = app();
    const a4 = await analyst.get('/gemeente/0482/a4');
    expect(a4.statusCode).toBe(200);
    expect(plainText(a4.body)).toContain('stand per 17-10-2025 (even ver gedeclareerd)');
    expect(a4Total(a4.body)).toContain(euro(LAG.sameLag0482));
    expect(a4Total(a4.body)).toContain(euro(LAG.now0482));
    const council = await raad.get('/gemeente/0482/a4');
    expect(council.statusCode).toBe(200);
    expect(plainText(council.body)).toContain('zoals nu bekend (stand per 17-10-2026)');
    expect(a4Total(council.body)).toContain(euro(LAG.known0482));
    expect(plainText(council.body)).not.toContain('17-10-2025');
  });
});
