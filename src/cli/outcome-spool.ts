/**
 * `grip import --json` lists every file's outcome. A run may hold millions of files, so the outcomes are not
 * kept in memory: each is written to a spool file as it is known (one JSON text per line) and the report is
 * printed from it at the end, byte for byte what `JSON.stringify(report, null, 2)` gives for the report with
 * all outcomes in it.
 */
import { once } from 'node:events';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';

export interface OutcomeSpool<T> {
  /** Adds one outcome (in report order). */
  add: (outcome: T) => void;
  /**
   * Writes `report` as indented JSON with its `outcomes` field replaced by the spooled outcomes, keeping the
   * report's key order, and honours the stream's back-pressure.
   */
  print: (report: object, out: Writable) => Promise<void>;
  /** Removes the spool (also after a failed run). */
  dispose: () => void;
}

export function outcomeSpool<T>(): OutcomeSpool<T> {
  const dir = mkdtempSync(join(tmpdir(), 'grip-outcomes-'));
  const path = join(dir, 'outcomes.ndjson');
  let fd: number | null = openSync(path, 'w', 0o600);
  let count = 0;
  const close = () => {
    if (fd !== null) closeSync(fd);
    fd = null;
  };
  return {
    add(outcome) {
      if (fd === null) throw new Error('outcome spool is closed');
      writeSync(fd, JSON.stringify(outcome) + '\n');
      count++;
    },
    async print(report, out) {
      close();
      // A marker no outcome can contain splits the report around its outcomes: the rest of the report is
      // small and printed by JSON.stringify itself.
      const marker = `\u0000outcomes-${process.pid}-${Date.now()}\u0000`;
      const text = JSON.stringify({ ...report, outcomes: marker }, null, 2);
      const [head, tail] = text.split(JSON.stringify(marker));
      if (head === undefined || tail === undefined) throw new Error('outcome spool: report has no outcomes field');
      const write = async (s: string) => {
        if (!out.write(s)) await once(out, 'drain');
      };
      if (!count) {
        await write(`${head}[]${tail}\n`);
        return;
      }
      await write(`${head}[`);
      let first = true;
      const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
      for await (const line of lines) {
        // Indented as an element of a top-level field's array: two levels deep.
        const item = JSON.stringify(JSON.parse(line), null, 2).replace(/\n/g, '\n    ');
        await write(`${first ? '' : ','}\n    ${item}`);
        first = false;
      }
      await write(`\n  ]${tail}\n`);
    },
    dispose() {
      close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
