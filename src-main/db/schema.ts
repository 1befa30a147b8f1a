
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { syncedColumns } from './columns';

// ---- Coaching -------------------------------------------------------------------------------

export const leads = sqliteTable('leads', {
  ...syncedColumns(),
  name: text('name').notNull(),
  company: text('company'),
  email: text('email'),
  phone: text('phone'),
  notes: text('notes'),
  language: text('language').notNull().default('pl'),
  // Pipeline (issue 16): every field syncs on its own clock, so a stage move on one device and a next
  // step typed on another both survive.
  stage: text('stage').notNull().default('new'),
  lostReason: text('lost_reason'),
  dealValue: real('deal_value'),
  currency: text('currency'),
  source: text('source'),
  /** JSON array of tag strings. */
  tagsJson: text('tags_json').notNull().default('[]'),
  owner: text('owner'),
  nextStep: text('next_step'),
  nextStepDue: integer('next_step_due'),
  nextStepSnoozedUntil: integer('next_step_snoozed_until'),
  nextStepDoneAt: integer('next_step_done_at'),
});

export const coachingSessions = sqliteTable(
  'coaching_sessions',
  {
    ...syncedColumns(),
    leadId: text('lead_id').references(() => leads.id),
    mode: text('mode', { enum: ['coach', 'roleplay'] }).notNull(),
    title: text('title').notNull(),
    archetype: text('archetype'),
    language: text('language').notNull().default('pl'),
    /** Roleplay scorecard (JSON) once the practice ends. */
    scorecardJson: text('scorecard_json'),
    endedAt: integer('ended_at'),
    /** Archetype evidence gathered over the session's client messages (JSON: scores + supporting phrases). */
    archetypeEvidenceJson: text('archetype_evidence_json'),
  },
  (t) => [index('coaching_sessions_lead_idx').on(t.leadId)],
);

export const messages = sqliteTable(
  'messages',
  {
    ...syncedColumns(),
    sessionId: text('session_id').notNull().references(() => coachingSessions.id),
    role: text('role', { enum: ['client', 'salesperson', 'assistant', 'system'] }).notNull(),
    content: text('content').notNull(),
    /** 'fallback' | 'model' for assistant messages. */
    source: text('source'),
    /** Position within the session; edits create a new message and tombstone the later ones. */
    seq: integer('seq').notNull(),
  },
  (t) => [index('messages_session_idx').on(t.sessionId, t.seq)],
);

export const clientProfiles = sqliteTable('client_profiles', {
  ...syncedColumns(),
  leadId: text('lead_id').notNull().references(() => leads.id),
  sessionId: text('session_id'),
  /** The latest schema-validated customer analysis (JSON). */
  analysisJson: text('analysis_json').notNull(),
  archetype: text('archetype'),
  source: text('source').notNull(),
});

/** Every change of a lead's archetype, with the phrases that tipped it ("archetype evolution"). */
export const leadArchetypes = sqliteTable(
  'lead_archetypes',
  {
    ...syncedColumns(),
    leadId: text('lead_id').notNull().references(() => leads.id),
    sessionId: text('session_id'),
    archetype: text('archetype').notNull(),
    previousArchetype: text('previous_archetype'),
    confidence: text('confidence').notNull(),
    /** Supporting phrases (JSON array of strings), as the profile showed them. */
    evidenceJson: text('evidence_json').notNull().default('[]'),
  },
  (t) => [index('lead_archetypes_lead_idx').on(t.leadId)],
);

export const suggestions = sqliteTable(
  'suggestions',
  {
    ...syncedColumns(),
    sessionId: text('session_id').notNull().references(() => coachingSessions.id),
    messageId: text('message_id'),
    kind: text('kind').notNull(),
    text: text('text').notNull(),
    knowledgeIdsJson: text('knowledge_ids_json').notNull().default('[]'),
    source: text('source').notNull(),
  },
  (t) => [index('suggestions_session_idx').on(t.sessionId)],
);

export const feedback = sqliteTable(
  'feedback',
  {
    ...syncedColumns(),
    suggestionId: text('suggestion_id').notNull().references(() => suggestions.id),
    knowledgeId: text('knowledge_id'),
    rating: integer('rating').notNull(),
    comment: text('comment'),
  },
  (t) => [index('feedback_suggestion_idx').on(t.suggestionId), index('feedback_knowledge_idx').on(t.knowledgeId)],
);

