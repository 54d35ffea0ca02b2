import type { Command } from 'commander';
import { openWarehouse, resolveDbSpec } from '../../warehouse/open.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { DB_OPTION_HELP, action } from '../context.js';

export async function startServer({ warehouse, port, host }: { warehouse: Warehouse; port: number; host: string }): Promise<{ url: string; close(): Promise<void> }> {
  // Loaded here: the web app (Fastify, ECharts) slows every other command's start.
  const { buildApp } = await import('../../web/server.js');
  const app = buildApp({ warehouse, warmUp: true });
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
    .addHelpText('after', '\nExamples:\n  $ grip serve\n  $ grip serve --port 8080 --db regio.duckdb')
    .action(
      action(async (opts: { db?: string; port: string; host: string }) => {
        const w = await openWarehouse(resolveDbSpec(opts.db));
        const s = await startServer({ warehouse: w, port: Number(opts.port), host: opts.host });
        process.stdout.write(`Grip dashboard: ${s.url}  (Ctrl+C to stop)\n`);
        const stop = async () => {
          await s.close();
          await w.close();
          process.exit(0);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      }),
    );
}
