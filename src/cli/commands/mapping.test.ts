/**
 * `grip mapping` and `grip import --mapping` as an operator runs them (the real CLI in a child process): a
 * proposal with its preview, saving and listing, two exports of which one is bad (the good one imports, the bad
 * one is rejected whole with sheet/row/column, exit code 1), the same export again (a no-op) and a re-export of
 * the same source (replaces instead of doubling, and says so). Figures of the example export: 259 lines,
 * € 389.073,39 (examples/README.md; checked against the iJw route in app/mapping.e2e.test.ts).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../ingest/testing/fixtures.js';

const run = promisify(execFile);
const ROOT = new URL('../../../', import.meta.url).pathname;
const EXAMPLE = join(ROOT, 'examples', 'suite4-declaraties.csv');

describe('grip mapping and grip import --mapping', () => {
  const dir = tempDir('grip-mapping-cli-');
  const env = {
    ...process.env,
    GRIP_DB: join(dir, 'w.duckdb'),
    GRIP_KEY_FILE: join(dir, 'pseudonym.key'),
    USER: 'analist',
    NO_COLOR: '1',
  };
  const grip = async (...args: string[]) =>
    run(process.execPath, [join(ROOT, 'bin/grip.mjs'), ...args], { env, cwd: dir })
      .then((r) => ({ ...r, code: 0 }))
      .catch((err: unknown) => {
        const e = err as { stdout?: string; stderr?: string; code?: number };
        return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: e.code ?? -1 };
      });

  it('proposes, saves, imports all-or-none per file, skips the same file and replaces a re-export', async () => {
    expect((await grip('mapping', 'list')).stdout).toMatch(/^Geen mappings/);

    const guess = await grip('mapping', 'guess', EXAMPLE);
    expect(guess.code).toBe(0);
    expect(guess.stderr).toContain('De eerste regels zoals Grip ze leest');
    expect(JSON.parse(guess.stdout).fields).toEqual(
      JSON.parse(readFileSync(join(ROOT, 'examples', 'suite4-declaraties.mapping.json'), 'utf8')).fields,
    );

    const save = await grip(
      'mapping',
      'save',
      'suite4',
      '--from',
      join(ROOT, 'examples', 'suite4-declaraties.mapping.json'),
    );
    expect(save.stdout).toBe('Mapping suite4 bewaard (bron Suite4SociaalDomein (voorbeeld)).\n');
    expect((await grip('mapping', 'list')).stdout).toMatch(/suite4\s+Suite4SociaalDomein \(voorbeeld\)\s+analist/);

    const good = join(dir, 'suite4-2025.csv');
    copyFileSync(EXAMPLE, good);
    const lines = readFileSync(EXAMPLE, 'utf8').split('\r\n');
    const cells = (lines[9] ?? '').split(';');
    cells[11] = 'twaalf';
    lines[9] = cells.join(';');
    const bad = join(dir, 'suite4-kapot.csv');
    writeFileSync(bad, lines.join('\r\n'));
    const both = await grip('import', good, bad, '--mapping', 'suite4');
    expect(both.code).toBe(1);
    expect(both.stdout).toContain(
      'Geïmporteerd: suite4-2025.csv — 259 regels (€ 389.073,39), productiemaanden januari 2025 t/m maart 2025, bron Suite4SociaalDomein (voorbeeld).',
    );
    expect(both.stdout).toContain(
      "AFGEWEZEN suite4-kapot.csv: rij 10, kolom Bedrag: 'twaalf' is geen bedrag [MAPPING_VALUE]",
    );

    const again = await grip('import', good, '--mapping', 'suite4');
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(
      'OVERGESLAGEN suite4-2025.csv: al ingelezen (als suite4-2025.csv); er verandert niets.\n',
    );

    // The same year exported again (another file: LF line ends instead of CRLF): replaces, does not double.
    const reexport = join(dir, 'suite4-2025-opnieuw.csv');
    writeFileSync(reexport, readFileSync(EXAMPLE, 'utf8').replace(/\r\n/g, '\n'));
    const re = await grip('import', reexport, '--mapping', 'suite4');
    expect(re.code).toBe(0);
    expect(re.stdout).toContain(
      'Vervangen: 259 regels (€ 389.073,39) uit eerdere export suite4-2025.csv van dezelfde bron in januari 2025 t/m maart 2025, zodat die periode niet dubbel telt.',
    );
    const costs = await grip('costs', '--by', 'year', '--json');
    expect(JSON.parse(costs.stdout)).toMatchObject([{ year: '2025', amountCents: 38_907_339 }]);

    const unknown = await grip('import', good, '--mapping', 'onbekend');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/er is geen mapping "onbekend" \(wel: suite4\)/);
  }, 180_000);
});