export const knowledgeEntries = sqliteTable(
  'knowledge_entries',
  {
    ...syncedColumns(),
    kind: text('kind', { enum: ['archetype', 'objection', 'response', 'playbook', 'product', 'competitor', 'promotion'] }).notNull(),
    /** Stable key from the pack (e.g. archetype `skeptic`, objection category `price`). */
    key: text('key'),
    language: text('language').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    archetype: text('archetype'),
    category: text('category'),
    tagsJson: text('tags_json').notNull().default('[]'),
    /** 'pack' for shipped entries, 'user' for the user's own. */
    origin: text('origin').notNull().default('user'),
    /** Structured facts of product, competitor and promotion entries (JSON, see KnowledgeFacts). */
    factsJson: text('facts_json'),
    /** Who saved the entry to the team library (issue 16 team insights); null for the pack and older entries. */
    author: text('author'),
  },
  (t) => [index('knowledge_kind_idx').on(t.kind, t.language), index('knowledge_key_idx').on(t.key)],
);

// ---- Pallets --------------------------------------------------------------------------------

export const analyses = sqliteTable('analyses', {
  ...syncedColumns(),
  name: text('name').notNull(),
  supplier: text('supplier'),
  sourceFile: text('source_file'),
  sheetName: text('sheet_name'),
  contentHash: text('content_hash'),
  headerRow: integer('header_row'),
  mappingJson: text('mapping_json').notNull().default('{}'),
  palletPrice: real('pallet_price'),
  currency: text('currency'),
  lineCount: integer('line_count').notNull().default(0),
  status: text('status').notNull().default('ready'),
});

export const palletItems = sqliteTable(
  'pallet_items',
  {
    ...syncedColumns(),
    analysisId: text('analysis_id').notNull().references(() => analyses.id),
    sourceRow: integer('source_row').notNull(),
    palletId: text('pallet_id'),
    name: text('name'),
    category: text('category'),
    brand: text('brand'),
    ean: text('ean'),
    sku: text('sku'),
    quantity: integer('quantity'),
    priceNet: real('price_net'),
    priceGross: real('price_gross'),
    retailPrice: real('retail_price'),
    currency: text('currency'),
    condition: text('condition'),
    score: integer('score').notNull().default(50),
    status: text('status', { enum: ['ok', 'warning', 'blocked'] }).notNull().default('ok'),
    /** Issues, values without a column and the source cells (JSON, see src-main/pallets/store/line-codec.ts). */
    dataJson: text('data_json').notNull().default('{}'),
    /** "|ruleId|ruleId|": the rules that fired, in firing order (null: none). Re-scoring writes only these
     * small columns with score and status, never the wide data_json (drizzle/0006). */
    firedRules: text('fired_rules'),
    /** "|ruleId|": the blocking rules among them (null: none). */
    blockingRules: text('blocking_rules'),
  },
  // Every index is partial on live lines: tombstoned lines (deleted or replaced analyses) cost nothing, and
  // queries must repeat `deleted_at IS NULL`. The trailing deleted_at (always NULL in these indexes) lets
  // SQLite treat them as covering for that condition instead of seeking each row.
  (t) => [
    // Windows of the analysis table in source-row order (the default view) and counts.
    index('pallet_items_analysis_idx').on(t.analysisId, t.sourceRow, t.deletedAt).where(sql`${t.deletedAt} IS NULL`),
    // Covering index for the dashboard's GROUP BY, in GROUP BY order so SQLite aggregates while it scans
    // (no sort); also covers the table's status / category / pallet / fired-rule filters and numeric
    // sorts. The fired rules ride along here rather than in an index of their own: a re-score moves a
    // changed line's entry in this index anyway (its status or score changed), so they cost no extra seek.
    index('pallet_items_dash_idx')
      .on(t.analysisId, t.palletId, t.status, t.category, t.condition, t.quantity, t.retailPrice, t.priceNet, t.score, t.sourceRow, t.firedRules, t.deletedAt)
      .where(sql`${t.deletedAt} IS NULL`),
    // Search (name, brand, EAN, SKU) and sort by name without reading the wide rows.
    index('pallet_items_search_idx').on(t.analysisId, t.name, t.brand, t.ean, t.sku, t.sourceRow, t.deletedAt).where(sql`${t.deletedAt} IS NULL`),
    // "Rules that blocked most": blocked lines only, in GROUP BY order.
    index('pallet_items_blocking_idx').on(t.analysisId, t.blockingRules, t.status, t.deletedAt).where(sql`${t.deletedAt} IS NULL AND ${t.status} = 'blocked'`),
  ],
);

/**
 * Device-local cache of the dashboard's groups per analysis (derived from pallet_items, so not synced).
 * An analysis's groups are valid while its pallet_dashboard_fresh row exists: triggers on pallet_items
 * (migration 0004) delete that row on any write that changes a grouped or summed column, whoever wrote it
 * (import, re-score, line edits, deletes, sync pull); the dashboard recomputes what is missing.
 */
