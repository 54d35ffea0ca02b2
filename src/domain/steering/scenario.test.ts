import { describe, expect, it } from 'vitest';
import { frontShare, voorkantEffect, voorkantScenario } from './scenario.js';

const euro = (e: number) => e * 100;

describe('voorkant: seed 001 (raadsinformatiebrief Jeugdhulp naar de voorkant, Alblasserdam)', () => {
  // Seed 001: "In de bijlage zien we dat voor begeleiding we van (afgerond) € 27.000,= naar € 13.500,= kosten in de
  // zorgmarkt gaan. Voor opvoedhulp is dat van € 14.000,= naar € 7.000,=. Deze bedragen verschuiven van de zorgmarkt
  // naar de 'voorkant'. De bezuiniging zit er in dat we een, voorlopige, afspraak met de stichting Jeugdteams hebben
  // dat zij het werk leveren met een korting van 10%."
  // Read as: half of the care moves (share 0.5), the front does the same work (ratio 1) at a 10% discount.
  it('begeleiding € 27.000 → € 13.500 in the care market per 5 children per month', () => {
    // moved 27.000 × 0,5 = 13.500; remaining 13.500; front 13.500 × 1 × 0,9 = 12.150; saving 13.500 − 12.150 = 1.350
    expect(voorkantEffect(euro(27_000), { share: 0.5, ratio: 1, discount: 0.1 })).toEqual({
      baseCents: euro(27_000),
      movedCents: euro(13_500),
      remainingCents: euro(13_500),
      frontCostCents: euro(12_150),
      netSavingCents: euro(1_350),
    });
  });
  it('opvoedhulp € 14.000 → € 7.000', () => {
    // moved 7.000; remaining 7.000; front 7.000 × 0,9 = 6.300; saving 700
    expect(voorkantEffect(euro(14_000), { share: 0.5, ratio: 1, discount: 0.1 })).toEqual({
      baseCents: euro(14_000),
      movedCents: euro(7_000),
      remainingCents: euro(7_000),
      frontCostCents: euro(6_300),
      netSavingCents: euro(700),
    });
  });
  it('the other reading (all of it moves, the front costs half) also lands on € 13.500', () => {
    // 27.000 × 1 × 0,5 = 13.500 front cost, saving 13.500; with the SJT discount: 13.500 × 0,9 = 12.150, saving 14.850
    expect(voorkantEffect(euro(27_000), { share: 1, ratio: 0.5 })).toMatchObject({
      remainingCents: 0,
      frontCostCents: euro(13_500),
      netSavingCents: euro(13_500),
    });
    expect(voorkantEffect(euro(14_000), { share: 1, ratio: 0.5, discount: 0.1 })).toMatchObject({
      frontCostCents: euro(6_300),
      netSavingCents: euro(7_700),
    });
  });
  it('the 10% SJT discount alone: moving care at cost ratio 1 saves exactly 10%', () => {
    // 41.000 (27.000 + 14.000) all moved: front 36.900, saving 4.100
    expect(voorkantEffect(euro(41_000), { share: 1, ratio: 1, discount: 0.1 }).netSavingCents).toBe(euro(4_100));
  });
  it('share of the budget at the front: "Dat is nu 12 %" (goal 25%)', () => {
    // in cents: before 12.000.000 / 100.000.000 = 12%; after the begeleiding step: (12.000.000 + 1.215.000) / (100.000.000 − 135.000) ≈ 13,2%
    const e = voorkantEffect(euro(27_000), { share: 0.5, ratio: 1, discount: 0.1 });
    const s = frontShare({ frontCents: euro(120_000), totalCents: euro(1_000_000) }, e);
    expect(s.before).toBe(0.12);
    expect(s.after).toBeCloseTo(13_215_000 / 99_865_000, 12);
    expect(frontShare({ frontCents: 1, totalCents: 4 })).toEqual({ before: 0.25, after: 0.25 });
  });
});

