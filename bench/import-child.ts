/** Runs one import in its own process and prints figures as JSON (so peak RSS is the import's own). */
import { importPaths } from '../src/ingest/importer.js';
import { makePseudonymiser } from '../src/ingest/pseudonymise.js';
import { makeXsdValidator } from '../src/ingest/xsd.js';
import { openWarehouse } from '../src/warehouse/open.js';

const [db, ...paths] = process.argv.slice(2);
const w = await openWarehouse(db);
const t0 = process.hrtime.bigint();
const s = await importPaths(paths, { warehouse: w, pseudonymise: makePseudonymiser(Buffer.alloc(32, 1)), xsd: makeXsdValidator() });
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
await w.close();
process.stdout.write(
  JSON.stringify({ seconds, lines: s.lines, bytes: s.bytes, imported: s.imported, rejected: s.rejected, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n',
);
