import { importPaths } from '../src/ingest/importer.js';
import { makePseudonymiser } from '../src/ingest/pseudonymise.js';
import { openWarehouse } from '../src/warehouse/open.js';
const [db, ...paths] = process.argv.slice(2);
const w = await openWarehouse(db!);
const inst = (w as unknown as { instance: { connect(): Promise<{ runAndReadAll(s: string): Promise<{ getRowObjects(): Record<string, unknown>[] }> }> } }).instance;
const c = await inst.connect();
let peak = { rss: 0, duck: 0, tags: '' };
let busy = false;
const iv = setInterval(async () => {
  if (busy) return; busy = true;
  try {
    const r = (await c.runAndReadAll(`SELECT tag, memory_usage_bytes m FROM duckdb_memory() WHERE memory_usage_bytes > 0 ORDER BY m DESC`)).getRowObjects();
    const duck = r.reduce((a, x) => a + Number(x.m), 0);
    const rss = process.memoryUsage().rss;
    if (rss > peak.rss) peak = { rss, duck, tags: r.map((x) => `${String(x.tag)}=${(Number(x.m) / 1048576).toFixed(0)}`).join(' ') };
  } finally { busy = false; }
}, 50);
const s = await importPaths(paths, { warehouse: w, pseudonymise: makePseudonymiser(Buffer.alloc(32, 1)), xsd: { available: false, why: 'x', validate: async () => new Map() }, onOutcome: () => {} });
clearInterval(iv);
console.log(JSON.stringify({ imported: s.imported, maxRss: process.resourceUsage().maxRSS / 1024, peakRss: peak.rss / 1048576, duckAtPeak: peak.duck / 1048576, tags: peak.tags, heap: process.memoryUsage().heapTotal / 1048576 }));
