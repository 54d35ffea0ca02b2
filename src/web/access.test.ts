/**
 * Route × role × own/other municipality: every route the app registers is requested by every role, for
 * the user's own municipality and another one, and the outcome must match the route's declared rule as
 * read by this test's own oracle. Key routes are also pinned by hand below, so a rule cannot quietly
 * become looser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { RouteRule } from '../access/policy.js';
import { importInto, jw323Xml, openTestWarehouse, tempDir, writeFile } from '../ingest/testing/fixtures.js';
import { ROLES, type Role, type Warehouse } from '../warehouse/warehouse.js';
import { registeredRoutes } from './core.js';
import { buildApp } from './server.js';
import { sessionAs, type Session } from './testing.js';

const OWN = '0482';
const OTHER = '0505';
let w: Warehouse;
let app: FastifyInstance;
const sessions = new Map<Role, Session>();

beforeAll(async () => {
  const dir = tempDir();
  writeFile(dir, 'a.xml', jw323Xml({ municipality: OWN, declarationNumber: 'A1', declarationDate: '2026-03-05', periodMonth: '2026-02', lines: [{ bsn: '999900006', ref: 'A1', month: '2026-02', amount: 10_000 }] }));
  writeFile(dir, 'b.xml', jw323Xml({ municipality: OTHER, declarationNumber: 'B1', declarationDate: '2026-03-05', periodMonth: '2026-02', lines: [{ bsn: '999900031', ref: 'B1', month: '2026-02', amount: 20_000 }] }));
  w = await openTestWarehouse();
  await importInto(w, [dir]);
  app = buildApp({ warehouse: w });
  for (const role of ROLES) sessions.set(role, await sessionAs(app, w, role, role === 'gemeente' ? [OWN] : []));
}, 120_000);
afterAll(async () => {
  await app?.close();
  await w?.close();
});

/** What the rule promises, written independently of the server's policy code. */
function expected(rule: RouteRule, role: Role | null, muni: string | null): 'allowed' | 'login' | 'denied' {
  if (rule.roles === 'public') return 'allowed';
  if (role === null) return 'login';
  if (!rule.roles.includes(role)) return 'denied';
  if (rule.municipalityScoped && role === 'gemeente' && muni !== null && muni !== OWN) return 'denied';
  if (rule.clientLevel && role !== 'beheerder' && role !== 'regio') return 'denied'; // gemeente: no purpose given here
  return 'allowed';
}

function urlFor(url: string, muni: string, rule: RouteRule): { url: string; muni: string | null } {
  if (url.includes(':code')) return { url: url.replace(':code', muni), muni };
  if (rule.municipalityScoped) return { url: `${url}?municipality=${muni}`, muni };
  return { url, muni: null };
}

describe('access: every route × every role × own/other municipality', () => {
  it('matches the declared rule everywhere, and there are routes of every kind', async () => {
    const routes = registeredRoutes(app).filter((r) => !(r.method === 'POST' && (r.url === '/logout' || r.url === '/login')));
    expect(routes.length).toBeGreaterThan(8);
    expect(routes.some((r) => r.rule.clientLevel)).toBe(true);
    expect(routes.some((r) => r.rule.municipalityScoped)).toBe(true);
    const failures: string[] = [];
    for (const r of routes) {
      for (const muni of [OWN, OTHER]) {
        const { url, muni: m } = urlFor(r.url, muni, r.rule);
        for (const role of [null, ...ROLES] as (Role | null)[]) {
          const s = role ? sessions.get(role)! : null;
          const res = r.method === 'GET' ? (s ? await s.get(url) : await app.inject(url)) : s ? await s.post(url, {}) : await app.inject({ method: r.method as 'POST', url });
          const want = expected(r.rule, role, m);
          const got = res.statusCode === 401 || (res.statusCode === 302 && String(res.headers.location).startsWith('/login')) ? 'login' : res.statusCode === 403 ? 'denied' : res.statusCode >= 500 ? 'error' : 'allowed';
          if (got !== want) failures.push(`${r.method} ${url} as ${role ?? 'anonymous'}: expected ${want}, got ${got} (${res.statusCode})`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('pins the key rules by hand', async () => {
    const g = sessions.get('gemeente')!;
    expect((await g.get(`/gemeente/${OWN}`)).statusCode).toBe(200);
    expect((await g.get(`/gemeente/${OTHER}`)).statusCode).toBe(403);
    expect((await g.get(`/api/costs?by=municipality&municipality=${OTHER}`)).statusCode).toBe(403);
    // Without a filter a gemeente user gets only its own municipality, whatever it asks.
    expect((await g.get('/api/costs?by=municipality')).json()).toEqual([expect.objectContaining({ municipality: OWN })]);
    expect((await g.get(`/gemeente/${OWN}/regels?month=2026-02`)).statusCode).toBe(403);
    expect((await g.get(`/gemeente/${OWN}/regels?month=2026-02&doel=${encodeURIComponent('controle declaratie')}`)).statusCode).toBe(200);
    expect((await g.get(`/gemeente/${OTHER}/regels?month=2026-02&doel=${encodeURIComponent('controle declaratie')}`)).statusCode).toBe(403);
    for (const role of ['raad', 'partner'] as Role[]) expect((await sessions.get(role)!.get(`/gemeente/${OWN}/regels?month=2026-02&doel=nieuwsgierig`)).statusCode).toBe(403);
    for (const role of ['regio', 'gemeente', 'raad', 'partner'] as Role[]) expect((await sessions.get(role)!.get('/beheer/audit')).statusCode).toBe(403);
    expect((await sessions.get('beheerder')!.get('/beheer/audit')).statusCode).toBe(200);
    // Councils see counts below 10 suppressed (both municipalities have one client).
    const raad = await sessions.get('raad')!.get('/api/costs?by=municipality');
    expect(raad.json()).toEqual([expect.objectContaining({ clients: '<10', amountCents: null }), expect.objectContaining({ clients: '<10', amountCents: null })]);
  });

  it('refuses to start with a route that declares no rule', async () => {
    const a = buildApp({ warehouse: w });
    a.register(async (inst) => {
      inst.get('/zonder-regel', async () => 'x');
    });
    await expect(a.ready()).rejects.toThrow(/no access rule/);
  });

  it('requires the CSRF token on state-changing requests and a new session id at each login', async () => {
    const s = sessions.get('regio')!;
    expect((await s.post('/logout', {}, { csrf: null })).statusCode).toBe(403);
    expect((await s.post('/logout', {}, { csrf: 'wrong' })).statusCode).toBe(403);
    const again = await sessionAs(app, w, 'regio');
    expect(again.cookie).not.toBe(s.cookie);
    const out = await again.post('/logout', {});
    expect(out.statusCode).toBe(303);
    expect((await again.get('/')).statusCode).toBe(302);
  });
});
