/**
 * The pure parts of `grip allocate` and `grip scenario voorkant` (src/cli/commands/allocate.ts, scenario.ts):
 * building the output from plain data. Kept here because this session may only add files under steering/.
 */
import { at } from '../indexing.js';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  basisRows,
  buildAllocateReport,
  parseCheck,
  registerAllocate,
  renderAllocateTable,
  renderCheck,
  type MunicipalityYearCost,
} from '../../cli/commands/allocate.js';
import {
  buildVoorkantReport,
  defaultScenarioYear,
  parseFraction,
  parseRamp,
  registerScenario,
  renderVoorkantTable,
} from '../../cli/commands/scenario.js';
import { ZHZ_MUNICIPALITIES } from '../codes/index.js';
import { compareKeys, parsePhase } from './allocation.js';

const euro = (e: number) => e * 100;
const region = ZHZ_MUNICIPALITIES;

/** Warehouse-like costs by municipality for 2017–2020: cost and clients grow with the municipality's index. */
function costsByYear(): Map<number, MunicipalityYearCost[]> {
  const m = new Map<number, MunicipalityYearCost[]>();
  for (const y of [2017, 2018, 2019, 2020])
    m.set(
      y,
      region.map((r, i) => ({
        municipality: r.code,
        amountCents: euro(100_000) * (i + 1) + euro(1_000) * (y - 2017),
        clients: 50 + i * 10 + (y - 2017),
      })),
    );
  m.get(2020)!.push({ municipality: '0363', amountCents: euro(999_999), clients: 999 }); // Amsterdam: not in the region, ignored
  return m;
}

describe('grip allocate: output from plain data', () => {
  it('builds the key bases: usage of the year, clients of t-1, the 3-year average of clients', () => {
    const rows = basisRows(region, costsByYear(), 2020);
    expect(rows).toHaveLength(10);
    expect(rows[0]).toEqual({
      code: '0482',
      name: 'Alblasserdam',
      usageCents: euro(103_000),
      clientsPrev: 52, // 2019
      clients3y: [50, 51, 52], // 2017, 2018, 2019
      inhabitants: 20_800,
      youths: 4_472,
    });
    // Years without any data are left out of the average (the warehouse starts in 2018 here).
    const partial = costsByYear();
    partial.delete(2017);
    expect(at(basisRows(region, partial, 2020), 0).clients3y).toEqual([51, 52]);
    // A municipality without costs gets 0.
    expect(basisRows(region, new Map([[2020, []]]), 2020)[0]).toMatchObject({
      usageCents: 0,
      clientsPrev: 0,
      clients3y: [],
    });
  });

  it('the JSON report: shares add up exactly, percents of the amount', () => {
    const rows = basisRows(region, costsByYear(), 2020);
    const r = buildAllocateReport(2020, euro(400_000), 'equal', rows);
    expect(r).toMatchObject({ year: 2020, amountCents: euro(400_000), key: 'equal' });
    expect(r.shares[0]).toEqual({
      municipality: '0482',
      name: 'Alblasserdam',
      basis: 1,
      shareCents: euro(40_000),
      percent: 10,
    });
    const usage = buildAllocateReport(2020, -123_457, 'usage', rows);
    expect(usage.shares.reduce((s, x) => s + x.shareCents, 0)).toBe(-123_457);
    expect(usage.ownWeight).toBeUndefined();
    const phased = buildAllocateReport(
      2021,
      euro(1_000),
      'phased',
      rows.map((x) => ({ ...x })),
      { phase: parsePhase('2020:0,2021:0.25,2022:0.5,2023:1') },
    );
    expect(phased).toMatchObject({ ownWeight: 0.25, solidarityKey: 'youths' });
  });

  it('the table in Dutch money format, with a total row and the approximate-data note', () => {
    const rows = basisRows(region, costsByYear(), 2020);
    const text = renderAllocateTable(buildAllocateReport(2020, euro(400_000), 'inhabitants', rows), true);
    expect(text).toContain('Verdeling van € 400.000,00 (2020) naar inwoners');
    expect(text).toMatch(/0482\s+Alblasserdam\s+20\.800\s+€ 17\.781,58\s+4,45%/); // 40.000.000 × 20.800 / 467.900 = 1.778.157,7 cents
    expect(text).toMatch(/totaal\s+€ 400\.000,00\s+100,00%/);
    expect(text).toContain('benaderingen');
    expect(renderAllocateTable(buildAllocateReport(2020, euro(400_000), 'usage', rows), true)).not.toContain(
      'benaderingen',
    );
  });

  it('the decision check (seed 001: € 19.000 of € 400.000 for Alblasserdam) next to each key', () => {
    expect(parseCheck('GM0482:1900000')).toEqual({ municipality: '0482', cents: 1_900_000 });
    expect(() => parseCheck('0482=19000')).toThrow(/GEMEENTE:CENTEN/);
    const rows = basisRows(region, costsByYear(), 2020);
    const c = compareKeys(euro(400_000), parseCheck('0482:1900000'), rows);
    const text = renderCheck(c, 'Alblasserdam');
    expect(text).toContain('Besluit: 0482 Alblasserdam krijgt € 19.000,00 van € 400.000,00 (4,75%)');
    expect(text).toMatch(/gelijke delen\s+€ 40\.000,00\s+10,00%\s+\+€ 21\.000,00\s+nee/);
    expect(text).toMatch(/Dichtst bij het besluit: /);
  });

  it('--help is in English with examples', () => {
    const program = new Command();
    registerAllocate(program);
    registerScenario(program);
    const help = (name: string) => {
      let cmd = program.commands.find((c) => c.name() === name)!;
      if (name === 'scenario') cmd = cmd.commands.find((c) => c.name() === 'voorkant')!;
      let out = '';
      cmd.configureOutput({ writeOut: (s) => (out += s) });
      cmd.outputHelp();
      return out;
    };
    expect(help('allocate')).toContain('$ grip allocate --year 2020 --amount-cents 40000000 --check 0482:1900000');
    expect(help('allocate')).toContain('--key <key>');
    expect(help('scenario')).toContain('$ grip scenario voorkant --category 45 --share 0.2 --ratio 0.5');
  });
});

