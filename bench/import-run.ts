/** Runs one import in its own process (bench/child.ts import), so its peak RSS is the import's own, and reads its figures. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { distIsCurrent } from './build-state.js';

export interface ImportFigures {
  seconds: number;
  cpuSeconds: number;
  /** 'dist' (the compiled build, as `grip` runs) or 'source'. */
  build: string;
  lines: number;
  bytes: number;
  imported: number;
  rejected: number;
  maxRssMb: number;
  /** The last transaction's commit and the derived tables' build after it (bench/child.ts). */
  lastCommitSeconds: number;
  derivedSeconds: number;
}

/**
 * The settings Node must be given before it starts, as bin/grip gives them (bin/node-settings: a line NAME=VALUE
 * is an environment variable, a line -… a Node or V8 flag, a line "command …: -…" flags for those commands only;
 * blank lines and #-comments are skipped) for `command`; command-scoped flags only into DuckDB.
 */
export function nodeSettings(command: string, postgres = false): { env: Record<string, string>; flags: string[] } {
  const env: Record<string, string> = {};
  const flags: string[] = [];
  const words = (s: string) => s.split(' ').filter((w) => w !== '');
  for (const line of readFileSync(new URL('../bin/node-settings', import.meta.url), 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const scoped = /^([a-z][a-z ]*): (-.*)$/.exec(line);
    if (line.startsWith('-')) flags.push(...words(line));
    else if (scoped) {
      if (!postgres && words(scoped[1] ?? '').includes(command)) flags.push(...words(scoped[2] ?? ''));
    } else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(line))
      env[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return { env, flags };
}

const REPO = new URL('../', import.meta.url);
let plainChildFile: string | undefined;
/**
 * The bench child (child.ts) as plain JavaScript (its types stripped), written once per run to a temporary
 * folder: with the compiled build the child then runs as `grip` does, without tsx's loader (a thread of its
 * own and its compiled code: two-year JW323, 4 pairs, 0.2-0.4 s less CPU and 15-20 MB less peak RSS without it).
 */
function plainChild(): string {
  if (plainChildFile) return plainChildFile;
  const source = readFileSync(new URL('./child.ts', import.meta.url), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const dir = mkdtempSync(join(tmpdir(), 'grip-bench-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'child.mjs');
  writeFileSync(file, outputText);
  return (plainChildFile = file);
}

/**
 * Runs bench/child.ts in its own process with `args` (`import …` or `floor …`), started as `grip import`
 * starts (bin/node-settings; a variable set in `env` wins) and, with the compiled build, as plain JavaScript;
 * returns the last line it printed, parsed as JSON. Its stderr goes to ours.
 */
export function runChild(args: string[], env: NodeJS.ProcessEnv = process.env): unknown {
  const postgres = [...args, env.GRIP_DB ?? ''].some((a) => /^postgres(ql)?:\/\//.test(a));
  const settings = nodeSettings('import', postgres);
  const dist = distIsCurrent(REPO);
  const child = dist ? [plainChild()] : ['--import', 'tsx', new URL('./child.ts', import.meta.url).pathname];
  const out = execFileSync(process.execPath, [...settings.flags, ...child, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...settings.env,
      ...env,
      GRIP_BENCH_BUILD: dist ? 'dist' : 'source',
      GRIP_BENCH_ROOT: fileURLToPath(REPO),
    },
  });
  return JSON.parse(out.trim().split('\n').pop()!) as unknown;
}

/**
 * `args`: the child's import arguments ([--xsd=stream|xmllint] DB PATH…); its stderr goes to ours. The child starts
 * with bin/node-settings as `grip` does (a variable set in `env` wins), and with the compiled build as plain
 * JavaScript, so the bench measures what `grip` runs.
 */
export function importInChild(args: string[], env: NodeJS.ProcessEnv = process.env): ImportFigures {
  return runChild(['import', ...args], env) as ImportFigures;
}
