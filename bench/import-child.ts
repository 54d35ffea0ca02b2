/**
 * Runs one import in its own process and prints figures as JSON (so peak RSS is the import's own).
 * It runs the compiled build (dist/, what `grip` runs) when that is current, else the TypeScript sources
 * (GRIP_BENCH_SOURCE=1 forces the sources); the JSON says which. import-run.ts starts it as plain JavaScript
 * (its types stripped) when it runs the compiled build, as `grip` runs, else under tsx; GRIP_BENCH_BUILD
 * (dist or source) and GRIP_BENCH_ROOT (the repository) then tell it what to load.
 */
import { pathToFileURL } from 'node:url';

const given = process.env.GRIP_BENCH_ROOT;
const root = given ? pathToFileURL(given.endsWith('/') ? given : `${given}/`) : new URL('../', import.meta.url);
// Started by import-run.ts, which decides; run by hand (under tsx), it looks itself.
const useDist = process.env.GRIP_BENCH_BUILD
  ? process.env.GRIP_BENCH_BUILD === 'dist'
  : (await import('./build-state.js')).distIsCurrent(root);
const from = (m: string) => new URL(useDist ? `dist/${m}.js` : `src/${m}.ts`, root).href;

const { importPaths } = (await import(from('ingest/importer'))) as typeof import('../src/ingest/importer.js');
const { makePseudonymiser } = (await import(
  from('ingest/pseudonymise')
)) as typeof import('../src/ingest/pseudonymise.js');
const { makeXsdValidator } = (await import(from('ingest/xsd'))) as typeof import('../src/ingest/xsd.js');
const { openWarehouse } = (await import(from('warehouse/open'))) as typeof import('../src/warehouse/open.js');

const args = process.argv.slice(2);
// --xsd=stream (default: validation inside the parse) or --xsd=xmllint (also run xmllint, as `grip import --xsd xmllint`)
const mode = args[0]?.startsWith('--xsd=') ? args.shift()!.slice(6) : 'stream';
const [db, ...paths] = args;
if (!db) throw new Error('usage: import-child [--xsd=stream|xmllint] DB PATH…');
const w = await openWarehouse(db);
const t0 = process.hrtime.bigint();
const c0 = process.cpuUsage();
const s = await importPaths(paths, {
  warehouse: w,
  pseudonymise: makePseudonymiser(Buffer.alloc(32, 1)),
  xsd:
    mode === 'xmllint'
      ? makeXsdValidator()
      : { available: false, why: 'not asked for', validate: async () => new Map() },
  onOutcome: () => {}, // as `grip import` without --json: no per-file outcomes kept
});
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(c0);
await w.close();
process.stdout.write(
  JSON.stringify({
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    build: useDist ? 'dist' : 'source',
    lines: s.lines,
    bytes: s.bytes,
    imported: s.imported,
    rejected: s.rejected,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
);
