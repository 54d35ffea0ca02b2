import { describe, expect, it } from 'vitest';
import { ALL_ROLES, decide, municipalityScope, needsSuppression, type RouteRule } from './policy.js';

const own = '0482';
const other = '0505';
const subject = (role: (typeof ALL_ROLES)[number]) => ({ role, municipalities: role === 'gemeente' ? [own] : [] });

describe('access policy (deny by default)', () => {
  it('client-level data: regio and beheerder yes; gemeente only own municipality and with a purpose; raad and partner never', () => {
    const rule: RouteRule = { roles: ALL_ROLES, municipalityScoped: true, clientLevel: true };
    const table = ALL_ROLES.map((r) => [
      r,
      decide(subject(r), rule, own, null),
      decide(subject(r), rule, own, 'dossiercontrole'),
      decide(subject(r), rule, other, 'dossiercontrole'),
    ]);
    expect(table).toEqual([
      ['beheerder', 'allow', 'allow', 'allow'],
      ['regio', 'allow', 'allow', 'allow'],
      ['gemeente', 'purpose-required', 'allow', 'forbidden'],
      ['raad', 'forbidden', 'forbidden', 'forbidden'],
      ['partner', 'forbidden', 'forbidden', 'forbidden'],
    ]);
  });

  it('no user → login, unless public; a role not listed → forbidden', () => {
    expect(decide(null, { roles: ['regio'] }, null, null)).toBe('login');
    expect(decide(null, { roles: 'public' }, null, null)).toBe('allow');
    expect(decide(subject('raad'), { roles: ['regio', 'beheerder'] }, null, null)).toBe('forbidden');
  });

  it('scope and suppression', () => {
    expect(municipalityScope(subject('gemeente'))).toEqual([own]);
    expect(municipalityScope(subject('regio'))).toBeNull();
    expect(ALL_ROLES.filter((r) => needsSuppression(subject(r)))).toEqual(['raad', 'partner']);
    expect(needsSuppression(null)).toBe(true);
  });
});
