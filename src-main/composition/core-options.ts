import type { SystemInfo } from '@shared/contract/system';
import type { AppPaths } from '../core/paths';
import type { Log } from '../core/logger';
import type { Db } from '../db/open';
import type { SecretStore } from '../db/secret-store';
import type { ChildSpawner } from '../llm';

/** How a transport (Electron, the headless host, the CLI, a test) asks the composition root for a core. */
export interface CoreOptions {
  paths: AppPaths;
  transport: SystemInfo['transport'];
  appVersion: string;
  osLocale: string;
  log: Log;
  /** Electron passes net.isOnline(); Node falls back to "has a non-loopback interface". */
  isOnline?: () => boolean;
  /** Opens an https URL in the system browser; absent outside Electron. */
  openExternal?: (url: string) => Promise<void>;
  /** Opens a local folder or file (Electron: shell.openPath); default: the platform's opener command. */
  openPath?: (target: string) => Promise<void>;
  /** Show the first-run guide to a new, empty store; default: only in the desktop app (headless main decides itself). */
  offerFirstRun?: boolean;
  /** How the model child process is started (Electron: utilityProcess); default: child_process.fork. */
  llmSpawner?: ChildSpawner;
  /** Built model child entry (out/main/llm-child.js) when not running from sources. */
  llmChildEntry?: string;
  /**
   * Where the model endpoint's key is kept (Electron: `(db) => encryptedSecretStore(db, safeStorage cipher)`);
   * default: $FIELDMATE_ENDPOINT_KEY, a key set in the UI lasting for this run only.
   */
  secrets?: (db: Db) => SecretStore;
  /** Load the last model in the background after start (the app and the headless host; never the CLI). */
  autoLoadModel?: boolean;
  /** Another recommended-models catalog file (tests; headless reads $FIELDMATE_RECOMMENDED_MODELS). */
  recommendedModelsFile?: string | null;
  /** Lines per model call of the pallet assist (tests and benchmarks; default 8). */
  palletAssistBatchSize?: number;
}
