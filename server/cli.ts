#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError, parseSize, type Config } from '../config/index.js';
import { isStoreError } from '../domain/index.js';
import { ensureDkimKey } from './dkim-keys.js';
import { dnsRecords } from './dns-records.js';
import { createAccountDeletion } from '../accounts/index.js';
import { withStore, type CliSession } from './cli/store-session.js';
import { servicesCommand } from './cli/services.js';
import { secretCommand } from './cli/secrets.js';
import { announceRevocations } from './cluster/index.js';
import { parseRoles } from './roles.js';
import { ROLES } from '../domain/index.js';
import { pino } from 'pino';
import { listQueue, flushQueue, deleteQueueEntry } from '../outbound/index.js';
import { UsageError } from './cli/usage-error.js';
import { commandHelp } from './cli/help.js';
import { readPassword } from './cli/password-input.js';
import { SETUP_COMMANDS } from './cli/setup-commands.js';

const HELP = `heron — a self-hosted mail server

Usage:
  heron start [--role mx,submission,imap,api,queue,gateway]
                                                run the given roles (default: all, in one process)
  heron quickstart <you@example.com> [--hostname mail.example.com]
                                                set up a new server: config, domain, admin, DNS records
  heron doctor [<domain>]                       check listeners, certificate, DNS, PTR and clock
  heron services [--json]                       what the service registry sees (HERON_REDIS_URL)
  heron secret rotate jwt                       new API token signing secret on every node (tokens void)
  heron user add <address> [--name <display name>] [--admin] [--quota <size>] [--password-file <file>]
  heron user list
  heron user passwd <address> [--password-file <file>]
  heron user delete <address>
  heron import <address> <file|dir>             mbox (Google Takeout), Maildir or .eml files
  heron export <address> <dir>                  a user's mail as Maildir
  heron domain add <domain>
  heron domain list
  heron domain dns <domain>                     print the DNS records to publish
  heron queue list                              outbound mail waiting for delivery
  heron queue flush [<id>]                      retry now (a running server picks it up within 30 s)
  heron queue delete <id>                       drop an entry without a bounce
  heron --help

Options:
  --config <file>   JSON config file (default: $HERON_CONFIG, else ./heron.json if present)

"heron <command> --help" tells more. Passwords are asked for (or read from standard input or
--password-file), never needed on the command line. Every option can also be set with HERON_*
environment variables; see README.md.`;

async function ensureDomains(config: Config, opened: CliSession): Promise<void> {
  for (const d of config.domains) await opened.store.users.addDomain(d);
}

async function userCommand(config: Config, sub: string | undefined, args: string[], values: Record<string, unknown>): Promise<void> {
  await withStore(config, async (opened) => {
    await ensureDomains(config, opened);
    const users = opened.store.users;
    switch (sub) {
      case 'add': {
        const address = (args[0] ?? '').toLowerCase();
        if (!address) throw new UsageError('usage: heron user add <address> [--name <name>] [--password-file <file>]');
        const at = address.lastIndexOf('@');
        if (at < 1 || at === address.length - 1) throw new UsageError(`not an address: ${address}`);
        const domain = address.slice(at + 1);
        if (!(await users.isLocalDomain(domain))) throw new UsageError(`${domain} is not a local domain (add it with: heron domain add ${domain})`);
        const password = await readPassword({ password: values.password as string | undefined, passwordFile: values['password-file'] as string | undefined });
        const user = await users.createUser({
          username: address.slice(0, at),
          address,
          password,
          displayName: (values.name as string | undefined) ?? '',
          verified: true,
          admin: Boolean(values.admin),
          quota: values.quota ? parseSize(values.quota as string) : config.limits.defaultQuota,
        });
        console.log(`created ${user.address} (id ${user.id})`);
        return;
      }
      case 'list': {
        for (const u of await users.listUsers({ limit: 100_000 })) {
          const tags = [u.admin ? 'admin' : '', u.disabled ? 'disabled' : '', u.verified ? '' : 'unverified'].filter(Boolean);
          console.log(`${u.address}\t${u.displayName}\t${tags.join(',')}`);
        }
        return;
      }
      case 'passwd': {
        const user = await users.findUserByLogin(args[0] ?? '');
        if (!user) throw new UsageError(`no such user: ${args[0] ?? ''}`);
        const password = await readPassword({ password: values.password as string | undefined, passwordFile: values['password-file'] as string | undefined });
        await users.updateUser(user.id, { password });
        console.log(`password changed for ${user.address}`);
        return;
      }
      case 'delete': {
        const user = await users.findUserByLogin(args[0] ?? '');
        if (!user) throw new UsageError(`no such user: ${args[0] ?? ''}`);
        // The one deletion service (accounts/), as the admin API uses: revokes tokens and app
        // passwords first, drops queue entries and account data, never recycles the id.
        const deletion = createAccountDeletion({
          users,
          accounts: announceRevocations(opened.store.accounts, opened.bus),
          queue: opened.store.queue,
          vacationLog: opened.store.vacation,
          logger: pino({ level: 'silent' }),
        });
        await deletion.deleteAccount(user.id, { actor: 'cli' });
        console.log(`deleted ${user.address}`);
        return;
      }
      default:
        throw new UsageError('usage: heron user add|list|passwd|delete');
    }
  });
}

