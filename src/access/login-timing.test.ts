/**
 * A login tells nothing about which names exist: every attempt does the same argon2 verification against a
 * valid argon2id hash — a known name with a wrong password, an unknown name, a disabled account and an
 * account that logs in only through OpenID Connect alike. (Counted here, not timed: speed belongs in the
 * benchmarks.)
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { at } from '../domain/indexing.js';

const calls: string[] = [];
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  return {
    ...real,
    verify: (hashed: string, password: string) => {
      calls.push(hashed);
      return real.verify(hashed, password);
    },
  };
});

const { freshWarehouse } = await import('../warehouse/testing/engines.js');
const { Accounts } = await import('./accounts.js');
type W = Awaited<ReturnType<typeof freshWarehouse>>;

let w: W | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

describe('login timing', () => {
  it('runs one argon2id verification for every attempt, known or not', async () => {
    w = await freshWarehouse('duckdb');
    const acc = new Accounts(w);
    await acc.addUser({ username: 'ana', role: 'gemeente', municipalities: ['0482'], password: 'juist-wachtwoord-1' });
    await acc.addUser({ username: 'bob', role: 'raad', municipalities: [], password: 'juist-wachtwoord-2' });
    await acc.setDisabled('bob', true);
    expect(
      await acc.loginExternal({
        issuer: 'https://idp.example',
        subject: 's1',
        username: 'ext:x@example.org',
        provision: { role: 'raad', municipalities: [], organisation: null },
      }),
    ).not.toBeNull();
    const external = (await w.listUsers()).find((u) => u.username.startsWith('ext:'));
    expect(external).toBeDefined();
    const attempts = ['ana', 'onbekend', 'bob', external!.username];
    for (const name of attempts) {
      calls.length = 0;
      expect(await acc.login(name, 'fout-wachtwoord')).toBeNull();
      expect(calls, name).toHaveLength(1);
      expect(calls[0], name).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
    }
    // The dummy hash costs the same as a real one: the same parameters.
    const params = (h: string) => h.split('$')[3];
    calls.length = 0;
    await acc.login('onbekend', 'x');
    expect(params(at(calls, 0))).toBe(params((await w.getUser('ana'))!.passwordHash));
    // And the right password still logs in.
    expect(await acc.login('ana', 'juist-wachtwoord-1')).not.toBeNull();
  });
});
