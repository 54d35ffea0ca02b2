/**
 * The attacker on the A4's "Wat veranderde en waarom" (and the gemeente page's "Waarom veranderde de
 * prognose?"). Its lead says how the forecast moved since an earlier stand: the latest published vintage
 * before the current stand, or — when none was published — the same day a month earlier. That month-earlier
 * forecast was never published to anybody: it rests on the data as known then, and its difference with the
 * current forecast is what was declared in between minus what was expected — a cut by declaration date that
 * may rest on one or two clients. A council may see only forecasts published to it; so it gets the direction
 * of the change since such a stand and no amount, and the amounts only since a published vintage (which
 * /api/forecast/vintages gives it too). Analysts keep the amounts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twoMunicipalityLines } from '../app/testing/ledger.js';
import { publishForecast, type ForecastHistory } from '../app/forecast.js';
import { a4Data } from '../app/reports.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { councilApp, type CouncilApp, type Session, plainText } from './testing.js';

/*
 * Hand case. Two municipalities, production January 2024 – March 2025, each month declared on its last day:
 * - Alblasserdam (0482): category 45, clients 1–20, € 1.000 a month; category 43, clients 21–35, € 800.
 * - Dordrecht (0505): category 45, clients 101–130, € 1.000; category 43, clients 131–142, € 800.
 * - Between the stands: on 14-03-2025 two of Alblasserdam's clients (1 and 2) get € 617 each more for
 *   February 2025 (category 45): € 1.234 on 2 clients, declared after the stand of 28-02-2025.
 * The latest declaration is 31-03-2025: the A4 is that of March 2025, its earlier stand 28-02-2025 (the same
 * day a month earlier, as long as no vintage is published). Every published cell rests on at least 12 clients.
 */
const EARLIER = '28-02-2025';
const LATE_CENTS = 2 * 61_700;
const EURO = 100;

let c: CouncilApp | undefined;
let w: Warehouse;
let raad: Session;
let analyst: Session;