async function domainCommand(config: Config, sub: string | undefined, args: string[]): Promise<void> {
  await withStore(config, async (opened) => {
    await ensureDomains(config, opened);
    const users = opened.store.users;
    switch (sub) {
      case 'add': {
        if (!args[0]) throw new UsageError('usage: heron domain add <domain>');
        const d = await users.addDomain(args[0].toLowerCase());
        const key = await ensureDkimKey(opened.store.keys, d.name, config.dataDir);
        // Running nodes sign for the new domain at once (or, with Redis away, within a minute).
        await opened.bus.publish({ type: 'domains' }).catch((err: unknown) => console.error(`heron: running nodes not told at once: ${(err as Error).message}`));
        console.log(`added ${d.name}; publish these records:`);
        for (const line of dnsRecords(config, d.name, key)) console.log(line);
        return;
      }
      case 'list':
        for (const d of await users.listDomains()) console.log(d.name);
        return;
      case 'dns': {
        const name = (args[0] ?? '').toLowerCase();
        if (!name) throw new UsageError('usage: heron domain dns <domain>');
        if (!(await users.isLocalDomain(name))) throw new UsageError(`${name} is not a local domain`);
        for (const line of dnsRecords(config, name, await ensureDkimKey(opened.store.keys, name, config.dataDir))) console.log(line);
        return;
      }
      default:
        throw new UsageError('usage: heron domain add|list|dns');
    }
  });
}

async function queueCommand(config: Config, sub: string | undefined, args: string[]): Promise<void> {
  await withStore(config, async (opened) => {
    const queue = opened.store.queue;
    switch (sub) {
      case 'list': {
        const entries = await listQueue(queue, { limit: 10_000 });
        for (const e of entries) {
          console.log(
            [e.id, e.status, e.sender || '<>', e.recipients.join(','), `attempts=${e.attempts}`, `next=${e.nextAttemptAt.toISOString()}`, e.lastError ?? ''].join('\t'),
          );
        }
        if (entries.length === 0) console.log('queue is empty');
        return;
      }
      case 'flush':
        console.log(`${await flushQueue(queue, args[0])} entries due now`);
        return;
      case 'delete':
        if (!args[0]) throw new UsageError('usage: heron queue delete <id>');
        if (!(await deleteQueueEntry(queue, args[0]))) throw new UsageError(`no queue entry ${args[0]}`);
        console.log(`deleted ${args[0]}`);
        return;
      default:
        throw new UsageError('usage: heron queue list|flush|delete');
    }
  });
}

export async function main(argv: string[]): Promise<number> {
  const setup = argv[0] !== undefined ? SETUP_COMMANDS[argv[0]] : undefined;
  if (setup) return setup(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      config: { type: 'string' },
      password: { type: 'string' },
      'password-file': { type: 'string' },
      name: { type: 'string' },
      admin: { type: 'boolean' },
      quota: { type: 'string' },
      role: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const [command, sub, ...rest] = positionals;
  if (values.help || !command || command === 'help') {
    console.log((values.help && commandHelp(command, sub)) || HELP);
    return 0;
  }
  let config = loadConfig(values.config !== undefined ? { file: values.config } : {});
  if (values.role !== undefined) {
    try {
      config = { ...config, roles: parseRoles(values.role, ROLES) };
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  switch (command) {
    case 'start': {
      const { runServer } = await import('./run.js');
      await runServer(config);
      return -1; // keeps running; exit is driven by signals
    }
    case 'user':
      await userCommand(config, sub, rest, values);
      return 0;
    case 'domain':
      await domainCommand(config, sub, rest);
      return 0;
    case 'queue':
      await queueCommand(config, sub, rest);
      return 0;
    case 'services':
      await servicesCommand(config, { json: Boolean(values.json) });
      return 0;
    case 'secret':
      await secretCommand(config, sub, rest);
      return 0;
    default:
      throw new UsageError(`unknown command: ${command}\n\n${HELP}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError || err instanceof ConfigError) {
      console.error(`heron: ${err.message}`);
      process.exitCode = 2;
    } else if (isStoreError(err)) {
      console.error(`heron: ${err.message} (${err.code})`);
      process.exitCode = 1;
    } else if ((err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (err as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      console.error(`heron: ${(err as Error).message}\n\n${HELP}`);
      process.exitCode = 2;
    } else {
      console.error(err);
      process.exitCode = 1;
    }
  },
);
