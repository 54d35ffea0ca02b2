/**
 * Sessions and login through the real web form: expiry (with an injected clock), session fixation,
 * brute-force lockout per username and per IP address, cookie flags (HttpOnly, SameSite=Strict, Secure
 * behind TLS), and a guard that no code path changes or removes audit entries.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Accounts,
  LOCKOUT_MINUTES,
  MAX_FAILED_LOGINS,
  MAX_FAILED_LOGINS_PER_IP,
  SESSION_HOURS,
} from '../access/accounts.js';
import { openTestWarehouse } from '../ingest/testing/fixtures.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { buildApp } from './server.js';
import { TEST_PASSWORD, addTestUser, matchGroup } from './testing.js';

let w: Warehouse;
let app: FastifyInstance;
let now = new Date('2026-03-10T09:00:00Z');
const advance = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

beforeAll(async () => {
  w = await openTestWarehouse();
  app = buildApp({ warehouse: w, accounts: new Accounts(w, () => now), trustProxy: true }); // as behind a TLS proxy
  for (const u of ['anna', 'bert', 'cees', 'dirk', 'eva']) await addTestUser(w, u, 'regio');
}, 60_000);
afterAll(async () => {
  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed before opening them */
  await app?.close();
  await w?.close();
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */
});

/** One login through the form, as a browser would send it (with whatever cookies it already has). */
async function formLogin(
  username: string,
  password: string,
  opts: { cookie?: string; headers?: Record<string, string>; remoteAddress?: string } = {},
): Promise<LightMyRequestResponse> {
  const form = await app.inject({ url: '/login', headers: opts.headers, remoteAddress: opts.remoteAddress });
  const token = matchGroup(/name="_login" value="([^"]+)"/, form.body);
  const loginCookie = form.cookies.find((c) => c.name === 'grip_login')!.value;
  return app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress: opts.remoteAddress,
    headers: {
      ...opts.headers,
      cookie: [`grip_login=${loginCookie}`, opts.cookie].filter(Boolean).join('; '),
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: new URLSearchParams({ username, password, _login: token }).toString(),
  });
}

const sessionCookie = (r: LightMyRequestResponse) => r.cookies.find((c) => c.name === 'grip_session');
const home = (cookie: string) => app.inject({ url: '/', headers: { cookie } });