describe('grip scenario voorkant: output from plain data', () => {
  it('parses shares, ramps and the default year', () => {
    expect(parseFraction('0.2', 'x')).toBe(0.2);
    expect(parseFraction('0,9', 'x')).toBe(0.9);
    expect(parseFraction('10%', 'x')).toBe(0.1);
    expect(() => parseFraction('much', '--share')).toThrow(/--share moet een getal zijn/);
    expect(parseRamp('2026:0.25,2027:50%')).toEqual([
      { year: 2026, share: 0.25 },
      { year: 2027, share: 0.5 },
    ]);
    expect(() => parseRamp('2026')).toThrow(/JAAR:AANDEEL/);
    expect(defaultScenarioYear('2025-12')).toBe(2025);
    expect(defaultScenarioYear('2026-03')).toBe(2025);
    expect(defaultScenarioYear(null)).toBeNull();
  });

  it('the CJG business case of seed 004 through the CLI path: € 218.000 at 90% → € 21.800 for Alblasserdam', () => {
    // Seed 004: "Dit betekent een jaarlijkse netto besparing van 21.800 euro."
    const r = buildVoorkantReport({
      baseYear: 2025,
      category: '45',
      municipalities: region,
      costs: [
        { municipality: '0482', amountCents: euro(218_000) },
        { municipality: '0505', amountCents: euro(1_000_000) },
        { municipality: '0363', amountCents: euro(5) },
      ],
      params: { share: 1, ratio: 0.9 },
    });
    expect(r.perMunicipality).toHaveLength(10);
    expect(r.perMunicipality[0]).toMatchObject({
      year: 2025,
      municipality: '0482',
      name: 'Alblasserdam',
      baseCents: euro(218_000),
      frontCostCents: euro(196_200),
      netSavingCents: euro(21_800),
    });
    // region: 1.218.000 × 0,1 = 121.800 (Amsterdam's cost is outside the region and ignored)
    expect(r.perYear).toEqual([
      {
        year: 2025,
        share: 1,
        baseCents: euro(1_218_000),
        movedCents: euro(1_218_000),
        remainingCents: 0,
        frontCostCents: euro(1_096_200),
        netSavingCents: euro(121_800),
      },
    ]);
    const text = renderVoorkantTable(r);
    expect(text).toContain('categorie 45 Jeugdhulp ambulant, kostenbasis 2025');
    expect(text).toMatch(/0482 Alblasserdam\s+€ 218\.000,00\s+€ 218\.000,00\s+€ 0,00\s+€ 196\.200,00\s+€ 21\.800,00/);
    expect(text).toMatch(/regio\s+€ 1\.218\.000,00/);
  });

  it('seed 001 with a ramp: half moves, SJT 10% discount', () => {
    // Seed 001: "voor begeleiding we van (afgerond) € 27.000,= naar € 13.500,= kosten in de zorgmarkt gaan"; "korting van 10%".
    const r = buildVoorkantReport({
      baseYear: 2020,
      category: '45',
      municipalities: region.slice(0, 1),
      costs: [{ municipality: '0482', amountCents: euro(27_000) }],
      params: { share: 0.5, ratio: 1, discount: 0.1 },
      ramp: [
        { year: 2020, share: 0.25 },
        { year: 2021, share: 0.5 },
      ],
    });
    // 2020: moved 6.750, front 6.075, saving 675; 2021: moved 13.500 (remaining 13.500), front 12.150, saving 1.350; total 2.025
    expect(r.perYear.map((y) => [y.year, y.remainingCents, y.netSavingCents])).toEqual([
      [2020, euro(20_250), euro(675)],
      [2021, euro(13_500), euro(1_350)],
    ]);
    expect(r.total.netSavingCents).toBe(euro(2_025));
    const text = renderVoorkantTable(r);
    expect(text).toContain('korting aanbieder 10%');
    expect(text).toContain('2021: 50% naar de voorkant');
    expect(text).toContain('Totaal 2020–2021: netto besparing € 2.025,00.');
  });
});
