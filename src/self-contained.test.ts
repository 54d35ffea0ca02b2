/**
 * Grip stands on its own: nothing in the repository (code, tests, bench, scripts, CI, package.json, fixtures,
 * schemas) refers to the team's background folder beside it. Prose (*.md) may mention it; nothing may read it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

// Spelled in pieces so that this file does not match itself.
const FOLDER = ['sha', 'red'].join('');
const FORBIDDEN = [`../${FOLDER}`, `${FOLDER}/reference`, `${FOLDER}/seeds`];

/** Every file git tracks or would add (untracked but not ignored), relative to the root. */
function repositoryFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  return [...new Set(out.split('\0').filter(Boolean))].filter((f) => existsSync(join(ROOT, f)));
}

export function referencesOutside(text: string): string[] {
  return FORBIDDEN.filter((needle) => text.includes(needle));
}

describe('the repository is self-contained', () => {
  it('the check recognises each forbidden reference (and not an ordinary use of the word)', () => {
    expect(referencesOutside(`new URL('../../${FOLDER}/reference/ijw-3.2/xsd/', import.meta.url)`)).toEqual([
      `../${FOLDER}`,
      `${FOLDER}/reference`,
    ]);
    expect(referencesOutside(`readFileSync('/work/${FOLDER}/seeds/004.txt')`)).toEqual([`${FOLDER}/seeds`]);
    expect(referencesOutside('/** nl-NL formatting helpers shared by the report renderers */')).toEqual([]);
  });

  it('no file outside *.md prose refers to the background folder beside the repository (its reference or seeds)', () => {
    const files = repositoryFiles();
    // The listing really covers the repository: code, tests, bench, scripts, CI, the package manifest, fixtures.
    for (const f of [
      'package.json',
      'bin/grip.mjs',
      'src/ingest/xsd.ts',
      'bench/index.ts',
      'scripts/setup-test.sh',
      '.ci/run',
      'schemas/ijw-3.2/JW323.xsd',
    ])
      expect(files).toContain(f);
    const offenders: string[] = [];
    for (const f of files) {
      if (f.toLowerCase().endsWith('.md')) continue;
      const bytes = readFileSync(join(ROOT, f));
      if (bytes.includes(0)) continue; // binary
      for (const needle of referencesOutside(bytes.toString('utf8'))) offenders.push(`${f}: ${needle}`);
    }
    expect(offenders).toEqual([]);
  });
});
