/**
 * The corona revenue-loss check (omzetderving) as the CLI (`grip corona`), the web page (/corona) and its
 * xlsx download use it: the validated revenue lines of the crisis year and the year before from the
 * warehouse (always the whole region: a provider's loss is computed over all its municipalities, then
 * split), the check itself (domain/decisions/corona.ts), the view of a viewer limited to some
 * municipalities, and the workbook's sheets, written by the reports' XLSX adapter.
 */
import { cbsMunicipality } from '../domain/codes/index.js';
import {
  coronaCheck,
  type CoronaInputRow,
  type CoronaMunicipality,
  type CoronaReport,
  type CoronaTotals,
} from '../domain/decisions/corona.js';
import type { IsoDate } from '../domain/month.js';
import { NO_PROVIDER_NAMES, type ProviderNames } from '../domain/providers.js';
import { euros, xlsxWorkbook, type XlsxColumn, type XlsxSheet } from '../reports/xlsx.js';
import type { Warehouse } from '../warehouse/warehouse.js';

const muniName = (code: string) => cbsMunicipality(code)?.name ?? code;

/** The lines the check rests on: validated revenue per provider × municipality × month × declaration date. */
export function coronaLines(w: Pick<Warehouse, 'coronaInputs'>, year: number): Promise<CoronaInputRow[]> {
  return w.coronaInputs({ year });
}

/** The report limited to one municipality: its row, and the providers it has a share in (provider totals stay whole). */
export function onlyMunicipality(r: CoronaReport, code: string | undefined): CoronaReport {
  if (!code) return r;
  const municipalities = r.municipalities.filter((m) => m.municipality === code);
  const providers = r.providers.filter((p) => p.municipalities.some((s) => s.municipality === code));
  const totals = municipalities[0] ?? { provisionalLossCents: 0, finalLossCents: 0, nettedCents: 0, lateCents: 0 };
  return {
    ...r,
    providers,
    municipalities,
    totals: {
      provisionalLossCents: totals.provisionalLossCents,
      finalLossCents: totals.finalLossCents,
      nettedCents: totals.nettedCents,
      lateCents: totals.lateCents,
    },
  };
}

/** The check as `grip corona` gives it: the whole region, or one municipality's share (provider totals whole). */
export function coronaReport(
  lines: readonly CoronaInputRow[],
  opts: { year: number; peildatum: IsoDate; municipality?: string },
): { report: CoronaReport; lines: CoronaInputRow[] } {
  const only = opts.municipality;
  return {
    report: onlyMunicipality(coronaCheck([...lines], { year: opts.year, peildatum: opts.peildatum }), only),
    lines: only ? lines.filter((l) => l.municipality === only) : [...lines],
  };
}

/** One provider as a viewer limited to some municipalities sees it: their share of the loss and their own catch-up care. */
export interface ProviderView extends CoronaTotals {
  provider: string;
  /** Baseline-year revenue of the municipalities in view. */
  baselineYearCents: number;
  /** Their share of the provider's baseline-year revenue (1 when not limited). */
  share: number;
  /** The provider's monthly baseline (whole region). */
  baselineCents: number;
  catchUpDetected: boolean;
  laterExcessCents: number;
}

export interface CoronaView {
  report: CoronaReport;
  /** Municipalities in view; null = the whole region. */
  scope: string[] | null;
  providers: ProviderView[];
  municipalities: CoronaMunicipality[];
  totals: CoronaTotals;
  /** The input lines in view. */
  lines: CoronaInputRow[];
}

const sumTotals = (xs: CoronaTotals[]): CoronaTotals => ({
  provisionalLossCents: xs.reduce((s, x) => s + x.provisionalLossCents, 0),
  finalLossCents: xs.reduce((s, x) => s + x.finalLossCents, 0),
  nettedCents: xs.reduce((s, x) => s + x.nettedCents, 0),
  lateCents: xs.reduce((s, x) => s + x.lateCents, 0),
});

/** The check over all lines, limited afterwards to the municipalities in `scope` (null = all). */
export function coronaView(
  lines: CoronaInputRow[],
  opts: { year: number; peildatum: IsoDate },
  scope: string[] | null,
): CoronaView {
  const report = coronaCheck(lines, opts);
  if (scope === null) {
    return {
      report,
      scope,
      providers: report.providers.map((p) => ({
        provider: p.provider,
        baselineYearCents: p.baselineYearCents,
        share: 1,
        baselineCents: p.baselineCents,
        catchUpDetected: p.catchUpDetected,
        laterExcessCents: p.laterExcessCents,
        ...p.totals,
      })),
      municipalities: report.municipalities,
      totals: report.totals,
      lines,
    };
  }
  const inScope = (m: string) => scope.includes(m);
  const providers: ProviderView[] = [];
  for (const p of report.providers) {
    const mine = p.municipalities.filter((s) => inScope(s.municipality));
    if (!mine.length) continue;
    const base = mine.reduce((s, m) => s + m.baselineYearCents, 0);
    providers.push({
      provider: p.provider,
      baselineYearCents: base,
      share: p.baselineYearCents > 0 ? base / p.baselineYearCents : 0,
      baselineCents: p.baselineCents,
      catchUpDetected: p.catchUpDetected,
      laterExcessCents: p.laterExcessCents,
      ...sumTotals(mine),
    });
  }
  const municipalities = report.municipalities.filter((m) => inScope(m.municipality));
  return {
    report,
    scope,
    providers,
    municipalities,
    totals: sumTotals(municipalities),
    lines: lines.filter((l) => inScope(l.municipality)),
  };
}

