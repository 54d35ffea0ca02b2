/**
 * Wrong usage of the CLI: commander's parse errors in Dutch (like the rest of what users read) and the
 * documented exit codes — 0 ok, 1 failed or some input rejected, 2 wrong usage.
 */
import { CommanderError, type Command } from 'commander';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const HINT = '(zie `grip --help`, of `grip <commando> --help`)';

/** Commander's English error line (`error: unknown option '--x'`) in Dutch; an unknown form keeps its text. */
export function dutchUsageMessage(message: string): string {
  const rules: [RegExp, (...m: string[]) => string][] = [
    [/^error: unknown option '(.*?)'/, (f) => `onbekende optie '${f}'`],
    [/^error: unknown command '(.*?)'/, (c) => `onbekend commando '${c}'`],
    [/^error: required option '(.*?)' not specified/, (f) => `verplichte optie '${f}' ontbreekt`],
    [/^error: option '(.*?)' argument missing/, (f) => `optie '${f}' mist een waarde`],
    [/^error: missing required argument '(.*?)'/, (a) => `verplicht argument '${a}' ontbreekt`],
    [
      /^error: too many arguments(?: for '(.*?)')?\. Expected (\d+) arguments? but got (\d+)\./,
      (c, want, got) => `te veel argumenten${c ? ` voor '${c}'` : ''}: ${want} verwacht, ${got} gekregen`,
    ],
    [
      /^error: option '(.*?)' argument '(.*?)' is invalid\.\s*(.*)/,
      (f, v, why) => `optie '${f}': waarde '${v}' is ongeldig${why ? `. ${why}` : ''}`,
    ],
    [
      /^error: command-argument value '(.*?)' is invalid for argument '(.*?)'\.\s*(.*)/,
      (v, a, why) => `waarde '${v}' is ongeldig voor argument '${a}'${why ? `. ${why}` : ''}`,
    ],
    [/^error: (.*?) cannot be used with (.*)$/m, (a, b) => `${a} kan niet samen met ${b}`],
  ];
  const [first = ''] = message.trim().split('\n');
  let text = first.replace(/^error: /, '');
  for (const [re, fn] of rules) {
    const m = re.exec(first);
    if (m) {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a group that took no part is undefined
      text = fn(...m.slice(1).map((x) => x ?? ''));
      break;
    }
  }
  const suggestion = /\(Did you mean (one of )?(.*?)\?\)/.exec(message);
  if (suggestion) text += ` (bedoelde u ${suggestion[1] ? 'een van ' : ''}${suggestion[2]}?)`;
  return `grip: ${text}`;
}

/**
 * Makes `program` (and every command registered on it afterwards) report parse errors in Dutch on stderr
 * and throw instead of exiting, so that `exitCodeFor` can choose the exit code. Call before registering.
 */
export function configureUsage(program: Command): Command {
  return program
    .exitOverride()
    .showHelpAfterError(HINT)
    .configureOutput({ outputError: (str, write) => write(`${dutchUsageMessage(str)}\n`) });
}

/** The exit code for what commander threw: help and version are fine, everything else is wrong usage. */
export function exitCodeFor(e: CommanderError): number {
  if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT_OK;
  // `grip help [command]` ends with 'commander.help' and exit code 0; help shown because something was
  // missing (`grip`, `grip budget`) has exit code 1 from commander: that is wrong usage.
  if (e.code === 'commander.help' && e.exitCode === 0) return EXIT_OK;
  return EXIT_USAGE;
}

/** Parses argv; on a commander error sets the exit code (0 for help/version, 2 for wrong usage). */
export async function runProgram(program: Command, argv: string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    process.exitCode = exitCodeFor(e);
  }
}
