/**
 * vitest global setup: one temporary folder for the whole test run, removed at its end, and one PostgreSQL
 * server in it; tests get the server's URL via inject('pgUrl').
 *
 * Every test file's temporary files (warehouses, generated regions, key files, Chromium profiles) go below
 * the run's folder: TMPDIR is pointed at it before the test processes start, so os.tmpdir() returns it
 * there. Before this, each `npm test` left ≈ 1 GB of folders in /tmp.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const root = mkdtempSync(join(tmpdir(), 'grip-tests-'));
  // The PostgreSQL server runs as another user when the tests run as root: it must reach its folder below.
  chmodSync(root, 0o755);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  const removeRoot = () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
  let pg: Awaited<ReturnType<typeof startPostgres>>;
  try {
    pg = await startPostgres();
  } catch (e) {
    removeRoot();
    throw e;
  }
  project.provide('pgUrl', pg.url);
  return () => {
    try {
      pg.stop();
    } finally {
      removeRoot();
    }
  };
}
