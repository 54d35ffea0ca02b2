/** Special cases marked by hand: what is refused (never a BSN), and the app service on both engines. */
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINES, freshWarehouse } from '../warehouse/testing/engines.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import {
  addSpecialCase,
  listSpecialCases,
  periodIso,
  periodNl,
  removeSpecialCase,
  specialCaseLabel,
  validateSpecialCase,
} from './special-cases.js';
import { importDeclarations, testBsn } from './testing/ledger.js';
import { errorOf } from './testing/errors.js';

const base = {
  municipality: '0482',
  kind: 'client',
  subject: 'p_0123456789abcdef0123',
  reason: 'Crisisplaatsing',
  from: '2025-03',
};

describe('a special case: its period as shown', () => {
  it('the UI names months in Dutch; the CLI keeps the month keys', () => {
    expect(periodNl('2025-01', '2025-09')).toBe('januari t/m september 2025');
    expect(periodNl('2025-11', '2026-02')).toBe('november 2025 t/m februari 2026');
    expect(periodNl('2025-03', null)).toBe('vanaf maart 2025');
    expect(specialCaseLabel({ kind: 'client', reason: 'Crisisplaatsing', from: '2025-03', to: '2025-12' })).toBe(
      'Crisisplaatsing (cliënt, maart t/m december 2025)',
    );
    expect(specialCaseLabel({ kind: 'client', reason: 'Crisisplaatsing', from: '2025-06', to: null })).toBe(
      'Crisisplaatsing (cliënt, vanaf juni 2025)',
    );
    expect(periodIso('2025-01', '2025-09')).toBe('2025-01 t/m 2025-09');
    expect(periodIso('2025-03', null)).toBe('vanaf 2025-03');
  });
});

describe('a special case: what is refused', () => {
  it.each([
    [{ subject: testBsn(3) }, 'subject', 'dit lijkt een BSN'],
    [{ kind: 'family', subject: testBsn(4) }, 'subject', 'dit lijkt een BSN'],
    [{ subject: 'Jan Jansen' }, 'subject', 'met het pseudoniem zoals Grip dat toont'],
    [{ kind: 'gezin' }, 'kind', 'soort moet een van deze zijn'],
    [{ municipality: '9999' }, 'municipality', 'geen CBS-gemeentecode'],
    [{ reason: '  ' }, 'reason', 'geef een reden'],
    [{ from: '2025-13' }, 'from', 'geen maand'],
    [{ to: '2025-02' }, 'to', 'de periode eindigt (2025-02) vóór ze begint (2025-03)'],
    [{ provider: '12345678' }, 'provider', 'hoort alleen bij een toewijzing'],
    [{ kind: 'allocation', subject: 'T1', provider: '1234' }, 'provider', 'AGB-code van 8 cijfers'],
  ])('%#', (over, field, message) => {
    const e = errorOf(() => validateSpecialCase({ ...base, ...over }));
    expect(e.where.element).toBe(field);
    expect(e.message).toContain(message);
    // The message never repeats a BSN it refused.
    expect(e.message).not.toMatch(/\d{9}/);
  });

  it('normalises: GM code, trimmed, allocation with provider', () => {
    expect(
      validateSpecialCase({
        municipality: 'GM0482',
        kind: 'allocation',
        subject: ' 10072 ',
        provider: '12345678',
        reason: ' Dure toewijzing ',
        from: '2025-01',
        to: '2025-12',
      }),
    ).toEqual({
      municipality: '0482',
      kind: 'allocation',
      subject: '10072',
      provider: '12345678',
      reason: 'Dure toewijzing',
      from: '2025-01',
      to: '2025-12',
    });
  });
});

describe.each(ENGINES)('special cases service on %s', (engine) => {
  let w: Warehouse | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('marks a client by its pseudonym, lists it with its cost, removes it within its municipality only', async () => {
    w = await freshWarehouse(engine);
    // Client 7: € 100 in 2025-02 (before the period), € 250 in 2025-03 and € 400 in 2025-04 → € 650 in the case.
    await importDeclarations(w, [
      { municipality: '0482', month: '2025-02', amountCents: 10_000, client: 7 },
      { municipality: '0482', month: '2025-03', amountCents: 25_000, client: 7 },
      { municipality: '0482', month: '2025-04', amountCents: 40_000, client: 7 },
      { municipality: '0482', month: '2025-04', amountCents: 99_000, client: 8 },
    ]);
    const pseudonym = (await w.topClients({ from: '2025-01', to: '2025-12', municipalities: ['0482'], top: 5 })).find(
      (c) => c.amountCents === 75_000,
    )!.client;
    expect(pseudonym).toMatch(/^p_/);
    const c = await addSpecialCase(w, { ...base, subject: pseudonym }, { enteredBy: 'analist' });
    expect(c).toMatchObject({
      municipality: '0482',
      kind: 'client',
      subject: pseudonym,
      amountCents: 65_000,
      clients: 1,
      enteredBy: 'analist',
    });
    expect((await listSpecialCases(w, { municipalities: ['0482'], asOf: '2025-04-30' }))[0]?.amountCents).toBe(25_000);
    await expect(removeSpecialCase(w, c.id, { by: 'analist', municipalities: ['0505'] })).rejects.toThrow(
      'geen actieve bijzondere casus',
    );
    await removeSpecialCase(w, c.id, { by: 'analist', municipalities: ['0482'] });
    expect(await listSpecialCases(w)).toEqual([]);
  });
});
