import type { SystemStatus } from '@shared/contract/system';
import { createCoachingFeature } from '../coaching';
import type { HandlerTable } from '../core/dispatch';
import type { EventBus } from '../core/event-bus';
import type { Log } from '../core/logger';
import type { Operations } from '../core/operations';
import type { AppPaths } from '../core/paths';
import type { Db } from '../db/open';
import { createEndpointFeature } from '../endpoint';
import { createFilesFeature } from '../files';
import { createKnowledgeFeature } from '../knowledge';
import { createLeadsFeature } from '../leads';
import type { LlmFeature } from '../llm';
import { createModelsFeature, type ModelRuntime } from '../models';
import { createOpsFeature } from '../ops';
import { createPalletsFeature } from '../pallets';
import { createRoleplayFeature } from '../roleplay';
import { createSampleFeature } from '../sample';
import { createSettingsFeature } from '../settings';
import { createSyncFeature } from '../sync';
import { createSystemFeature } from '../system';
import { coachLlmFromHost, followupDrafter } from './coach-llm';
import type { CoreOptions } from './core-options';

export interface Runtime {
  db: Db;
  events: EventBus;
  operations: Operations;
  log: Log;
  paths: AppPaths;
  options: CoreOptions;
  status: () => SystemStatus;
  llm: LlmFeature;
}

/** The llm feature as the models feature drives it: load, unload, inspect, and what is loaded or broken. */
function modelRuntime(llm: LlmFeature): ModelRuntime {
  return {
    loadedPath: () => llm.startedHost()?.status().model?.path ?? null,
    broken: () => llm.startedHost()?.status().broken ?? [],
    load: (input, signal) => llm.host().load(input, { signal }),
    unload: async () => {
      await llm.startedHost()?.unload();
    },
    inspect: (path, options) => llm.host().inspect(path, options),
    threads: () => llm.threads(),
    loading: () => llm.startedHost()?.status().loading != null,
  };
}

/**
 * Every feature, each given only what its context declares, and the one handler table. The table's type
 * is the whole contract: a channel no feature handles is a type error here, and each feature's own table
 * is typed from its contract file, so a channel it does not declare is a type error there.
 */
export function composeFeatures(rt: Runtime) {
  const { db, events, operations, log, paths, options } = rt;
  const settings = createSettingsFeature({ db, events, osLocale: options.osLocale, offerFirstRun: options.offerFirstRun ?? options.transport === 'electron' });
  // Each task's model: the local runtime, or the OpenAI-compatible endpoint when chosen for that task.
  const endpoint = createEndpointFeature({ db, events, log, isOnline: () => rt.status().online, llm: coachLlmFromHost(() => rt.llm.startedHost()), secrets: options.secrets?.(db) });
  const coaching = createCoachingFeature({
    db,
    events,
    log,
    language: () => settings.read().language,
    // The coach answers from the knowledge base until a model is ready, then also from the model.
    llm: endpoint.llm,
  });
  const pallets = createPalletsFeature({
    db,
    events,
    log,
    dataDir: paths.dataDir,
    appRoot: paths.appRoot,
    allowPaths: options.transport === 'cli',
    // Line suggestions use the task router: the local model, or the endpoint when chosen for 'palletAssist'.
    llm: endpoint.llm,
    assistBatchSize: options.palletAssistBatchSize,
  });
  const sync = createSyncFeature({ db, events, log, isOnline: () => rt.status().online });
  // Pulled pallet lines refresh the pallet dashboard's cache: sync tells, pallets listens.
  sync.onPulled(pallets.pullListener);
  const models = createModelsFeature({
    db,
    paths,
    events,
    operations,
    runtime: modelRuntime(rt.llm),
    log,
    autoLoadEnabled: () => settings.read().autoLoadModel,
    recommendedFile: options.recommendedModelsFile,
  });
  const system = createSystemFeature({
    db,
    paths,
    transport: options.transport,
    appVersion: options.appVersion,
    status: rt.status,
    openExternal: options.openExternal,
    openPath: options.openPath,
    health: {
      sync: () => {
        const status = sync.attach().status();
        return { configured: status.configured, pendingCount: status.pendingCount, lastSuccessAt: status.lastSuccessAt, running: status.running };
      },
      model: () => {
        const host = rt.llm.startedHost();
        const model = host?.status().model;
        return model && host ? { path: model.path, fileName: model.fileName, name: model.name, pid: host.childPid ?? null } : null;
      },
    },
  });
  const sample = createSampleFeature({
    db,
    events,
    log,
    dataDir: paths.dataDir,
    // The sample manifest goes through the same import as a picked file, with the current rules.
    importManifest: async (file, name, supplier, requestId, signal) => {
      const opened = await pallets.service.files.open(`sample:${file}`, file, signal);
      try {
        return (await pallets.service.import({ requestId, fileId: opened.fileId, name, supplier }, signal)).analysisId;
      } finally {
        await pallets.service.close(opened.fileId);
      }
    },
    deleteAnalysis: (analysisId) => pallets.service.delete(analysisId),
  });
  const handlers: HandlerTable = {
    ...coaching.handlers,
    ...endpoint.handlers,
    ...createFilesFeature({ dataDir: paths.dataDir }).handlers,
    ...createKnowledgeFeature({ db, events }).handlers,
    ...createLeadsFeature({ db, llm: followupDrafter(endpoint.llm) }).handlers,
    ...rt.llm.handlers,
    ...models.handlers,
    ...createOpsFeature({ operations }).handlers,
    ...pallets.handlers,
    ...createRoleplayFeature(coaching.deps).handlers,
    ...sample.handlers,
    ...settings.handlers,
    ...sync.handlers,
    ...system.handlers,
  };
  return { handlers, settings, coaching, endpoint, pallets, sync, models };
}
