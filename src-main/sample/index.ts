import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@shared/contract/errors';
import { sampleRequests, type SampleState } from '@shared/contract/sample';
import type { HandlersOf } from '../core/dispatch';
import type { EventBus } from '../core/event-bus';
import type { Log } from '../core/logger';
import { SYNCED_TABLES, recordChange } from '../db/changes';
import { deleteState, readState, writeState } from '../db/clock';
import type { Db } from '../db/open';
import { clientProfiles, coachingSessions, feedback, leads, messages, suggestions } from '../db/schema';
import { deleteSynced } from '../db/synced-repo';
import { addMessage, createSession, saveProfile } from '../coaching';
import { createLead } from '../leads';
import { sampleManifestCsv, sampleTexts } from './sample-texts';

/** The sample's records, kept in the store's local state (never synced): what "remove" deletes. */
const STATE_KEY = 'sample_data';

export interface SampleContext {
  db: Db;
  events: EventBus;
  log: Log;
  dataDir: string;
  /** Imports a manifest file with the current rules (the pallets feature's import), returns the analysis id. */
  importManifest: (file: string, name: string, supplier: string, requestId: string, signal: AbortSignal) => Promise<string>;
  /** Deletes an analysis and its lines through the pallets feature (tombstones for sync). */
  deleteAnalysis: (analysisId: string) => Promise<void>;
}

export interface SampleFeature {
  handlers: HandlersOf<typeof sampleRequests>;
}

const EMPTY: SampleState = { loaded: false, leadId: null, sessionId: null, analysisId: null, loadedAt: null };

function readSample(db: Db): SampleState {
  const raw = readState(db, STATE_KEY);
  if (!raw) return EMPTY;
  try {
    const parsed = JSON.parse(raw) as Partial<SampleState>;
    return { ...EMPTY, ...parsed, loaded: true };
  } catch {
    return EMPTY;
  }
}

/** Ids of live rows of `table` where `column` is one of `values` (small sets: the sample's own records). */
function liveIds(db: Db, table: string, column: string, values: readonly string[]): string[] {
  if (values.length === 0) return [];
  const marks = values.map(() => '?').join(',');
  return (db.$client.prepare(`SELECT id FROM "${table}" WHERE "${column}" IN (${marks}) AND deleted_at IS NULL`).all(...values) as { id: string }[]).map((r) => r.id);
}

const HANDLED: ReadonlySet<string> = new Set(['leads', 'coaching_sessions', 'messages', 'client_profiles', 'suggestions', 'feedback']);

/**
 * Rows of any other synced table that hang off the lead (a lead_id column: e.g. the archetype history),
 * tombstoned exactly as the synced write path does (deleted_at + updated_at, recorded in the outbox), so
 * a table added later is not left behind by "remove sample data".
 */
function removeOtherLeadRows(db: Db, leadId: string, now = Date.now()): number {
  let removed = 0;
  for (const table of SYNCED_TABLES) {
    if (HANDLED.has(table)) continue;
    const columns = db.$client.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[];
    if (!columns.some((c) => c.name === 'lead_id')) continue;
    for (const id of liveIds(db, table, 'lead_id', [leadId])) {
      db.$client.prepare(`UPDATE "${table}" SET deleted_at = ?, updated_at = ? WHERE id = ?`).run(now, now, id);
      recordChange(db, table, id, { deleted_at: now, updated_at: now }, now);
      removed += 1;
    }
  }
  return removed;
}

/**
 * Deletes the sample lead and everything that hangs off it, including what the person added while
 * trying it (more sessions, messages, suggestions, ratings), each through the synced write path so the
 * deletions reach the team server as tombstones.
 */
function removeCoaching(db: Db, leadId: string): number {
  let removed = 0;
  db.$client.transaction(() => {
    const sessions = liveIds(db, 'coaching_sessions', 'lead_id', [leadId]);
    const suggestionIds = liveIds(db, 'suggestions', 'session_id', sessions);
    const groups = [
      { table: feedback, ids: liveIds(db, 'feedback', 'suggestion_id', suggestionIds) },
      { table: suggestions, ids: suggestionIds },
      { table: messages, ids: liveIds(db, 'messages', 'session_id', sessions) },
      { table: clientProfiles, ids: liveIds(db, 'client_profiles', 'lead_id', [leadId]) },
      { table: coachingSessions, ids: sessions },
      { table: leads, ids: liveIds(db, 'leads', 'id', [leadId]) },
    ];
    for (const group of groups) {
      for (const id of group.ids) deleteSynced(db, group.table, id);
      removed += group.ids.length;
    }
    removed += removeOtherLeadRows(db, leadId);
  })();
  return removed;
}

/** Sample data for a first run: created from code (no network, no bundled files), removed in one call. */
export function createSampleFeature(ctx: SampleContext): SampleFeature {
  const { db } = ctx;
  const changed = (state: SampleState) => {
    ctx.events.emit('sample:changed', state);
    return state;
  };
  return {
    handlers: {
      'sample:status': () => readSample(db),
      'sample:load': async ({ requestId, language }, op) => {
        const current = readSample(db);
        if (current.loaded) return current;
        const texts = sampleTexts(language);
        const { leadId, sessionId } = db.$client.transaction(() => {
          const lead = createLead(db, { name: texts.leadName, company: texts.company, notes: texts.notes, language });
          const session = createSession(db, { leadId: lead.id, mode: 'coach', title: texts.sessionTitle, language, archetype: texts.profile.archetype });
          for (const turn of texts.turns) addMessage(db, session.id, turn.role, turn.content);
          saveProfile(db, lead.id, session.id, texts.profile, 'fallback');
          return { leadId: lead.id, sessionId: session.id };
        })();
        // Recorded before the import, so a failed import still leaves the lead removable.
        const partial: SampleState = { loaded: true, leadId, sessionId, analysisId: null, loadedAt: Date.now() };
        writeState(db, STATE_KEY, JSON.stringify(partial));
        const dir = path.join(ctx.dataDir, 'uploads', 'sample');
        fs.mkdirSync(dir, { recursive: true });
        const file = path.join(dir, 'sample-manifest.csv');
        fs.writeFileSync(file, sampleManifestCsv());
        try {
          const analysisId = await ctx.importManifest(file, texts.analysisName, texts.supplier, requestId, op.signal);
          const state = { ...partial, analysisId };
          writeState(db, STATE_KEY, JSON.stringify(state));
          ctx.log(`[sample] loaded (lead ${leadId}, analysis ${analysisId})`);
          return changed(state);
        } catch (error) {
          ctx.log(`[sample] the sample manifest did not import: ${error instanceof Error ? error.message : String(error)}`);
          changed(partial);
          throw new AppError('INTERNAL', 'The sample manifest could not be imported; the sample lead was added and can be removed.');
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
      'sample:remove': async () => {
        const current = readSample(db);
        if (!current.loaded) return { removed: 0 };
        let removed = current.leadId ? removeCoaching(db, current.leadId) : 0;
        if (current.analysisId) {
          try {
            await ctx.deleteAnalysis(current.analysisId);
            removed += 1;
          } catch (error) {
            // Already deleted by hand (or by another device): nothing left to remove.
            if (!(error instanceof AppError && error.code === 'NOT_FOUND')) throw error;
          }
        }
        deleteState(db, STATE_KEY);
        ctx.log(`[sample] removed ${removed} record(s)`);
        changed(EMPTY);
        return { removed };
      },
    },
  };
}
