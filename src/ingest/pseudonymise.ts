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

export type Pseudonymiser = (bsn: string) => string;

/**
 * Returns a function that validates a BSN (11-proef) and returns its HMAC-SHA-256 pseudonym:
 * `p_` + 20 base32-ish hex chars (80 bits). Throws a RangeError (without the BSN in clear) on an invalid BSN.
 */
export function makePseudonymiser(key: Buffer): Pseudonymiser {
  const cache = new Map<string, string>();
  return (bsn: string) => {
    const hit = cache.get(bsn);
    if (hit) return hit;
    const norm = normaliseBsn(bsn);
    const p = 'p_' + createHmac('sha256', key).update(norm).digest('hex').slice(0, 20);
    if (cache.size > 200_000) cache.clear();
    cache.set(bsn, p);
    return p;
  };
}
