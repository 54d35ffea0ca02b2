import { Command, Help } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, buildProgram, commandsNeeded } from './program.js';

/** Everything `grip --help` prints, captured. */
function helpText(program: Command): string {
  return program.helpInformation();
}

describe('the grip program', () => {
  it('lists with stand-ins exactly what the real commands say (name, options, arguments, description, order)', async () => {
    const real = await buildProgram([], 'all');
    const stubs = await buildProgram([], []);
    expect(helpText(stubs)).toBe(helpText(real));
    // The table knows every command the modules register, and nothing else.
    expect(real.commands.map((c) => c.name())).toEqual(COMMANDS.map((c) => c.name));
    const help = new Help();
    for (const c of real.commands) {
      const entry = COMMANDS.find((e) => e.name === c.name())!;
      expect([help.subcommandTerm(c), c.description()]).toEqual([entry.term, entry.description]);
    }
  });

  it('loads only the command that runs, or the one help is asked about', async () => {
    expect(commandsNeeded(['--help'])).toEqual([]);
    expect(commandsNeeded([])).toEqual([]);
    expect(commandsNeeded(['costs', '--by', 'month'])).toEqual(['costs']);
    expect(commandsNeeded(['help', 'import'])).toEqual(['import']);
    expect(commandsNeeded(['bogus'])).toEqual([]);
    const p = await buildProgram(['backtest', '--years', '2024']);
    // forecast's module registers forecast and backtest: both real (they have options), the rest stand-ins.
    const real = p.commands.filter((c) => c.options.length > 0).map((c) => c.name());
    expect(real).toEqual(['forecast', 'backtest']);
    const audit = await buildProgram(['audit']);
    expect(audit.commands.filter((c) => c.options.length > 0 || c.commands.length > 0).map((c) => c.name())).toEqual([
      'user',
      'audit',
    ]);
  });
});
