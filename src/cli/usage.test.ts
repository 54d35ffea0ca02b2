/**
 * The `grip` command as a user runs it (bin/grip.mjs, a child process): exit codes as the README documents
 * them — 0 ok, 1 failed or some input rejected, 2 wrong usage — and Dutch messages for users.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TEST_MESSAGES, tempDir, writeFile } from '../ingest/testing/fixtures.js';
import { dutchUsageMessage } from './usage.js';

const BIN = fileURLToPath(new URL('../../bin/grip.mjs', import.meta.url));
const work = tempDir('grip-cli-');
const env = {
  ...process.env,
  GRIP_DB: join(work, 'grip.duckdb'),
  GRIP_HOME: join(work, 'home'),
  GRIP_KEY_FILE: join(work, 'pseudonym.key'),
  GRIP_XSD_DIR: '',
  NO_COLOR: '1',
};

function grip(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, cwd: work, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('commander messages in Dutch', () => {
  it.each([
    ["error: unknown option '--bogus'", "grip: onbekende optie '--bogus'"],
    ["error: unknown command 'cost'\n(Did you mean costs?)", "grip: onbekend commando 'cost' (bedoelde u costs?)"],
    ["error: required option '--year <year>' not specified", "grip: verplichte optie '--year <year>' ontbreekt"],
    ["error: option '--by <dims>' argument missing", "grip: optie '--by <dims>' mist een waarde"],
    ["error: missing required argument 'paths'", "grip: verplicht argument 'paths' ontbreekt"],
    [
      "error: too many arguments for 'costs'. Expected 0 arguments but got 1.",
      "grip: te veel argumenten voor 'costs': 0 verwacht, 1 gekregen",
    ],
    ['error: something new', 'grip: something new'],
  ])('%j', (english, dutch) => {
    expect(dutchUsageMessage(english)).toBe(dutch);
  });
});

describe('exit codes of grip', () => {
  it('0 for --help, help <command> and --version', () => {
    const help = grip('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: grip/);
    expect(grip('help', 'import').code).toBe(0);
    const v = grip('--version');
    expect([v.code, v.stdout.trim()]).toEqual([
      0,
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version,
    ]);
  });

  it.each([
    ['an unknown command', ['bogus'], /^grip: onbekend commando 'bogus'/],
    ['an unknown option', ['costs', '--bogus'], /^grip: onbekende optie '--bogus'/],
    ['a missing required option', ['allocate'], /^grip: verplichte optie '--year <year>' ontbreekt/],
    ['an option without its value', ['costs', '--by'], /^grip: optie '--by <dims>' mist een waarde/],
    ['a missing argument', ['import'], /^grip: verplicht argument 'paths' ontbreekt/],
    [
      'a bad option value',
      ['costs', '--by', 'month', '--year', '20x5'],
      /^grip: --year moet een jaar zijn zoals 2025, niet "20x5" \[USAGE\]/,
    ],
    ['a command that needs a subcommand', ['budget'], /^Usage: grip budget/],
    ['no command at all', [], /^Usage: grip/],
  ])('2 for %s', (_what, args, message) => {
    const r = grip(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it("1 when an input is rejected: a file with an element the XSD forbids, with the XSD's message naming the file; the good file imports", () => {
    const good = readFileSync(join(TEST_MESSAGES, 'JW323.xml'), 'utf8');
    const dir = tempDir();
    writeFile(dir, 'good.xml', good);
    const bad = good
      .replace('D0482M2604', 'D0482M2605')
      .replace('</jw323:Eenheid>', '</jw323:Eenheid><jw323:Opmerking>x</jw323:Opmerking>');
    const badFile = writeFile(dir, 'extra-element.xml', bad);
    const r = grip('import', '--quiet', dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`AFGEWEZEN ${badFile}`);
    // The schema's verdict (element, line, file), whichever validator gave it.
    expect(r.stdout).toMatch(
      /extra-element\.xml:\d+\b.*does not validate against JW323\.xsd: .*\bOpmerking\b.* is not expected/,
    );
    expect(r.stdout).toMatch(
      /Geïmporteerd: 1 bestand met 5 regels \(€ 790,00 aan declaraties\); overgeslagen: 0 .*; afgewezen: 1\./,
    );
    expect(r.stdout).not.toMatch(/XSD-controle is overgeslagen/);
  });

  it('0 when everything imports, and 1 for a file that is not there', () => {
    const dir = tempDir();
    writeFile(dir, 'JW325.xml', readFileSync(join(TEST_MESSAGES, 'JW325.xml'), 'utf8'));
    const ok = grip('import', '--quiet', dir);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    // The answer holds three prestaties and no declared amount of its own.
    expect(ok.stdout).toMatch(
      /^Geïmporteerd: 1 bestand met 3 regels \(€ 0,00 aan declaraties\); overgeslagen: 0 .*; afgewezen: 0\.$/m,
    );
    expect(grip('budget', 'import', join(dir, 'nope.csv')).code).toBe(1);
  });
});
