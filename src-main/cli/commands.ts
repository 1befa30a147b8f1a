import type { CliCommand } from './command';
import { dbCommands } from './commands-db';
import { coachCommands } from './commands-coach';
import { syncCommands } from './commands-sync';
import { palletCommands } from './commands-pallets';
import { modelCommands } from './commands-models';
import { leadCommands } from './commands-leads';

/** The CLI's command table: each feature contributes its rows. */
export const commands: CliCommand[] = [...dbCommands, ...syncCommands, ...coachCommands, ...palletCommands, ...modelCommands, ...leadCommands];
