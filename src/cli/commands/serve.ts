import type { Command } from 'commander';
import { openWarehouse, resolveDbSpec } from '../../warehouse/open.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { DB_OPTION_HELP, action } from '../context.js';

export async function startServer({
  warehouse,
  port,
  host,
  trustProxy = false,
}: {
  warehouse: Warehouse;
  port: number;
  host: string;
  trustProxy?: boolean;
}): Promise<{ url: string; close(): Promise<void> }> {
  // Loaded here: the web app (Fastify, ECharts) slows every other command's start.
  const { buildApp } = await import('../../web/server.js');
  const app = buildApp({ warehouse, warmUp: true, trustProxy });
  await app.listen({ port, host });
  return { url: `http://${host}:${port}/`, close: () => app.close() };
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve the dashboard (Dutch) and its JSON API')
    .option('--db <file|url>', DB_OPTION_HELP)
    .option('--port <port>', 'port', '3000')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option(
      '--trust-proxy',
      'behind a reverse proxy: take the client address and https from X-Forwarded-For/-Proto (never without a proxy)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ grip serve\n  $ grip serve --port 8080 --db regio.duckdb\n  $ grip serve --host 127.0.0.1 --trust-proxy   # behind nginx or another TLS proxy',
    )
    .action(
      action(async (opts: { db?: string; port: string; host: string; trustProxy?: boolean }) => {
        const w = await openWarehouse(resolveDbSpec(opts.db));
        const s = await startServer({
          warehouse: w,
          port: Number(opts.port),
          host: opts.host,
          trustProxy: !!opts.trustProxy,
        });
        process.stdout.write(`Grip-dashboard: ${s.url}  (Ctrl+C om te stoppen)\n`);
        const stop = async () => {
          await s.close();
          await w.close();
          process.exit(0);
        };
        process.once('SIGINT', () => void stop());
        process.once('SIGTERM', () => void stop());
      }),
    );
}
