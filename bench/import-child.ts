/** Runs one import in its own process and prints figures as JSON (so peak RSS is the import's own). */
import { importPaths } from '../src/ingest/importer.js';
import { makePseudonymiser } from '../src/ingest/pseudonymise.js';
import { makeXsdValidator } from '../src/ingest/xsd.js';
import { openWarehouse } from '../src/warehouse/open.js';

const args = process.argv.slice(2);
// --xsd=stream (default: validation inside the parse) or --xsd=xmllint (also run xmllint, as `grip import --xsd xmllint`)
const mode = args[0]?.startsWith('--xsd=') ? args.shift()!.slice(6) : 'stream';
const [db, ...paths] = args;
const w = await openWarehouse(db);
const t0 = process.hrtime.bigint();
const s = await importPaths(paths, { warehouse: w, pseudonymise: makePseudonymiser(Buffer.alloc(32, 1)), xsd: mode === 'xmllint' ? makeXsdValidator() : { available: false, why: 'not asked for', validate: async () => new Map() } });
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
await w.close();
process.stdout.write(
  JSON.stringify({ seconds, lines: s.lines, bytes: s.bytes, imported: s.imported, rejected: s.rejected, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n',
);
