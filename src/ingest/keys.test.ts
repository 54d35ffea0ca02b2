/** Separate keys per purpose: the export key is its own file, never the pseudonym key, and its pseudonyms do not link. */
import { createHmac } from 'node:crypto';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultExportKeyPath,
  defaultKeyPath,
  loadOrCreateExportKey,
  loadOrCreateKey,
  makeExportPseudonymiser,
  makePseudonymiser,
} from './pseudonymise.js';

describe('export key', () => {
  it('lives in its own file (GRIP_EXPORT_KEY_FILE or $GRIP_HOME/export.key), next to but apart from the pseudonym key', () => {
    expect(defaultExportKeyPath({ GRIP_EXPORT_KEY_FILE: '/keys/export.key' })).toBe('/keys/export.key');
    expect(defaultExportKeyPath({ GRIP_HOME: '/srv/grip' })).toBe('/srv/grip/export.key');
    expect(defaultKeyPath({ GRIP_HOME: '/srv/grip' })).toBe('/srv/grip/pseudonym.key');
    const dir = mkdtempSync(join(tmpdir(), 'grip-keys-'));
    const main = loadOrCreateKey(join(dir, 'pseudonym.key'));
    const exp = loadOrCreateExportKey(main, join(dir, 'export.key'));
    expect(statSync(join(dir, 'export.key')).mode & 0o777).toBe(0o600);
    expect(exp.equals(main)).toBe(false);
    expect(loadOrCreateExportKey(main, join(dir, 'export.key')).equals(exp)).toBe(true);
  });

  it('refuses the pseudonym key as export key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'grip-keys-'));
    const main = loadOrCreateKey(join(dir, 'pseudonym.key'));
    writeFileSync(join(dir, 'copy.key'), main.toString('hex') + '\n', { mode: 0o600 });
    expect(() => loadOrCreateExportKey(main, join(dir, 'copy.key'))).toThrow(
      /needs a key of its own|exports need a key of their own/,
    );
  });

  it('re-pseudonymises client ids: stable per key and purpose, different from the Grip pseudonym and per key', () => {
    const p = makePseudonymiser(Buffer.alloc(32, 1))('999900006');
    const key = Buffer.alloc(32, 2);
    const e = makeExportPseudonymiser(key);
    expect(e(p)).toBe('e_' + createHmac('sha256', key).update(`export\u0000${p}`).digest('hex').slice(0, 20));
    expect(e(p)).toBe(e(p));
    expect(e(p).slice(2)).not.toBe(p.slice(2));
    expect(makeExportPseudonymiser(Buffer.alloc(32, 3))(p)).not.toBe(e(p));
    expect(makeExportPseudonymiser(key, 'onderzoek-2026')(p)).not.toBe(e(p));
    // Only Grip pseudonyms go in; a BSN in clear is refused (and not echoed).
    expect(() => e('999900006')).toThrow(/not a Grip client pseudonym/);
    expect(() => e('999900006')).not.toThrow(/999900006/);
  });
});