export const palletDashboardGroups = sqliteTable(
  'pallet_dashboard_groups',
  {
    analysisId: text('analysis_id').notNull(),
    palletId: text('pallet_id'),
    status: text('status').notNull(),
    category: text('category'),
    condition: text('condition'),
    lines: integer('lines').notNull(),
    units: real('units').notNull(),
    retail: real('retail').notNull(),
    /** Σ quantity × net price; null when no line of the group has a price (cost unknown, not zero). */
    cost: real('cost'),
  },
  // Covering and in the order of the pallet series' GROUP BY (analysis, pallet): read without a sort.
  (t) => [index('pallet_dashboard_groups_pallet_idx').on(t.analysisId, t.palletId, t.status, t.category, t.condition, t.lines, t.units, t.retail, t.cost)],
);

/**
 * The status and category mix of an analysis (its groups rolled up by status and category) and its
 * blocked lines per blocking-rule key, cached and forgotten with its groups (drizzle/0007): the dashboard
 * sums a few rows per analysis instead of sorting every group or scanning every blocked line.
 */
export const palletDashboardMix = sqliteTable(
  'pallet_dashboard_mix',
  {
    analysisId: text('analysis_id').notNull(),
    status: text('status').notNull(),
    category: text('category'),
    lines: integer('lines').notNull(),
    units: real('units').notNull(),
    retail: real('retail').notNull(),
  },
  (t) => [index('pallet_dashboard_mix_analysis_idx').on(t.analysisId)],
);

export const palletDashboardBlocking = sqliteTable(
  'pallet_dashboard_blocking',
  {
    analysisId: text('analysis_id').notNull(),
    blockingRules: text('blocking_rules'),
    lines: integer('lines').notNull(),
  },
  (t) => [index('pallet_dashboard_blocking_analysis_idx').on(t.analysisId)],
);

export const palletDashboardFresh = sqliteTable('pallet_dashboard_fresh', {
  analysisId: text('analysis_id').primaryKey(),
  computedAt: integer('computed_at').notNull(),
});

export const rules = sqliteTable('rules', {
  ...syncedColumns(),
  name: text('name').notNull(),
  type: text('type', { enum: ['category', 'product', 'budget', 'quality'] }).notNull(),
  action: text('action', { enum: ['block', 'warn', 'prefer'] }).notNull(),
  weight: integer('weight').notNull().default(5),
  conditionJson: text('condition_json').notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  templateKey: text('template_key'),
});

/** Shipped global templates (device-local, not synced: they come with the app version). */
export const ruleTemplates = sqliteTable('rule_templates', {
  key: text('key').primaryKey(),
  name: text('name').notNull(),
  type: text('type').notNull(),
  action: text('action').notNull(),
  weight: integer('weight').notNull(),
  conditionJson: text('condition_json').notNull(),
  description: text('description').notNull().default(''),
});

export const columnMappings = sqliteTable(
  'column_mappings',
  {
    ...syncedColumns(),
    supplier: text('supplier'),
    headerSignature: text('header_signature').notNull(),
    mappingJson: text('mapping_json').notNull(),
  },
  (t) => [uniqueIndex('column_mappings_sig_idx').on(t.headerSignature)],
);

// ---- Device-local ---------------------------------------------------------------------------

export const models = sqliteTable('models', {
  path: text('path').primaryKey(),
  name: text('name').notNull(),
  source: text('source').notNull(),
  sizeBytes: integer('size_bytes').notNull().default(0),
  metadataJson: text('metadata_json').notNull().default('{}'),
  brokenReason: text('broken_reason'),
  sha256: text('sha256'),
  addedAt: integer('added_at').notNull(),
});

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  valueJson: text('value_json').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

// ---- Sync bookkeeping -----------------------------------------------------------------------

/**
 * Every local write to a synced table appends here in the same transaction, so a change can never
 * be committed locally without also being queued for the server.
 */
export const syncOutbox = sqliteTable(
  'sync_outbox',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    /** Changed fields of this write as JSON `{column: value}`. */
    changesJson: text('changes_json').notNull(),
    hlc: text('hlc').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('sync_outbox_row_idx').on(t.tableName, t.rowId)],
);

/** The clock of the last write to each field: per-field last-writer-wins needs it locally too. */
export const syncFieldClocks = sqliteTable(
  'sync_field_clocks',
  {
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    field: text('field').notNull(),
    hlc: text('hlc').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tableName, t.rowId, t.field] })],
);

export const syncState = sqliteTable('sync_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});


// ---- Model usage (device-local, not synced) ------------------------------------------------

/** Counters per local day, task and source (local model or endpoint), added to after every generation. */
export const llmUsage = sqliteTable(
  'llm_usage',
  {
    day: text('day').notNull(),
    task: text('task').notNull(),
    source: text('source').notNull(),
    requests: integer('requests').notNull().default(0),
    failures: integer('failures').notNull().default(0),
    promptTokens: integer('prompt_tokens').notNull().default(0),
    completionTokens: integer('completion_tokens').notNull().default(0),
    totalMs: integer('total_ms').notNull().default(0),
    generationMs: integer('generation_ms').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.task, t.source] })],
);