describe('voorkant: seed 004 (Rekenkamer, CJG business case Alblasserdam)', () => {
  // Seed 004: "Dit zou op termijn een besparing betekenen van 218.000 euro voor de gemeente Alblasserdam op deze post.
  // [...] Volgens berekeningen van het CJG zijn de kosten voor het uitbreiden van het preventieve veld zo'n 90% van de
  // kosten voor de zorg. Dit betekent een jaarlijkse netto besparing van 21.800 euro."
  it('begeleiding € 218.000 to zero at 90% → € 21.800 net saving a year', () => {
    // front 218.000 × 0,9 = 196.200; saving 218.000 − 196.200 = 21.800
    expect(voorkantEffect(euro(218_000), { share: 1, ratio: 0.9 })).toEqual({
      baseCents: euro(218_000),
      movedCents: euro(218_000),
      remainingCents: 0,
      frontCostCents: euro(196_200),
      netSavingCents: euro(21_800),
    });
  });
  // Seed 004: "Dit zou een besparing bedragen van ongeveer 92.400 euro. Ook in dit geval verwachten jeugdprofessionals
  // zo'n 90% van het budget nodig te hebben om goede preventie in te richten. Dit betekent dat er ongeveer 10.000 euro
  // bespaard kan worden."
  it('opvoedhulp € 92.400 at 90% → € 9.240, the seed\'s "ongeveer 10.000"', () => {
    // front 92.400 × 0,9 = 83.160; saving 9.240 — the seed rounds this up to "about 10.000" (within 10%)
    const e = voorkantEffect(euro(92_400), { share: 1, ratio: 0.9 });
    expect(e.frontCostCents).toBe(euro(83_160));
    expect(e.netSavingCents).toBe(euro(9_240));
    expect(Math.abs(e.netSavingCents - euro(10_000)) / euro(10_000)).toBeLessThanOrEqual(0.1);
  });
});

describe('voorkant: per year and per municipality', () => {
  const lines = [
    { municipality: '0482', category: '45', label: 'begeleiding', yearlyCostCents: euro(218_000) },
    { municipality: '0482', category: '45', label: 'opvoedhulp', yearlyCostCents: euro(92_400) },
    { municipality: '0505', category: '45', yearlyCostCents: euro(100_000) },
  ];
  it('ramps the share per year and adds up lines, municipalities and years', () => {
    const s = voorkantScenario(lines, { share: 0.5, ratio: 0.9 }, [{ year: 2027, share: 1 }, { year: 2026 }]);
    // 2026 (share 0,5): 0482 begeleiding moved 109.000, front 98.100, saving 10.900; opvoedhulp moved 46.200,
    //   front 41.580, saving 4.620 → 0482 saving 15.520; 0505 moved 50.000, front 45.000, saving 5.000 → year 20.520
    // 2027 (share 1): 0482 21.800 + 9.240 = 31.040; 0505 10.000 → year 41.040. Total 61.560.
    expect(s.perMunicipality.map((r) => [r.year, r.municipality, r.netSavingCents])).toEqual([
      [2026, '0482', euro(15_520)],
      [2026, '0505', euro(5_000)],
      [2027, '0482', euro(31_040)],
      [2027, '0505', euro(10_000)],
    ]);
    expect(s.perYear.map((r) => [r.year, r.share, r.netSavingCents, r.movedCents])).toEqual([
      [2026, 0.5, euro(20_520), euro(205_200)],
      [2027, 1, euro(41_040), euro(410_400)],
    ]);
    expect(s.total.netSavingCents).toBe(euro(61_560));
    expect(s.total.baseCents).toBe(2 * euro(410_400));
    expect(s.params).toEqual({ share: 0.5, ratio: 0.9, discount: 0 });
    for (const r of [...s.lines, ...s.perMunicipality, ...s.perYear]) {
      expect(r.movedCents + r.remainingCents).toBe(r.baseCents);
      expect(r.movedCents - r.frontCostCents).toBe(r.netSavingCents);
    }
  });
  it('rounds to whole cents, half away from zero, without float noise', () => {
    // 15 × 0,5 = 7,5 → 8 moved, 7 remaining; 45 × 0,7 = 31,5 (float: 31,4999…) → 32
    expect(voorkantEffect(15, { share: 0.5, ratio: 1 })).toMatchObject({ movedCents: 8, remainingCents: 7 });
    expect(voorkantEffect(45, { share: 0.7, ratio: 1 }).movedCents).toBe(32);
    expect(voorkantEffect(-15, { share: 0.5, ratio: 1 })).toMatchObject({ movedCents: -8, remainingCents: -7 });
  });
  it('a front that costs more than the care gives a negative saving', () => {
    expect(voorkantEffect(euro(1_000), { share: 1, ratio: 1.2 }).netSavingCents).toBe(-euro(200));
  });
  it('rejects impossible parameters', () => {
    expect(() => voorkantEffect(100, { share: 1.2, ratio: 1 })).toThrow(/share/);
    expect(() => voorkantEffect(100, { share: 0.5, ratio: -1 })).toThrow(/ratio/);
    expect(() => voorkantEffect(100, { share: 0.5, ratio: 1, discount: 1 })).toThrow(/discount/);
    expect(() => voorkantEffect(1.5, { share: 0.5, ratio: 1 })).toThrow(/integer/);
    expect(() => voorkantScenario(lines, { share: 0.5, ratio: 1 }, [])).toThrow(/at least one year/);
    expect(() => voorkantScenario(lines, { share: 0.5, ratio: 1 }, [{ year: 2026 }, { year: 2026 }])).toThrow(/twice/);
  });
});
