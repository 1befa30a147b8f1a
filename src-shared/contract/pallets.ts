import { z } from 'zod';
import { Empty, Id, Ok, RequestId, Text, event, request } from './define';
import { FileName, UploadId } from './files';
import { PALLET_LIMITS } from './limits';
import {
  AnalysisValuationSchema,
  ColumnMappingSchema,
  FileInfoSchema,
  ImportPreviewSchema,
  ImportProgressSchema,
  ImportStatsSchema,
  LineIssueSchema,
  LineStatusSchema,
  LineValuesSchema,
  MappingOverrideSchema,
  NormaliseOptionsSchema,
  RuleDraftSchema,
  RulePreviewSchema,
  RuleSchema,
  FiredRuleSchema,
  ValuationOptionsSchema,
  CellValueSchema,
} from '../pallets/schemas';

/**
 * Pallet analysis channels. The import is a wizard: a file is uploaded (files:uploadChunk) or named by
 * path (desktop / CLI), opened once (`pallets:open` keeps the parsed workbook in the worker), previewed
 * as often as the user changes sheet / header row / mapping, then imported with progress events and
 * cancel (`ops:cancel` with the same requestId). Lines are read back in windows for the virtualised table.
 */

/** A file to open: an upload made through files:uploadChunk, or a path (desktop dialogs, CLI). */
const FileSource = z.union([
  z.object({ uploadId: UploadId, fileName: FileName }).strict(),
  z.object({ path: z.string().min(1).max(4096) }).strict(),
]);

