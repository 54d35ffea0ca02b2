import { afterEach, describe, expect, it } from 'vitest';
import { freshWarehouse } from '../warehouse/testing/engines.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { Accounts, MAX_FAILED_LOGINS, SESSION_HOURS } from './accounts.js';

let w: Warehouse | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

describe('accounts', () => {
  it('stores argon2id hashes, logs in, expires sessions, and audits logins and user changes', async () => {
    w = await freshWarehouse('duckdb');
    let now = new Date('2026-11-23T09:00:00Z');
    const acc = new Accounts(w, () => now);
    const { password } = await acc.addUser({ username: 'ana', role: 'gemeente', municipalities: ['GM0482'] });
    const stored = await w.getUser('ana');
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored!.passwordHash).not.toContain(password);
    expect(stored!.municipalities).toEqual(['0482']);
    expect(await acc.login('ana', 'wrong-password')).toBeNull();
    const ok = await acc.login('ana', password, '127.0.0.1');
    expect(ok).not.toBeNull();
    expect((await acc.resolve(ok!.sessionId))!.user.username).toBe('ana');
    expect(await w.getSession(ok!.sessionId)).toBeNull(); // only the hash is stored
    now = new Date(now.getTime() + SESSION_HOURS * 3_600_000 + 1);
    expect(await acc.resolve(ok!.sessionId)).toBeNull();
    const actions = (await w.audit({})).map((a) => a.action).sort();
    expect(actions).toEqual(['login', 'login.failed', 'user.add']);
  });

  it('locks a username after repeated failures, and a disabled user cannot log in', async () => {
    w = await freshWarehouse('duckdb');
    const now = new Date('2026-11-23T09:00:00Z');
    const acc = new Accounts(w, () => now);
    const { password } = await acc.addUser({ username: 'bob', role: 'regio' });
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) expect(await acc.login('bob', `nope-${i}`)).toBeNull();
    expect(await acc.login('bob', password)).toBeNull(); // locked, even with the right password
    const acc2 = new Accounts(w, () => now);
    await acc2.setDisabled('bob', true);
    expect(await acc2.login('bob', password)).toBeNull();
    await acc2.setDisabled('bob', false);
    expect(await acc2.login('bob', password)).not.toBeNull();
  });

  it('rejects bad users clearly', async () => {
    w = await freshWarehouse('duckdb');
    const acc = new Accounts(w);
    await expect(acc.addUser({ username: 'gem', role: 'gemeente' })).rejects.toThrow(/at least one municipality/);
    await expect(acc.addUser({ username: 'x y', role: 'regio' })).rejects.toThrow(/username/);
    await expect(acc.addUser({ username: 'short', role: 'regio', password: 'abc' })).rejects.toThrow(/at least 12/);
  });
});
