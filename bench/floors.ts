/**
 * The import's floors (bench/child.ts floor): what the three unavoidable parts of a JW323 import cost alone, each on
 * one thread in its own process, beside xmllint and the import in the same run. Their sum, spread over two
 * cores with nothing lost between threads, is the least wall time this design can take; the 1/3-of-xmllint
 * target (issue 21) allows three times xmllint's wall time. Beside them a yardstick for the parse floor: the
 * barest JavaScript reader over the same files (child.ts `floor tokenise`), to show how much of the parse is
 * reading XML in JavaScript at all and how much is Grip's work on what it reads.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChild } from './import-run.js';

interface Floor {
  mode: string;
  seconds: number;
  cpuSeconds: number;
  units: number;
}

/**
 * `files`: the JW323 files imported; `db`: a DuckDB warehouse holding their lines; `lintSeconds`: xmllint's wall
 * time over them. Returns the bench's rows (what, value, note).
 */
export function benchFloors(files: readonly string[], db: string, lintSeconds: number): [string, string, string][] {
  const dir = mkdtempSync(join(tmpdir(), 'grip-bench-floors-'));
  try {
    const list = join(dir, 'files.txt');
    writeFileSync(list, files.join('\n') + '\n');
    const hash = runChild(['floor', 'hash', list]) as Floor;
    const parse = runChild(['floor', 'parse', list]) as Floor;
    const bare = runChild(['floor', 'tokenise', list]) as Floor;
    const store = runChild(['floor', 'store', db]) as Floor;
    const cpu = (f: Floor) => `${f.cpuSeconds.toFixed(2)} s CPU`;
    const sum = hash.cpuSeconds + parse.cpuSeconds + store.cpuSeconds;
    const budget = 3 * lintSeconds;
    return [
      [
        'floor: read + SHA-256, one thread (JW323)',
        cpu(hash),
        `${hash.seconds.toFixed(2)} s, ${hash.units.toLocaleString('en')} files`,
      ],
      [
        'floor: parse + XSD check + rules + pseudonymise + pack, one thread',
        cpu(parse),
        `${parse.seconds.toFixed(2)} s, ${parse.units.toLocaleString('en')} lines, rows dropped`,
      ],
      [
        'yardstick: the barest JavaScript reader, one thread (tags found, texts made strings; nothing checked)',
        cpu(bare),
        `${bare.seconds.toFixed(2)} s, ${bare.units.toLocaleString('en')} texts; the parse above takes ${(parse.cpuSeconds / bare.cpuSeconds).toFixed(1)}× its CPU; with it in the parse's place the floors would take ${((100 * (sum - parse.cpuSeconds + bare.cpuSeconds)) / (2 * budget)).toFixed(0)}% of the budget`,
      ],
      [
        'floor: DuckDB alone compresses and writes the lines (import settings)',
        cpu(store),
        `${store.seconds.toFixed(2)} s, ${store.units.toLocaleString('en')} rows already in DuckDB's vectors`,
      ],
      [
        'floors together',
        `${sum.toFixed(2)} s CPU`,
        `≥ ${(sum / 2).toFixed(2)} s wall on two cores with nothing lost between threads; the 1/3 target allows ${budget.toFixed(2)} s (3 × xmllint), i.e. ${(2 * budget).toFixed(2)} s CPU, of which the floors take ${((100 * sum) / (2 * budget)).toFixed(0)}%`,
      ],
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
