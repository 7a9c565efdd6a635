import { quickstartCommand } from './quickstart.js';
import { importCommand, exportCommand } from './import.js';

/**
 * Commands that parse their own options (each has its own --help); cli.ts hands them the
 * arguments after the command name and exits with what they return.
 */
export const SETUP_COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  quickstart: quickstartCommand,
  import: importCommand,
  export: exportCommand,
  doctor: async (argv) => (await import('./doctor.js')).doctorCommand(argv),
};