export const AnalysisSummary = z.object({
  id: z.string(),
  name: z.string(),
  supplier: z.string().nullable(),
  sourceFile: z.string().nullable(),
  sheetName: z.string().nullable(),
  contentHash: z.string().nullable(),
  palletPrice: z.number().nullable(),
  currency: z.string().nullable(),
  lineCount: z.number().int(),
  statuses: z.object({ ok: z.number().int(), warning: z.number().int(), blocked: z.number().int() }),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type AnalysisSummary = z.infer<typeof AnalysisSummary>;

/** One row of the analysis table (light: the table fetches windows of these). */
export const LineRow = z.object({
  id: z.string(),
  row: z.number().int(),
  palletId: z.string().nullable(),
  name: z.string().nullable(),
  category: z.string().nullable(),
  brand: z.string().nullable(),
  ean: z.string().nullable(),
  quantity: z.number().nullable(),
  priceNet: z.number().nullable(),
  retailPrice: z.number().nullable(),
  condition: z.string().nullable(),
  score: z.number(),
  status: LineStatusSchema,
  issueCount: z.number().int(),
  firedCount: z.number().int(),
});
export type LineRow = z.infer<typeof LineRow>;

/** Everything about one line: values, the reasons for every rejected/guessed cell, the rules that fired. */
export const LineDetail = LineRow.extend({
  values: LineValuesSchema,
  issues: z.array(LineIssueSchema),
  fired: z.array(FiredRuleSchema),
  explanation: z.string(),
  /** Values no column of the sheet holds, computed instead: a price from the other price and VAT, one unit. */
  derived: z.array(z.enum(['price_net', 'price_gross', 'quantity'])).max(3),
  /** Original cells by header (unmapped columns included). */
  source: z.array(z.object({ header: z.string(), value: CellValueSchema })),
});

export const LineFilter = z
  .object({
    status: z.array(LineStatusSchema).max(3).optional(),
    category: z.string().max(200).optional(),
    palletId: z.string().max(200).optional(),
    /** Lines on which this rule fired. */
    ruleId: z.string().max(64).optional(),
    search: z.string().max(200).optional(),
  })
  .strict();
export type LineFilter = z.infer<typeof LineFilter>;

export const StoredRule = RuleSchema.and(z.object({ createdAt: z.number(), updatedAt: z.number() }));

const StatusMix = z.array(z.object({ status: LineStatusSchema, lines: z.number().int(), units: z.number() }));

export const PalletDashboard = z.object({
  analysisId: z.string().nullable(),
  statusMix: StatusMix,
  /** '' = lines without a category (the lines filter takes '' for it too). */
  categoryMix: z.array(z.object({ category: z.string(), lines: z.number().int(), retail: z.number() })),
  /** The 200 pallets of largest retail value ('' = lines without a pallet id). */
  /** cost, margins and ROI are null when the pallet's cost is unknown (no price of its own, no line prices); ROI also without a positive cost. */
  pallets: z.array(
    z.object({ palletId: z.string(), lines: z.number().int(), retail: z.number(), cost: z.number().nullable(), resaleLow: z.number(), resaleHigh: z.number(), marginLow: z.number().nullable(), marginHigh: z.number().nullable(), roiLow: z.number().nullable(), roiHigh: z.number().nullable() }),
  ),
  /** Pallets in scope beyond those listed. */
  palletsOmitted: z.number().int().optional(),
  topBlockingRules: z.array(z.object({ ruleId: z.string(), name: z.string(), lines: z.number().int() })),
  totals: z.object({ analyses: z.number().int(), lines: z.number().int(), retail: z.number(), cost: z.number() }),
  elapsedMs: z.number(),
});
export type PalletDashboard = z.infer<typeof PalletDashboard>;

const OpenResult = z.object({
  /** Handle of the opened workbook for preview/import; closed by pallets:close or after idle time. */
  fileId: z.string(),
  file: FileInfoSchema,
  /** Analyses already made from a file with the same content hash. */
  duplicates: z.array(z.object({ id: z.string(), name: z.string(), createdAt: z.number() })),
  /** The mapping remembered for this supplier / header signature, if any (applied in previews). */
  rememberedMappingFor: z.string().nullable(),
});

const PreviewInput = z
  .object({
    requestId: RequestId,
    fileId: z.string().min(1).max(64),
    sheet: z.string().max(255).nullable().optional(),
    headerRow: z.number().int().min(0).max(PALLET_LIMITS.headerRow).nullable().optional(),
    override: MappingOverrideSchema.nullable().optional(),
    normalise: NormaliseOptionsSchema.partial().optional(),
    supplier: z.string().max(PALLET_LIMITS.supplierChars).nullable().optional(),
    /** The currency the user says the file is in (ISO code): prices no cell or header names are in it. */
    currency: z.string().length(3).regex(/^[A-Z]{3}$/).nullable().optional(),
  })
  .strict();

// ---- Model help for lines the rules could not place (issue 17 item 4) ----

/** Why a line was given to the model: no recognised category, no brand, a messy name. */
export const AssistReason = z.enum(['category', 'brand', 'name']);
export type AssistReason = z.infer<typeof AssistReason>;
export const SuggestionStatus = z.enum(['pending', 'accepted', 'rejected']);
export type SuggestionStatus = z.infer<typeof SuggestionStatus>;

const LineNames = z.object({ name: z.string().nullable(), category: z.string().nullable(), brand: z.string().nullable() });

/** A proposal for one line; accepted, it becomes a line correction (the original cells stay). */
export const LineSuggestion = z.object({
  id: z.string(),
  lineId: z.string(),
  row: z.number().int(),
  status: SuggestionStatus,
  reasons: z.array(AssistReason),
  /** The line's values now. */
  current: LineNames,
  proposed: LineNames.extend({ model: z.string().nullable() }),
  createdAt: z.number(),
});
export type LineSuggestion = z.infer<typeof LineSuggestion>;

export const AssistResult = z.object({
  /** Lines the rules could not place (before `maxLines`). */
  candidates: z.number().int(),
  processed: z.number().int(),
  suggested: z.number().int(),
  /** Batches whose answer was not valid (their lines get no suggestion). */
  failedBatches: z.number().int(),
  cancelled: z.boolean(),
  elapsedMs: z.number(),
});
export type AssistResult = z.infer<typeof AssistResult>;

export const AssistProgress = z.object({ requestId: RequestId, analysisId: z.string(), done: z.number().int(), total: z.number().int(), suggested: z.number().int() });
export type AssistProgress = z.infer<typeof AssistProgress>;

export const palletsRequests = {
  'pallets:open': request(z.object({ requestId: RequestId, source: FileSource }).strict(), OpenResult, 'Open a spreadsheet (parsed in a worker thread) and detect re-imports'),
  'pallets:preview': request(PreviewInput, ImportPreviewSchema, 'Header row, mapping with confidence and scored sample lines for the chosen sheet'),
  'pallets:import': request(
    PreviewInput.extend({
      mapping: ColumnMappingSchema.nullable().optional(),
      name: Text(PALLET_LIMITS.analysisNameChars).min(1),
      palletPrice: z.number().min(0).max(PALLET_LIMITS.palletPrice).nullable().optional(),
      valuation: ValuationOptionsSchema.partial().optional(),
      /** Replace this analysis (re-import of the same file) instead of creating a new one. */
      replaceAnalysisId: Id.nullable().optional(),
      /** Remember the confirmed mapping for this supplier / header signature. */
      rememberMapping: z.boolean().optional(),
    }).strict(),
    z.object({ analysisId: z.string(), stats: ImportStatsSchema, valuation: AnalysisValuationSchema, warnings: z.array(z.string()), elapsedMs: z.number() }),
    'Import every line (progress as pallets:progress; cancel with ops:cancel)',
  ),
  'pallets:close': request(z.object({ fileId: z.string().min(1).max(64) }).strict(), Ok, 'Release an opened workbook'),
  'pallets:analyses': request(Empty, z.object({ analyses: z.array(AnalysisSummary) }), 'All analyses, newest first'),
  'pallets:analysis': request(
    z.object({ analysisId: Id }).strict(),
    z.object({
      analysis: AnalysisSummary,
      valuation: AnalysisValuationSchema,
      categories: z.array(z.string()),
      palletIds: z.array(z.string()),
      /** What was left out of long lists: pallet ids beyond the first 2,000; pallets beyond the 1,000 largest in the valuation. */
      omitted: z.object({ palletIds: z.number().int(), valuationPallets: z.number().int() }).optional(),
    }),
    'One analysis with its valuation',
  ),
  'pallets:update': request(
    z.object({ analysisId: Id, patch: z.object({ name: Text(PALLET_LIMITS.analysisNameChars).min(1).optional(), supplier: Text(PALLET_LIMITS.supplierChars).nullable().optional(), palletPrice: z.number().min(0).max(PALLET_LIMITS.palletPrice).nullable().optional(), valuation: ValuationOptionsSchema.omit({ analysisPrice: true }).partial().optional() }).strict() }).strict(),
    AnalysisSummary,
    'Rename an analysis, set its pallet price or change its valuation assumptions (re-valued at once)',
  ),
  'pallets:delete': request(z.object({ analysisId: Id }).strict(), Ok, 'Delete an analysis and its lines'),
  'pallets:lines': request(
    z.object({
      analysisId: Id,
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(PALLET_LIMITS.linesPageRows),
      filter: LineFilter.optional(),
      sort: z.object({ by: z.enum(['row', 'score', 'status', 'name', 'category', 'retailPrice', 'priceNet', 'quantity']), dir: z.enum(['asc', 'desc']) }).strict().optional(),
    }).strict(),
    z.object({ lines: z.array(LineRow), total: z.number().int() }),
    'A window of lines for the virtualised table',
  ),
  'pallets:line': request(z.object({ lineId: Id }).strict(), LineDetail, 'One line with its explanation and original cells'),
  'pallets:rescore': request(z.object({ requestId: RequestId, analysisId: Id }).strict(), z.object({ statuses: AnalysisSummary.shape.statuses, changed: z.number().int(), elapsedMs: z.number() }), 'Re-score every line with the current rules'),
  'pallets:export': request(
    z.object({ requestId: RequestId, analysisId: Id }).strict(),
    z.object({ downloadId: z.string(), fileName: z.string(), size: z.number().int(), path: z.string() }),
    'Write the analysis to .xlsx (formula-injection safe); fetch it with files:downloadChunk',
  ),

  'pallets:rules': request(Empty, z.object({ rules: z.array(StoredRule), templates: z.array(RuleSchema) }), "The user's rules and the shipped templates"),
  'pallets:saveRule': request(z.object({ id: Id.optional(), draft: RuleDraftSchema }).strict(), StoredRule, 'Create or change a rule'),
  'pallets:deleteRule': request(z.object({ id: Id }).strict(), Ok, 'Delete a rule'),
  'pallets:previewRule': request(
    z.object({ analysisId: Id, id: Id.optional(), draft: RuleDraftSchema.nullable() }).strict(),
    RulePreviewSchema,
    "How many lines of an analysis would change status if this rule were saved (or, with draft null, deleted)",
  ),
  'pallets:dashboard': request(z.object({ analysisId: Id.optional() }).strict(), PalletDashboard, 'Pallet KPIs (one analysis or all)'),
  'pallets:assist': request(
    z.object({ requestId: RequestId, analysisId: Id, maxLines: z.number().int().min(1).max(PALLET_LIMITS.assistLinesMax).optional() }).strict(),
    AssistResult,
    'The model proposes category, brand, model and a clean name for lines the rules could not place (batches, progress, ops:cancel); never applied',
  ),
  'pallets:suggestions': request(
    z.object({ analysisId: Id, status: SuggestionStatus.optional() }).strict(),
    z.object({ suggestions: z.array(LineSuggestion), pending: z.number().int(), truncated: z.boolean() }),
    "An analysis's suggestions (default: pending), in source-row order",
  ),
  'pallets:decideSuggestions': request(
    z.object({ analysisId: Id, decision: z.enum(['accept', 'reject']), ids: z.array(Id).min(1).max(PALLET_LIMITS.assistLinesMax).optional() }).strict(),
    z.object({ accepted: z.number().int(), rejected: z.number().int() }),
    'Accept (becomes a line correction) or reject suggestions: the listed ones, or every pending one of the analysis',
  ),
} as const;

export const palletsEvents = {
  'pallets:progress': event(ImportProgressSchema.extend({ requestId: RequestId }), 'Progress of an open / import / rescore / export'),
  'pallets:assistProgress': event(AssistProgress, 'Lines the model has looked at so far in a pallets:assist run'),
  'pallets:changed': event(z.object({ analysisId: z.string().nullable(), reason: z.enum(['imported', 'rescored', 'updated', 'deleted', 'rules']) }), 'Analyses or rules changed'),
} as const;