/** What a line counts as in the check. */
export function lineRole(l: CoronaInputRow, r: CoronaReport): string {
  if (l.month.startsWith(`${r.baselineYear}-`)) return `basis ${r.baselineYear}`;
  if (r.months.includes(l.month))
    return l.declarationDate > r.peildatum ? 'inhaalzorg (na peildatum)' : 'omzet t/m peildatum';
  // As in the check: months July–December of the year may hold catch-up care for later months (a signal, not netted).
  if (l.month.startsWith(`${r.year}-`) && l.month >= `${r.year}-07`) return 'later in het jaar (signaal)';
  return 'telt niet mee';
}

/** The workbook's sheets: per provider, per municipality, per provider and month (whole region only) and the lines. */
export function coronaSheets(cv: CoronaView, names: ProviderNames = NO_PROVIDER_NAMES): XlsxSheet[] {
  const r = cv.report;
  const sheets: XlsxSheet[] = [];
  const sheet = (name: string, columns: XlsxColumn[], rows: XlsxSheet['rows']) => sheets.push({ name, columns, rows });
  const money = (key: string, header: string) => ({ key, header, width: 18, money: true });
  sheet(
    'Per aanbieder',
    [
      { key: 'provider', header: 'Aanbieder (AGB)', width: 16 },
      { key: 'providerName', header: 'Naam aanbieder', width: 32 },
      money('baselineMonth', `Gem. omzet ${r.baselineYear} per maand (hele regio)`),
      money('baselineYear', `Omzet ${r.baselineYear}${cv.scope ? ' (deze gemeente)' : ''}`),
      { key: 'share', header: 'Aandeel', width: 10, pct: true },
      money('provisional', 'Derving voorlopig'),
      money('late', 'Inhaalzorg later gedeclareerd'),
      money('netted', 'Verrekend'),
      money('final', 'Derving definitief'),
      { key: 'catchUp', header: 'Inhaalzorg gevonden', width: 12 },
    ],
    cv.providers.map((p) => ({
      provider: p.provider,
      providerName: names.get(p.provider) ?? null,
      baselineMonth: euros(p.baselineCents),
      baselineYear: euros(p.baselineYearCents),
      share: p.share,
      provisional: euros(p.provisionalLossCents),
      late: euros(p.lateCents),
      netted: euros(p.nettedCents),
      final: euros(p.finalLossCents),
      catchUp: p.catchUpDetected ? 'ja' : 'nee',
    })),
  );
  sheet(
    'Per gemeente',
    [
      { key: 'code', header: 'CBS-code', width: 10 },
      { key: 'name', header: 'Gemeente', width: 24 },
      { key: 'providers', header: 'Aanbieders', width: 10 },
      money('provisional', 'Derving voorlopig'),
      money('late', 'Inhaalzorg later gedeclareerd'),
      money('netted', 'Verrekend'),
      money('final', 'Derving definitief'),
    ],
    cv.municipalities.map((m) => ({
      code: m.municipality,
      name: muniName(m.municipality),
      providers: m.providers,
      provisional: euros(m.provisionalLossCents),
      late: euros(m.lateCents),
      netted: euros(m.nettedCents),
      final: euros(m.finalLossCents),
    })),
  );
  if (cv.scope === null)
    sheet(
      'Per maand',
      [
        { key: 'provider', header: 'Aanbieder (AGB)', width: 16 },
        { key: 'providerName', header: 'Naam aanbieder', width: 32 },
        { key: 'month', header: 'Maand', width: 10 },
        money('baseline', 'Gemiddelde'),
        money('revenue', 'Omzet t/m peildatum'),
        money('late', 'Later gedeclareerd'),
        money('provisional', 'Derving voorlopig'),
        money('final', 'Derving definitief'),
        money('netted', 'Verrekend'),
      ],
      r.providers.flatMap((p) =>
        p.months.map((m) => ({
          provider: p.provider,
          providerName: names.get(p.provider) ?? null,
          month: m.month,
          baseline: euros(m.baselineCents),
          revenue: euros(m.revenueCents),
          late: euros(m.lateCents),
          provisional: euros(m.provisionalLossCents),
          final: euros(m.finalLossCents),
          netted: euros(m.nettedCents),
        })),
      ),
    );
  sheet(
    'Regels',
    [
      { key: 'provider', header: 'Aanbieder (AGB)', width: 16 },
      { key: 'providerName', header: 'Naam aanbieder', width: 32 },
      { key: 'municipality', header: 'Gemeente', width: 10 },
      { key: 'month', header: 'Productiemaand', width: 14 },
      { key: 'date', header: 'Declaratiedatum', width: 14 },
      money('validated', 'Gevalideerd'),
      { key: 'validatedLines', header: 'Regels gevalideerd', width: 10 },
      money('rejected', 'Afgewezen (JW325)'),
      { key: 'rejectedLines', header: 'Regels afgewezen', width: 10 },
      { key: 'role', header: 'Telt als', width: 26 },
    ],
    cv.lines.map((l) => ({
      provider: l.provider,
      providerName: names.get(l.provider) ?? null,
      municipality: l.municipality,
      month: l.month,
      date: l.declarationDate,
      validated: euros(l.validatedCents),
      validatedLines: l.validatedLines,
      rejected: euros(l.rejectedCents),
      rejectedLines: l.rejectedLines,
      role: lineRole(l, r),
    })),
  );
  return sheets;
}

/** The workbook of the check as the download gives it (through the reports' XLSX adapter). */
export function coronaWorkbook(cv: CoronaView, names: ProviderNames = NO_PROVIDER_NAMES): Promise<Buffer> {
  return xlsxWorkbook(coronaSheets(cv, names), { created: new Date(0) });
}
