import type { Command } from 'commander';
import { Accounts } from '../../access/accounts.js';
import { ROLES, type Role } from '../../warehouse/warehouse.js';
import { DB_OPTION_HELP, action, printJson, table, usage, withWarehouse } from '../context.js';

export function registerUser(program: Command): void {
  const cmd = program
    .command('user')
    .description('Accounts for the web app: roles beheerder, regio, gemeente, raad, partner');
  cmd
    .command('add')
    .description('Create a user and print the password once')
    .argument('<username>')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option('--municipality <codes>', 'for role gemeente: comma list of CBS codes, e.g. 0482,0505')
    .option('--organisation <name>', 'for role partner: the organisation it reports for')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  $ grip user add anna --role gemeente --municipality 0482\n  $ grip user add sjt --role partner --organisation SJT',
    )
    .action(
      action(
        async (username: string, opts: { role: string; municipality?: string; organisation?: string; db?: string }) => {
          if (!ROLES.includes(opts.role as Role)) throw usage(`--role moet een van deze zijn: ${ROLES.join(', ')}`);
          const r = await withWarehouse(opts, (w) =>
            new Accounts(w).addUser({
              username,
              role: opts.role as Role,
              municipalities: opts.municipality?.split(',') ?? [],
              organisation: opts.organisation ?? null,
            }),
          );
          process.stdout.write(
            `Created ${username} (${r.user.role}${r.user.municipalities.length ? ' ' + r.user.municipalities.join(',') : ''}). Password: ${r.password}\n`,
          );
        },
      ),
    );
  cmd
    .command('list')
    .description('List users (never passwords)')
    .option('--json', 'print as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText('after', '\nExample:\n  $ grip user list')
    .action(
      action(async (opts: { json?: boolean; db?: string }) => {
        const users = (await withWarehouse(opts, (w) => w.listUsers())).map(({ passwordHash: _h, ...u }) => u);
        if (opts.json) return printJson(users);
        process.stdout.write(
          table(
            ['gebruiker', 'rol', 'gemeenten', 'actief'],
            users.map((u) => [u.username, u.role, u.municipalities.join(','), u.disabled ? 'nee' : 'ja']),
          ) + '\n',
        );
      }),
    );
  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    cmd
      .command(name)
      .description(`${disabled ? 'Disable' : 'Enable'} a user`)
      .argument('<username>')
      .option('--db <file|url>', DB_OPTION_HELP)
      .addHelpText('after', `\nExample:\n  $ grip user ${name} anna`)
      .action(
        action(async (username: string, opts: { db?: string }) => {
          await withWarehouse(opts, (w) => new Accounts(w).setDisabled(username, disabled));
          process.stdout.write(`${username} ${disabled ? 'disabled' : 'enabled'}.\n`);
        }),
      );
  }
  cmd
    .command('reset-password')
    .description('Set a new generated password and print it once')
    .argument('<username>')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText('after', '\nExample:\n  $ grip user reset-password anna')
    .action(
      action(async (username: string, opts: { db?: string }) => {
        const pw = await withWarehouse(opts, (w) => new Accounts(w).resetPassword(username));
        process.stdout.write(`New password for ${username}: ${pw}\n`);
      }),
    );
}

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('Read the audit log (views and exports of client-level data, logins, user changes, imports)')
    .option('--user <username>', 'only this user')
    .option('--client <pseudonym>', 'only entries about this client pseudonym')
    .option('--from <date>', 'from (ISO date or time)')
    .option('--to <date>', 'to (ISO date or time)')
    .option('--json', 'print as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  $ grip audit --user anna --from 2026-11-01\n  $ grip audit --client p_1a2b3c4d5e6f7a8b9c0d',
    )
    .action(
      action(
        async (opts: { user?: string; client?: string; from?: string; to?: string; json?: boolean; db?: string }) => {
          const to = opts.to && /^\d{4}-\d{2}-\d{2}$/.test(opts.to) ? `${opts.to}T99` : opts.to;
          const rows = await withWarehouse(opts, (w) =>
            w.audit({ username: opts.user, client: opts.client, from: opts.from, to }),
          );
          if (opts.json) return printJson(rows);
          process.stdout.write(
            table(
              ['tijd', 'gebruiker', 'rol', 'actie', 'cliënten', 'doel', 'gemeente'],
              rows.map((r) => [
                r.at,
                r.username,
                r.role,
                r.action,
                r.clients.join(' '),
                r.purpose ?? '',
                r.municipality ?? '',
              ]),
            ) + '\n',
          );
        },
      ),
    );
}
