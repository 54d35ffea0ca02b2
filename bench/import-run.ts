/** Runs one import in its own process (import-child.ts), so its peak RSS is the import's own, and reads its figures. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

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

/**
 * `args`: import-child's arguments ([--xsd=stream|xmllint] DB PATH…); its stderr goes to ours. The child starts
 * with bin/node-settings as `grip` does (a variable set in `env` wins), so the bench measures what `grip` runs.
 */
export function importInChild(args: string[], env: NodeJS.ProcessEnv = process.env): ImportFigures {
  const postgres = [...args, env.GRIP_DB ?? ''].some((a) => /^postgres(ql)?:\/\//.test(a));
  const settings = nodeSettings('import', postgres);
  const out = execFileSync(
    process.execPath,
    [...settings.flags, '--import', 'tsx', new URL('./import-child.ts', import.meta.url).pathname, ...args],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...settings.env, ...env },
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as ImportFigures;
}
