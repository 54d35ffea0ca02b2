/**
 * bin/grip, the launcher: it starts Node with bin/node-settings (environment and flags that must be given before
 * Node starts) and runs bin/grip.mjs in that process, the user's arguments unchanged and the user's own
 * environment values winning. A preloaded script (NODE_OPTIONS=--require) reports what the real Node process
 * was started with: its execArgv, its environment as the kernel holds it (/proc/self/environ) and its arguments.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nodeSettings } from '../../bench/import-run.js';
import { tempDir, writeFile } from '../ingest/testing/fixtures.js';

const LAUNCHER = fileURLToPath(new URL('../../bin/grip', import.meta.url));
const MAIN = realpathSync(fileURLToPath(new URL('../../bin/grip.mjs', import.meta.url)));
const work = tempDir('grip-launcher-');
const reporter = writeFile(
  work,
  'report.cjs',
  `const fs = require('node:fs');
fs.writeSync(1, JSON.stringify({
  execArgv: process.execArgv,
  argv: process.argv.slice(1),
  environ: fs.readFileSync('/proc/self/environ', 'latin1').split('\\0').filter(Boolean),
}));
process.exit(0);
`,
);

interface Report {
  execArgv: string[];
  argv: string[];
  environ: string[];
}

function launch(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Report {
  const r = spawnSync(command, args, {
    env: {
      PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
      NODE_OPTIONS: `--require ${reporter}`,
      ...env,
    },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

const settings = nodeSettings('import');
const other = nodeSettings('serve');
// Arguments a shell would mangle if the launcher lost their quoting: a space, a glob, an empty one, a dash.
const ARGS = ['import', 'a b', '*', '', '--json'];

describe('bin/grip starts Node with bin/node-settings', () => {
  it('the list holds environment variables and flags (the bench reads the same file)', () => {
    expect(Object.keys(settings.env).length).toBeGreaterThan(0);
    expect(settings.flags.length).toBeGreaterThan(0);
    for (const f of settings.flags) expect(f).toMatch(/^--[a-z-]+(=\S+)?$/);
    // The semi-space flag is for the commands that import; others start without it (start-up cost).
    expect(other.flags).not.toContain('--max-semi-space-size=2');
    expect(other.env).toEqual(settings.env);
  });

  it('gives a command only the flags listed for it (and for every command)', () => {
    const r = launch(LAUNCHER, ['serve', '--port', '0']);
    expect(r.execArgv).toEqual(other.flags);
    expect(r.argv).toEqual([MAIN, 'serve', '--port', '0']);
    expect(launch(LAUNCHER, ['demo']).execArgv).toEqual(nodeSettings('demo').flags);
    expect(nodeSettings('demo').flags).toEqual(settings.flags);
  });

  it('gives an import into PostgreSQL no command-scoped flags (an argument or GRIP_DB names it)', () => {
    const pgFlags = nodeSettings('import', true).flags;
    expect(pgFlags).not.toContain('--max-semi-space-size=2');
    expect(launch(LAUNCHER, ['import', '--db', 'postgres://u@h/db', 'x']).execArgv).toEqual(pgFlags);
    expect(launch(LAUNCHER, ['import', 'x'], { GRIP_DB: 'postgresql://h/db' }).execArgv).toEqual(pgFlags);
    expect(launch(LAUNCHER, ['import', '--db', 'w.duckdb', 'x']).execArgv).toEqual(settings.flags);
  });

  it('gives the flags to Node, the settings to its environment, and the arguments to grip.mjs unchanged', () => {
    const r = launch(LAUNCHER, ARGS);
    expect(r.execArgv).toEqual(settings.flags);
    expect(r.argv).toEqual([MAIN, ...ARGS]);
    for (const [k, v] of Object.entries(settings.env)) expect(r.environ).toContain(`${k}=${v}`);
  });

  it("the user's own value of a setting wins", () => {
    const [name] = Object.keys(settings.env);
    const r = launch(LAUNCHER, ['--help'], { [name!]: '7' });
    expect(r.environ.filter((e) => e.startsWith(`${name!}=`))).toEqual([`${name!}=7`]);
  });

  it('works through a relative symbolic link, as npm links it into node_modules/.bin', () => {
    const bin = join(work, 'node_modules', '.bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(relative(bin, LAUNCHER), join(bin, 'grip'));
    const r = launch(join(bin, 'grip'), ARGS);
    expect(r.execArgv).toEqual(settings.flags);
    expect(r.argv).toEqual([MAIN, ...ARGS]);
  });

  it('run by Node itself (`node bin/grip`), it is the CLI without the settings', () => {
    const r = launch(process.execPath, [LAUNCHER, ...ARGS]);
    expect(r.execArgv).toEqual([]);
    expect(r.argv).toEqual([LAUNCHER, ...ARGS]);
    const v = spawnSync(process.execPath, [LAUNCHER, '--version'], { encoding: 'utf8', timeout: 60_000 });
    expect([v.status, v.stderr]).toEqual([0, '']);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('runs grip itself (Node accepts the flags)', () => {
    const r = spawnSync(LAUNCHER, ['--version'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect([r.status, r.stdout.trim()]).toEqual([
      0,
      (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version,
    ]);
  });
});
