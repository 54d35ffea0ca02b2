/**
 * `grip`: the command-line interface. program.ts builds the program (loading only the command that runs),
 * usage.ts turns wrong usage into Dutch messages and exit code 2. One file per command in commands/.
 */
import { buildProgram } from './program.js';
import { runProgram } from './usage.js';

await runProgram(await buildProgram(process.argv.slice(2)), process.argv);
