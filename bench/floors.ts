/**
 * The import's floors (bench/child.ts floor): what the three unavoidable parts of a JW323 import cost alone, each on
 * one thread in its own process, beside xmllint and the import in the same run. Their sum, spread over two
 * cores with nothing lost between threads, is the least wall time this design can take; the 1/3-of-xmllint
 * target (issue 21) allows three times xmllint's wall time. Beside them a yardstick for the parse floor: the
 * barest JavaScript reader over the same files (child.ts `floor tokenise`), to show how much of the parse is
 * reading XML in JavaScript at all and how much is Grip's work on what it reads.
 *
 * The account at the end puts the import beside them: the floors as two parse threads meet them (each thread
 * warms V8 up once: the parse floor's first pass less its second), the import's end on one thread (its last
 * commit and the derived tables), and what the import took beyond that — the cost of doing it in threads
 * (handing files and rows over, appending rows from JavaScript, garbage collection, compiling the rest,
 * waiting).
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
  /** `floor parse` only: its second pass, warm. */
  warm?: { seconds: number; cpuSeconds: number };
}

/** The import the floors are put beside: its wall time and its end on the writer's thread (bench/child.ts import). */
export interface ImportEnd {
  seconds: number;
  lastCommitSeconds: number;
  derivedSeconds: number;
}

/**
 * `files`: the JW323 files imported; `db`: a DuckDB warehouse holding their lines; `lintSeconds`: xmllint's wall
 * time over them; `imported`: the import of them measured in the same run. Returns the bench's rows (what,
 * value, note).
 */
export function benchFloors(
  files: readonly string[],
  db: string,
  lintSeconds: number,
  imported: ImportEnd,
): [string, string, string][] {
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
    const warm = parse.warm ?? { seconds: parse.seconds, cpuSeconds: parse.cpuSeconds };
    const warmUp = Math.max(0, parse.cpuSeconds - warm.cpuSeconds);
    // The account: two parse threads each warm up once; the last commit (part of the store floor) and the
    // derived tables run on the writer's thread alone once the parse threads are done.
    const end = imported.lastCommitSeconds + imported.derivedSeconds;
    const spread = hash.cpuSeconds + warm.cpuSeconds + 2 * warmUp + store.cpuSeconds - imported.lastCommitSeconds;
    const least = spread / 2 + end;
    const pct = (x: number) => `${((100 * x) / imported.seconds).toFixed(0)}%`;
    return [
      [
        'floor: read + SHA-256, one thread (JW323)',
        cpu(hash),
        `${hash.seconds.toFixed(2)} s, ${hash.units.toLocaleString('en')} files`,
      ],
      [
        'floor: parse + XSD check + rules + pseudonymise + pack, one thread, from memory',
        cpu(parse),
        `${parse.seconds.toFixed(2)} s, ${parse.units.toLocaleString('en')} lines, rows dropped; a fresh thread (V8 compiling the parse code meanwhile)`,
      ],
      [
        'the same parse again, warm',
        `${warm.cpuSeconds.toFixed(2)} s CPU`,
        `${warm.seconds.toFixed(2)} s; warming up cost the fresh thread ${warmUp.toFixed(2)} s CPU`,
      ],
      [
        'yardstick: the barest JavaScript reader, one thread, from memory (tags found, texts made strings; nothing checked)',
        cpu(bare),
        `${bare.seconds.toFixed(2)} s, ${bare.units.toLocaleString('en')} texts; the parse above takes ${(parse.cpuSeconds / bare.cpuSeconds).toFixed(1)}× its CPU (warm ${(warm.cpuSeconds / bare.cpuSeconds).toFixed(1)}×)`,
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
      [
        'account of the import (fastest round)',
        `${imported.seconds.toFixed(2)} s`,
        `least on two cores ${least.toFixed(2)} s (${pct(least)}): the floors with a warm-up in each of two parse threads, ${(spread / 2).toFixed(2)} s, and the end on one thread, ${end.toFixed(2)} s (last commit ${imported.lastCommitSeconds.toFixed(2)} s, derived tables ${imported.derivedSeconds.toFixed(2)} s); beyond them ${(imported.seconds - least).toFixed(2)} s (${pct(imported.seconds - least)}) for doing it in threads; the target allows ${budget.toFixed(2)} s`,
      ],
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
