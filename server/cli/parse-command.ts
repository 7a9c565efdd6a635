import { parseArgs, type ParseArgsConfig } from 'node:util';
import { commandHelp } from './help.js';
import { UsageError } from './usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses one command's arguments (with --config and --help always known). Returns null after
 * printing the command's help.
 */
export function parseCommand<O extends Options>(
  command: string,
  argv: string[],
  options: O,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } | null {
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { ...options, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }) as typeof parsed;
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${commandHelp(command, undefined) ?? ''}`);
  }
  if (parsed.values.help) {
    console.log(commandHelp(command, parsed.positionals[0]) ?? commandHelp(command, undefined));
    return null;
  }
  return parsed;
}
