/**
 * The parse baseline of `npm run bench`: `xmllint --stream` over the given files, in batches of 1,000, two
 * processes at a time (both cores, as Grip may use them). Wall and CPU seconds (CPU via time(1): on a loaded
 * machine wall ratios swing, CPU ratios less).
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Files per xmllint process: few enough processes that starting them costs little (two-year JW323, idle:
 * 0.84 s wall in batches of 500 against 0.62 s in batches of 4,000).
 */
const BATCH = 1000;

export async function xmllintBaseline(
  files: readonly string[],
  extra: readonly string[] = [],
): Promise<{ seconds: number; cpuSeconds: number }> {
  let cpuSeconds = 0;
  const t0 = process.hrtime.bigint();
  let next = 0;
  const one = async () => {
    for (let i = next; i < files.length; i = next) {
      next += BATCH;
      const batch = files.slice(i, i + BATCH);
      await new Promise<void>((resolve) => {
        const p = spawn('/usr/bin/time', ['-f', 'CPU %U %S', 'xmllint', '--stream', '--noout', ...extra, ...batch], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let err = '';
        p.stderr.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-2000)));
        p.on('close', () => {
          const m = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(err);
          if (m) cpuSeconds += Number(m[1]) + Number(m[2]);
          resolve();
        });
      });
    }
  };
  await Promise.all([one(), one()]);
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpuSeconds };
}

/** The .xml files under `dir`, in sorted order (the import's order too). */
export function xmlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...xmlFilesUnder(p));
    else if (e.name.endsWith('.xml')) out.push(p);
  }
  return out.sort();
}
