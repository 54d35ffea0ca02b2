import { mkdtempSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadOrCreateKey, makePseudonymiser } from './pseudonymise.js';

describe('pseudonymise', () => {
  it('creates a 0600 key on first use and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'grip-key-'));
    const path = join(dir, 'sub', 'k.key');
    const k1 = loadOrCreateKey(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadOrCreateKey(path).equals(k1)).toBe(true);
    expect(readFileSync(path, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is the keyed HMAC-SHA-256 of the BSN, differs per key, and rejects invalid BSNs', () => {
    const key = Buffer.alloc(32, 7);
    const p = makePseudonymiser(key);
    const expected = 'p_' + createHmac('sha256', key).update('999900006').digest('hex').slice(0, 20);
    expect(p('999900006')).toBe(expected);
    expect(p('999900006')).not.toContain('999900006');
    expect(makePseudonymiser(Buffer.alloc(32, 8))('999900006')).not.toBe(expected);
    expect(() => p('999900007')).toThrow(/11-proef/);
    expect(() => p('999900007')).not.toThrow(/999900007/);
  });
});

describe('external client ids (case-system exports)', () => {
  it('are hashed again with the key: deterministic, per source, never the id or the BSN pseudonym', () => {
    const p = makePseudonymiser(Buffer.alloc(32, 9));
    const q = makePseudonymiser(Buffer.alloc(32, 10));
    const a = p.external?.('iSD', 'CL-000123');
    expect(a).toMatch(/^p_[0-9a-f]{20}$/);
    expect(p.external?.('iSD', 'CL-000123')).toBe(a);
    expect(p.external?.('Suite4', 'CL-000123')).not.toBe(a);
    expect(q.external?.('iSD', 'CL-000123')).not.toBe(a);
    // An id that happens to be a BSN does not get the BSN's pseudonym (domain separation).
    expect(p.external?.('iSD', '123456782')).not.toBe(p('123456782'));
    // Namespace and id are separated: ("ab", "c") ≠ ("a", "bc").
    expect(p.external?.('ab', 'c')).not.toBe(p.external?.('a', 'bc'));
  });
});
