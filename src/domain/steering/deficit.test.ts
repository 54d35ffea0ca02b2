import { describe, expect, it } from 'vitest';
import { explainDeficit, explainReservation } from './deficit.js';

const euro = (x: number) => Math.round(x * 100);

describe('own deficit vs share of the regional result', () => {
  it('usage key: the difference is all budget (hand calculation)', () => {
    // Region: budget 10.000.000, forecast 11.000.000 → deficit 1.000.000. The municipality: budget 3.000.000,
    // forecast 2.750.000 → own result −250.000 (within budget). Usage key: 2.750.000 / 11.000.000 = 25% →
    // share 250.000. Share − own = 500.000 = its budget 3.000.000 − 25% × 10.000.000 = 500.000 above its part.
    const x = explainDeficit({
      shareCents: euro(250_000),
      ownCents: -euro(250_000),
      budgetCents: euro(3_000_000),
      forecastCents: euro(2_750_000),
      regionBudgetCents: euro(10_000_000),
      regionForecastCents: euro(11_000_000),
      fraction: 0.25,
      keyLabel: 'eigen gebruik',
    });
    expect(x).toMatchObject({ differenceCents: euro(500_000), budgetGapCents: euro(500_000), forecastGapCents: 0 });
    expect(x.sentence).toBe(
      'Het aandeel in het verschil van de regio (€ 250.000, naar eigen gebruik: 25%) is € 500.000 hoger dan het eigen verschil tussen prognose en begroting (-€ 250.000), omdat de eigen begroting (€ 3.000.000) € 500.000 hoger is dan 25% van de regionale begroting (€ 2.500.000).',
    );
  });

  it('another key: budget and forecast both differ from the key share; the two gaps make the difference', () => {
    // Inhabitants key 20%. Region budget 10.000.000, forecast 11.000.000 → share 20% × 1.000.000 = 200.000.
    // Own budget 1.800.000 (200.000 below 20% of the budget), forecast 2.500.000 (300.000 above 20% of the
    // forecast) → own result 700.000; share − own = −500.000 = (−200.000) − 300.000.
    const x = explainDeficit({
      shareCents: euro(200_000),
      ownCents: euro(700_000),
      budgetCents: euro(1_800_000),
      forecastCents: euro(2_500_000),
      regionBudgetCents: euro(10_000_000),
      regionForecastCents: euro(11_000_000),
      fraction: 0.2,
      keyLabel: 'inwoners',
    });
    expect(x).toMatchObject({
      differenceCents: -euro(500_000),
      budgetGapCents: -euro(200_000),
      forecastGapCents: euro(300_000),
    });
    expect(x.differenceCents).toBe(x.budgetGapCents - x.forecastGapCents);
    expect(x.sentence).toContain(
      'is € 500.000 lager dan het eigen verschil tussen prognose en begroting (€ 700.000), omdat',
    );
    expect(x.sentence).toContain(
      'de eigen begroting (€ 1.800.000) € 200.000 lager is dan 20% van de regionale begroting (€ 2.000.000)',
    );
    expect(x.sentence).toContain(
      'de eigen prognose (€ 2.500.000) € 300.000 hoger is dan 20% van de regionale prognose (€ 2.200.000)',
    );
  });

  it('a municipality whose budget and forecast are exactly its key share: no difference', () => {
    const x = explainDeficit({
      shareCents: euro(100_000),
      ownCents: euro(100_000),
      budgetCents: euro(1_000_000),
      forecastCents: euro(1_100_000),
      regionBudgetCents: euro(10_000_000),
      regionForecastCents: euro(11_000_000),
      fraction: 0.1,
      keyLabel: 'eigen gebruik',
    });
    expect(x.differenceCents).toBe(0);
    expect(x.sentence).toBe(
      'Het aandeel in het verschil van de regio (€ 100.000, naar eigen gebruik: 10%) is gelijk aan het eigen verschil tussen prognose en begroting (€ 100.000): de eigen begroting en prognose zijn 10% van die van de regio.',
    );
  });
});

describe('reservation against the share of the regional result', () => {
  // Seed 000 (raadsvoorstel Alblasserdam over de eerste Burap 2021 van de DG&J): "Voor Alblasserdam betekent dat
  // een aandeel van € 660.000. Bij de 1e Burap van de gemeente Alblasserdam is € 600.000 gereserveerd. Dit
  // betekent dat bij de 2e Burap rekening moet worden gehouden met een tegenvaller van naar verwachting € 60.000."
  const SEED_000 = { shareCents: 66_000_000, reservationCents: 60_000_000, setbackCents: 6_000_000 };

  it('seed 000: € 600.000 reserved against a share of € 660.000 is a setback of € 60.000', () => {
    const x = explainReservation({
      shareCents: SEED_000.shareCents,
      reservationCents: SEED_000.reservationCents,
      keyLabel: 'eigen gebruik',
    })!;
    expect(x.balanceCents).toBe(SEED_000.setbackCents);
    expect(x.sentence).toBe(
      'Het aandeel in het verschil van de regio is € 660.000 naar eigen gebruik; gereserveerd is € 600.000. Er moet daarom rekening worden gehouden met een tegenvaller van € 60.000: het aandeel is hoger dan de reservering.',
    );
  });

  it('more reserved than the share is a windfall; equal is nothing; no reservation is no sentence', () => {
    const w = explainReservation({ shareCents: 50_000_000, reservationCents: 60_000_000, keyLabel: 'inwoners' })!;
    expect(w.balanceCents).toBe(-10_000_000);
    expect(w.sentence).toContain('meevaller van € 100.000');
    expect(
      explainReservation({ shareCents: 60_000_000, reservationCents: 60_000_000, keyLabel: 'inwoners' })!.sentence,
    ).toContain('gelijk aan de reservering');
    expect(explainReservation({ shareCents: 60_000_000, reservationCents: null, keyLabel: 'inwoners' })).toBeNull();
  });
});
