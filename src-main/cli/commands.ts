import type { CliCommand } from './command';
import { dbCommands } from './commands-db';

/** The CLI's command table: each feature contributes its rows. */
export const commands: CliCommand[] = [...dbCommands];