beforeAll(async () => {
  const months = [
    ...Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}`),
    '2025-01',
    '2025-02',
    '2025-03',
  ];
  const lines = twoMunicipalityLines(months, () => 100_000, {
    month: '2025-02',
    declarationDate: '2025-03-14',
    centsEach: LATE_CENTS / 2,
  });
  c = await councilApp(lines);
  ({ w, raad, analyst } = c);
}, 120_000);

afterAll(async () => {
  await c?.close();
});

/** `€ 1.234` → cents. */
const cents = (text: string): number => Number(text.replace(/[€\s.]/g, '')) * EURO;
const LEAD = new RegExp(
  `Sinds de stand van ${EARLIER} (?:steeg|daalde) de prognose met (€ [\\d.]+): van (€ [\\d.]+) naar (€ [\\d.]+)\\.`,
);
/** The paragraphs of a section that starts with the heading `title`. */
const section = (body: string, title: string) =>
  new RegExp(`<h2>${title}</h2>([\\s\\S]*?)</(?:div|section)>`).exec(body)?.[1] ?? '';

describe('attacker: the forecast of an earlier stand in "Wat veranderde en waarom"', () => {
  let earlier = '';

  it('an analyst’s A4 gives the month-earlier forecast (never published) and the change from it', async () => {
    // The window holds the few-client cut: declared after 28-02-2025 for Alblasserdam's 2025, on 2 clients.
    const byDecl = await w.costs({ by: ['declarationMonth', 'month'], year: 2025, municipalities: ['0482'] });
    const cut = byDecl.find((r) => r.declarationMonth === '2025-03' && r.month === '2025-02');
    expect([cut?.amountCents, cut?.clients]).toEqual([LATE_CENTS, 2]);
    const a4 = await analyst.get('/gemeente/0482/a4');
    expect(a4.statusCode).toBe(200);
    const m = LEAD.exec(plainText(a4.body));
    expect(m, 'the analyst’s lead with its amounts').not.toBeNull();
    const [, change = '', from = '', to = ''] = m ?? [];
    // Its amounts add up: the change is the current forecast minus the earlier one (both rounded to euros).
    expect(Math.abs(cents(to) - cents(from) - cents(change))).toBeLessThanOrEqual(EURO);
    expect(cents(from)).not.toBe(cents(to));
    earlier = from;
    // Published to nobody: no vintage of 2025 at all.
    const vintages = (await analyst.get('/api/forecast/vintages?year=2025')).json<ForecastHistory[]>();
    expect(vintages.flatMap((h) => h.vintages)).toEqual([]);
  }, 120_000);

  it('the council’s A4 and gemeente page say only which way the forecast moved since that stand', async () => {
    expect(earlier).toMatch(/^€ [\d.]+$/);
    const a4 = plainText((await raad.get('/gemeente/0482/a4')).body);
    const box = section(a4, 'Wat veranderde en waarom');
    expect(box).toMatch(
      new RegExp(
        `Sinds de stand van ${EARLIER} is de prognose (gestegen|gedaald|niet veranderd)\\. De prognose van die stand is niet gepubliceerd; daarom staan hier geen bedragen\\.`,
      ),
    );
    // No amount in the revision's lead or causes; the earlier forecast nowhere on the page.
    const revision = /Sinds de stand van[^<]*/.exec(box)?.[0] ?? '';
    expect(revision).not.toContain('€');
    expect(a4).not.toContain(earlier);
    expect(a4).not.toMatch(LEAD);

    const page = await raad.get('/gemeente/0482?year=2025');
    expect(page.statusCode).toBe(200);
    const body = plainText(page.body);
    const why = section(body, 'Waarom veranderde de prognose\\?');
    expect(why).toContain(`Sinds de stand van ${EARLIER} is de prognose`);
    expect(why).not.toContain('€');
    expect(body).not.toContain(earlier);

    // The API: the earlier forecast left out for the council, given to an analyst.
    type Explained = { since: string; municipalities: { municipality: string; fromCents: number | null }[] };
    const fromOf = async (s: Session) =>
      (await s.get('/api/forecast/explain?year=2025'))
        .json<Explained>()
        .municipalities.find((x) => x.municipality === '0482')?.fromCents;
    expect(Math.abs(((await fromOf(analyst)) ?? 0) - cents(earlier))).toBeLessThan(EURO);
    expect(await fromOf(raad)).toBeNull();
  }, 120_000);

  it('since a published vintage the council gets the amounts: the very figure published to it', async () => {
    // Published by an analyst through the app service (as `grip forecast publish` does), at the earlier stand.
    await publishForecast(w, { year: 2025, asOf: '2025-02-28', by: 'test', label: 'Stand februari' });
    const shown = (await raad.get('/api/forecast/vintages?year=2025')).json<ForecastHistory[]>();
    const published = shown.find((h) => h.scope === '0482')?.vintages.at(-1)?.forecastCents;
    expect(published).toBeTypeOf('number');
    const [d] = await a4Data(w, { month: '2025-03', municipalities: ['0482'], protect: true });
    const lead = plainText(d?.revision?.lead ?? '');
    const m = new RegExp(
      `^Sinds de gepubliceerde prognose van ${EARLIER} (?:steeg|daalde) de prognose met € [\\d.]+: van (€ [\\d.]+) naar`,
    ).exec(lead);
    expect(m, lead).not.toBeNull();
    expect(Math.abs(cents(m?.[1] ?? '') - (published ?? 0))).toBeLessThan(EURO);
    // The API gives the council that published figure as the earlier forecast.
    const ex = (await raad.get('/api/forecast/explain?year=2025')).json<{
      since: string;
      municipalities: { municipality: string; fromCents: number | null }[];
    }>();
    expect(ex.since).toBe('vintage');
    expect(ex.municipalities.find((x) => x.municipality === '0482')?.fromCents).toBe(published);
  }, 120_000);
});
