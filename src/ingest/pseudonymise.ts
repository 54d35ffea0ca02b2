/**
 * BSN → keyed pseudonym. The key lives outside the warehouse: a file created on first use with mode 0600,
 * at GRIP_KEY_FILE or `$GRIP_HOME/pseudonym.key` (default `~/.grip/pseudonym.key`).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { normaliseBsn } from '../domain/bsn.js';
import { GripError } from '../domain/errors.js';

export function defaultKeyPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GRIP_KEY_FILE) return env.GRIP_KEY_FILE;
  const home = env.GRIP_HOME ?? join(homedir(), '.grip');
  return join(home, 'pseudonym.key');
}

/** Reads the key, creating it (32 random bytes, hex, mode 0600) when it does not exist yet. */
export function loadOrCreateKey(path: string = defaultKeyPath()): Buffer {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  }
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) chmodSync(path, 0o600);
  const text = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/i.test(text)) {
    throw new GripError('KEY_INVALID', `pseudonym key file ${path} does not hold a 64-hex-digit key`);
  }
  return Buffer.from(text, 'hex');
}

export type Pseudonymiser = ((bsn: string) => string) & {
  /**
   * Keyed hash of other identifying text that must not be stored in clear (e.g. a parent's surname and birth
   * date, to link siblings into a family): `h_` + 80 bits, domain-separated from the BSN pseudonyms.
   * Optional: without it, such text is not used at all.
   */
  text?: (value: string) => string;
  /**
   * A client id that another system already pseudonymised (a case system's export), hashed again with Grip's
   * key: `p_` + 80 bits of HMAC over the namespace (the export's source) and the id, domain-separated from
   * BSN pseudonyms, so the id itself is never stored. Optional: without it, such ids cannot be imported.
   */
  external?: (namespace: string, id: string) => string;
};

/**
 * Returns a function that validates a BSN (11-proef) and returns its HMAC-SHA-256 pseudonym:
 * `p_` + 20 base32-ish hex chars (80 bits). Throws a RangeError (without the BSN in clear) on an invalid BSN.
 */
const PSEUDONYM_CACHE_SIZE = 200_000;

export function makePseudonymiser(key: Buffer): Pseudonymiser {
  const cache = new Map<string, string>();
  const f: Pseudonymiser = (bsn: string) => {
    const hit = cache.get(bsn);
    if (hit) return hit;
    const norm = normaliseBsn(bsn);
    const p = 'p_' + createHmac('sha256', key).update(norm).digest('hex').slice(0, 20);
    // Bounded: 200,000 entries (≈ 60 MB). A million saved 10% of a national import but cost 290 MB of RSS.
    if (cache.size >= PSEUDONYM_CACHE_SIZE) cache.clear();
    cache.set(bsn, p);
    return p;
  };
  f.text = (value: string) =>
    'h_' + createHmac('sha256', key).update('text\u0000').update(value).digest('hex').slice(0, 20);
  f.external = (namespace: string, id: string) =>
    'p_' +
    createHmac('sha256', key)
      .update('extern\u0000')
      .update(namespace)
      .update('\u0000')
      .update(id)
      .digest('hex')
      .slice(0, 20);
  PSEUDONYMISER_KEYS.set(f, key);
  return f;
}

/** Keys of the pseudonymisers made here, so the importer can give parse workers the same one (never logged). */
const PSEUDONYMISER_KEYS = new WeakMap<Pseudonymiser, Buffer>();
export function pseudonymiserKey(f: Pseudonymiser): Buffer | undefined {
  return PSEUDONYMISER_KEYS.get(f);
}

/**
 * A separate key for exports shared outside the region (research, the inspectorate, another region):
 * GRIP_EXPORT_KEY_FILE or `$GRIP_HOME/export.key`, created like the pseudonym key (0600). Client ids in such
 * an export are re-pseudonymised with it, so the recipient can follow a client within its exports but
 * cannot link them to Grip's pseudonyms (or to a BSN) without both keys.
 */
export function defaultExportKeyPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GRIP_EXPORT_KEY_FILE) return env.GRIP_EXPORT_KEY_FILE;
  const home = env.GRIP_HOME ?? join(homedir(), '.grip');
  return join(home, 'export.key');
}

/** Loads (or creates) the export key; refuses one that is the pseudonym key itself. */
export function loadOrCreateExportKey(pseudonymKey: Buffer, path: string = defaultExportKeyPath()): Buffer {
  const key = loadOrCreateKey(path);
  if (key.equals(pseudonymKey))
    throw new GripError(
      'KEY_INVALID',
      `export key file ${path} holds the pseudonym key; exports need a key of their own`,
    );
  return key;
}

/**
 * Grip pseudonym (`p_…`) → export pseudonym (`e_…`): HMAC-SHA-256 under the export key with a purpose label,
 * 80 bits. Deterministic for one key (and label), unlinkable to `p_…` without the key.
 */
export function makeExportPseudonymiser(exportKey: Buffer, purpose = 'export'): (clientPseudonym: string) => string {
  const cache = new Map<string, string>();
  return (p: string) => {
    if (!/^p_[0-9a-f]{20}$/.test(p)) throw new RangeError('not a Grip client pseudonym');
    let e = cache.get(p);
    if (!e) {
      e = 'e_' + createHmac('sha256', exportKey).update(`${purpose}\u0000${p}`).digest('hex').slice(0, 20);
      if (cache.size > 200_000) cache.clear();
      cache.set(p, e);
    }
    return e;
  };
}