describe('sessions', () => {
  it('expire after SESSION_HOURS (server side, whatever the browser keeps)', async () => {
    const r = await formLogin('anna', TEST_PASSWORD);
    expect(r.statusCode).toBe(303);
    const c = sessionCookie(r)!;
    expect(c.maxAge).toBe(SESSION_HOURS * 3600);
    const cookie = `grip_session=${c.value}`;
    expect((await home(cookie)).statusCode).toBe(200);
    advance(SESSION_HOURS * 3_600_000 - 60_000);
    expect((await home(cookie)).statusCode).toBe(200);
    advance(61_000);
    const after = await home(cookie);
    expect(after.statusCode).toBe(302);
    expect(after.headers.location).toBe('/login?next=%2F');
    expect((await app.inject({ url: '/api/costs', headers: { cookie } })).statusCode).toBe(401);
    // Once expired, it stays invalid (the record is removed, the clock going back does not revive it).
    advance(-120_000);
    expect((await home(cookie)).statusCode).toBe(302);
    advance(120_000);
  });

  it('get a new id at login; the id the browser had before is invalid afterwards (no fixation)', async () => {
    const first = sessionCookie(await formLogin('bert', TEST_PASSWORD))!.value;
    expect((await home(`grip_session=${first}`)).statusCode).toBe(200);
    // The same browser logs in again (or an attacker planted `first` in it): a new id, the old one is dead.
    const second = await formLogin('bert', TEST_PASSWORD, { cookie: `grip_session=${first}` });
    expect(second.statusCode).toBe(303);
    const fresh = sessionCookie(second)!.value;
    expect(fresh).not.toBe(first);
    expect((await home(`grip_session=${first}`)).statusCode).toBe(302);
    expect((await home(`grip_session=${fresh}`)).statusCode).toBe(200);
    // A made-up id is never accepted as a session (ids come only from the server).
    expect((await home('grip_session=attacker-chosen-session-id')).statusCode).toBe(302);
  });

  it('cookies are HttpOnly and SameSite=Strict, and Secure behind TLS (x-forwarded-proto via trustProxy)', async () => {
    const plain = await formLogin('cees', TEST_PASSWORD);
    expect(sessionCookie(plain)).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(sessionCookie(plain)!.secure).toBeFalsy();
    const tls = await formLogin('cees', TEST_PASSWORD, { headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.statusCode).toBe(303);
    expect(sessionCookie(tls)).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: true, path: '/' });
    const form = await app.inject({ url: '/login', headers: { 'x-forwarded-proto': 'https' } });
    expect(form.cookies.find((c) => c.name === 'grip_login')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
      secure: true,
    });
    // Logout clears the cookie and ends the session on the server.
    const cookie = `grip_session=${sessionCookie(tls)!.value}`;
    const page = await app.inject({ url: '/vergelijken', headers: { cookie } });
    const csrf = matchGroup(/name="_csrf" value="([^"]+)"/, page.body);
    const out = await app.inject({
      method: 'POST',
      url: '/logout',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(csrf)}`,
    });
    expect(out.statusCode).toBe(303);
    expect(sessionCookie(out)?.value).toBe('');
    expect((await home(cookie)).statusCode).toBe(302);
  });
});

describe('brute force', () => {
  it(`locks a username after ${MAX_FAILED_LOGINS} failures: the next attempt fails even with the right password`, async () => {
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) {
      const r = await formLogin('dirk', `wrong-password-${i}`, { remoteAddress: `10.1.0.${i + 1}` });
      expect(r.statusCode).toBe(401);
      expect(sessionCookie(r)?.value ?? '').toBe('');
    }
    const sixth = await formLogin('dirk', TEST_PASSWORD, { remoteAddress: '10.1.0.99' });
    expect(sixth.statusCode).toBe(401);
    expect(sessionCookie(sixth)?.value ?? '').toBe('');
    expect(sixth.body).toContain('(tijdelijk) geblokkeerd');
    const audit = await w.audit({ username: 'dirk' });
    expect(audit.filter((a) => a.action === 'login.failed')).toHaveLength(MAX_FAILED_LOGINS);
    expect(audit.filter((a) => a.action === 'login.locked')).toHaveLength(1);
    // Other users are not affected; after the lockout period the right password works again.
    expect((await formLogin('eva', TEST_PASSWORD, { remoteAddress: '10.1.0.99' })).statusCode).toBe(303);
    advance(LOCKOUT_MINUTES * 60_000 + 1000);
    expect((await formLogin('dirk', TEST_PASSWORD, { remoteAddress: '10.1.0.99' })).statusCode).toBe(303);
  });

  it(`limits one IP address to ${MAX_FAILED_LOGINS_PER_IP} failures over any usernames`, async () => {
    const ip = '10.2.0.7';
    for (let i = 0; i < MAX_FAILED_LOGINS_PER_IP; i++) {
      expect((await formLogin(`sprayed-${i}`, 'password-spraying', { remoteAddress: ip })).statusCode).toBe(401);
    }
    const blocked = await formLogin('eva', TEST_PASSWORD, { remoteAddress: ip });
    expect(blocked.statusCode).toBe(401);
    expect(sessionCookie(blocked)?.value ?? '').toBe('');
    expect((await w.audit({ username: 'eva' })).some((a) => a.action === 'login.ratelimited' && a.detail === ip)).toBe(
      true,
    );
    // The same user from another address is fine; the address is free again after the period.
    expect((await formLogin('eva', TEST_PASSWORD, { remoteAddress: '10.2.0.8' })).statusCode).toBe(303);
    advance(LOCKOUT_MINUTES * 60_000 + 1000);
    expect((await formLogin('eva', TEST_PASSWORD, { remoteAddress: ip })).statusCode).toBe(303);
  });
});

describe('without --trust-proxy', () => {
  it('X-Forwarded-For cannot dodge the per-address login limit, and X-Forwarded-Proto makes no cookie Secure', async () => {
    const direct = buildApp({ warehouse: w, accounts: new Accounts(w, () => now) });
    try {
      const login = async (username: string, password: string, xff: string) => {
        const form = await direct.inject({
          url: '/login',
          remoteAddress: '10.3.0.1',
          headers: { 'x-forwarded-for': xff, 'x-forwarded-proto': 'https' },
        });
        const token = /name="_login" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
        const c = form.cookies.find((x) => x.name === 'grip_login');
        expect(c?.secure).toBeFalsy();
        return direct.inject({
          method: 'POST',
          url: '/login',
          remoteAddress: '10.3.0.1',
          headers: {
            cookie: `grip_login=${c?.value}`,
            'content-type': 'application/x-www-form-urlencoded',
            'x-forwarded-for': xff,
          },
          payload: new URLSearchParams({ username, password, _login: token }).toString(),
        });
      };
      for (let i = 0; i < MAX_FAILED_LOGINS_PER_IP; i++)
        expect((await login(`spray-${i}`, 'nope', `192.0.2.${i + 1}`)).statusCode).toBe(401);
      expect((await login('eva', TEST_PASSWORD, '192.0.2.250')).statusCode).toBe(401);
      expect(
        (await w.audit({ username: 'eva' })).some((a) => a.action === 'login.ratelimited' && a.detail === '10.3.0.1'),
      ).toBe(true);
    } finally {
      await direct.close();
    }
  });
});

describe('audit log retention', () => {
  const SRC = new URL('../', import.meta.url).pathname;
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? files(p) : /\.(ts|sql|js|mjs)$/.test(f) ? [p] : [];
    });
  /** A statement that would change or remove audit entries, in any casing or spacing. */
  const MUTATION =
    /\b(delete\s+from|update|truncate(\s+table)?|drop\s+table(\s+if\s+exists)?|alter\s+table)\s+["`]?audit_log\b/i;

  it('the guard recognises a mutation (so it can fail)', () => {
    for (const s of [
      'DELETE FROM audit_log WHERE 1',
      'update  "audit_log" set x=1',
      'TRUNCATE TABLE audit_log',
      'drop table if exists audit_log',
    ])
      expect(MUTATION.test(s)).toBe(true);
    expect(MUTATION.test('INSERT INTO audit_log VALUES (1)')).toBe(false);
  });

  it('no source file changes or removes audit entries, and the store offers no such method', () => {
    const self = new URL(import.meta.url).pathname;
    const all = files(SRC).filter((f) => f !== self);
    expect(all.length).toBeGreaterThan(50);
    const hits = all.filter((f) => MUTATION.test(readFileSync(f, 'utf8'))).map((f) => relative(SRC, f));
    expect(hits).toEqual([]);
    const store = readFileSync(join(SRC, 'warehouse/warehouse.ts'), 'utf8');
    const accessStore = store.slice(
      store.indexOf('export interface AccessStore'),
      store.indexOf('}', store.indexOf('export interface AccessStore')),
    );
    expect(accessStore).toContain('appendAudit(');
    expect(accessStore).not.toMatch(/(delete|remove|update|clear|purge|prune)\w*Audit/i);
  });
});