// ---- Pallet assist (issue 17 item 4) ---------------------------------------------------------

/**
 * The model's proposals for lines the rules could not place (device-local: the analyst's pending work).
 * One row per line; a new run replaces a line's pending proposal, decided ones stay as a record.
 */
export const palletLineSuggestions = sqliteTable(
  'pallet_line_suggestions',
  {
    id: text('id').primaryKey(),
    analysisId: text('analysis_id').notNull(),
    lineId: text('line_id').notNull(),
    createdAt: integer('created_at').notNull(),
    decidedAt: integer('decided_at'),
    status: text('status', { enum: ['pending', 'accepted', 'rejected'] }).notNull().default('pending'),
    name: text('name'),
    category: text('category'),
    brand: text('brand'),
    model: text('model'),
    /** Why the line was picked: 'category' | 'brand' | 'name', comma-separated. */
    reasons: text('reasons').notNull(),
  },
  (t) => [uniqueIndex('pallet_line_suggestions_line_idx').on(t.lineId), index('pallet_line_suggestions_analysis_idx').on(t.analysisId, t.status)],
);

/**
 * Corrections of a line's normalised values (accepted model suggestions), kept beside the line's original
 * cells (pallet_items.data_json keeps every source cell): `original_json` holds the values they replaced.
 * Synced like the lines, so a teammate sees the same corrected names.
 */
export const palletLineCorrections = sqliteTable(
  'pallet_line_corrections',
  {
    ...syncedColumns(),
    analysisId: text('analysis_id').notNull(),
    lineId: text('line_id').notNull(),
    name: text('name'),
    category: text('category'),
    brand: text('brand'),
    model: text('model'),
    /** The line's name / category / brand before the correction (JSON). */
    originalJson: text('original_json').notNull().default('{}'),
    /** 'model' (an accepted suggestion) or 'user'. */
    source: text('source').notNull().default('model'),
  },
  (t) => [index('pallet_line_corrections_line_idx').on(t.lineId), index('pallet_line_corrections_analysis_idx').on(t.analysisId)],
);

// ---- Pipeline: follow-up sequences and outcomes (issue 16) ----------------------------------

/** A follow-up sequence started on a lead from a template; a logged client reply pauses it. */
export const followupSequences = sqliteTable(
  'followup_sequences',
  {
    ...syncedColumns(),
    leadId: text('lead_id').notNull().references(() => leads.id),
    templateKey: text('template_key').notNull(),
    language: text('language').notNull(),
    archetype: text('archetype'),
    status: text('status', { enum: ['active', 'paused', 'done', 'stopped'] }).notNull().default('active'),
    startedAt: integer('started_at').notNull(),
    repliedAt: integer('replied_at'),
    replyText: text('reply_text'),
  },
  (t) => [index('followup_sequences_lead_idx').on(t.leadId)],
);

/** One scheduled message of a sequence: due at start + day offset, drafted, edited, sent. */
export const followupSteps = sqliteTable(
  'followup_steps',
  {
    ...syncedColumns(),
    sequenceId: text('sequence_id').notNull().references(() => followupSequences.id),
    leadId: text('lead_id').notNull().references(() => leads.id),
    position: integer('position').notNull(),
    kind: text('kind').notNull(),
    dayOffset: integer('day_offset').notNull(),
    dueAt: integer('due_at').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    draftSource: text('draft_source').notNull().default('template'),
    sentAt: integer('sent_at'),
    snoozedUntil: integer('snoozed_until'),
  },
  (t) => [index('followup_steps_sequence_idx').on(t.sequenceId), index('followup_steps_due_idx').on(t.dueAt)],
);

/** How a session or a lead ended; the session's suggestions are linked so the coach learns what works. */
export const outcomes = sqliteTable(
  'outcomes',
  {
    ...syncedColumns(),
    leadId: text('lead_id').notNull().references(() => leads.id),
    sessionId: text('session_id'),
    outcome: text('outcome', { enum: ['won', 'lost', 'next_meeting'] }).notNull(),
    reason: text('reason'),
    nextMeetingAt: integer('next_meeting_at'),
    /** JSON array of the suggestion ids used in the session (empty for a lead-level outcome). */
    suggestionIdsJson: text('suggestion_ids_json').notNull().default('[]'),
  },
  (t) => [index('outcomes_lead_idx').on(t.leadId), index('outcomes_session_idx').on(t.sessionId)],
);
