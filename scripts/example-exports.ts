/**
 * Writes examples/suite4-declaraties.csv and examples/isd-declaraties.xlsx from a small generated region
 * (src/generate/exports.ts EXAMPLE_REGION), and prints their net totals per municipality and production
 * month. Run: npx tsx scripts/example-exports.ts
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZHZ_MUNICIPALITIES } from '../src/domain/codes/index.js';
import { EXAMPLE_REGION, writeExampleExports } from '../src/generate/exports.js';
import { generateRegion } from '../src/generate/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'grip-example-'));
try {
  const manifest = await generateRegion({ outDir: tmp, format: 'csv', ...EXAMPLE_REGION });
  const csvDir = join(tmp, 'csv');
  const files = readdirSync(csvDir)
    .filter((f) => f.endsWith('.csv'))
    .sort();
  const names = new Map(ZHZ_MUNICIPALITIES.map((m) => [m.code, m.name]));
  const r = await writeExampleExports(csvDir, files, join(import.meta.dirname, '..', 'examples'), names);
  process.stdout.write(
    `${r.records} regels; geschreven: ${r.suite4}, ${r.isd}; in de generator geschreven: ${manifest.writtenJw323Cents} cent\n`,
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
