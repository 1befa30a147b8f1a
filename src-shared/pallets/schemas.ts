import { z } from 'zod';
import { CANONICAL_FIELDS, CONDITION_GRADES, ISSUE_CODES, ISSUE_KINDS, LINE_STATUSES, type LineValues } from './fields';
import type { ScoredLine } from './scoring';
import { checkRegexSafety, conditionStats, CONDITION_LIMITS, COMPARE_OPS, RULE_ACTIONS, RULE_TYPES, VIRTUAL_FIELDS, type Condition, type Rule } from './rules';
import { PALLET_LIMITS } from '../contract/limits';

/**
 * Zod schemas for everything of the pallet feature that crosses IPC (and the CLI's --json). Domain
 * types live next to the code that uses them; each schema here is checked against its type, so the
 * two cannot drift.
 */

export const CanonicalFieldSchema = z.enum(CANONICAL_FIELDS);
export const ConditionGradeSchema = z.enum(CONDITION_GRADES);
export const LineStatusSchema = z.enum(LINE_STATUSES);
export const CellValueSchema = z.union([z.string().max(32_767), z.number(), z.boolean(), z.null()]);

const money = z.number().finite();
const shortText = z.string().max(2000);

export const LineValuesSchema = z.object({
  name: shortText.nullable(),
  description: shortText.nullable(),
  category: z.string().max(100).nullable(),
  brand: shortText.nullable(),
  ean: z.string().max(14).nullable(),
  sku: shortText.nullable(),
  asin: z.string().max(10).nullable(),
  quantity: z.number().int().min(0).nullable(),
  unit: shortText.nullable(),
  price_net: money.nullable(),
  price_gross: money.nullable(),
  retail_price: money.nullable(),
  market_price: money.nullable(),
  currency: z.string().max(8).nullable(),
  vat_rate: z.number().min(0).max(100).nullable(),
  condition: ConditionGradeSchema,
  pallet_id: shortText.nullable(),
  pack_id: shortText.nullable(),
  fc_sku: shortText.nullable(),
  code1: shortText.nullable(),
  code2: shortText.nullable(),
  photo_url: shortText.nullable(),
  link: shortText.nullable(),
}) satisfies z.ZodType<LineValues>;

export const LineIssueSchema = z.object({
  field: CanonicalFieldSchema,
  kind: z.enum(ISSUE_KINDS),
  code: z.enum(ISSUE_CODES),
  message: z.string().max(500),
  raw: z.string().max(200),
});

// ---------------------------------------------------------------------------------------------
// Mapping

export const MappingSourceSchema = z.enum(['header', 'values', 'header+values', 'override', 'none']);

export const ColumnMappingEntrySchema = z.object({
  index: z.number().int().min(0).max(10_000),
  header: z.string().max(500),
  field: CanonicalFieldSchema.nullable(),
  confidence: z.number().min(0).max(1),
  source: MappingSourceSchema,
  total: z.boolean(),
  currency: z.string().max(8).nullable(),
  reason: z.string().max(500),
  alternatives: z.array(z.object({ field: CanonicalFieldSchema, confidence: z.number().min(0).max(1) })).max(CANONICAL_FIELDS.length),
});

export const ColumnMappingSchema = z.object({
  signature: z.string().min(1).max(100),
  columns: z.array(ColumnMappingEntrySchema).max(10_000),
});

export const MappingOverrideSchema = z.object({
  signature: z.string().min(1).max(100),
  columns: z.array(z.object({ header: z.string().max(500), field: CanonicalFieldSchema.nullable() })).max(10_000),
});

export const HeaderDetectionSchema = z.object({
  headerRow: z.number().int().min(0),
  confidence: z.number().min(0).max(1),
  headers: z.array(z.string().max(500)).max(10_000),
  reason: z.string().max(500),
});

export const NormaliseOptionsSchema = z.object({
  vatRate: z.number().min(0).max(100),
  defaultCurrency: z.string().regex(/^[A-Z]{3}$/).nullable(),
  decimalSeparator: z.enum([',', '.']).nullable(),
  categorySynonyms: z.array(z.object({ category: z.string().min(1).max(100), synonyms: z.array(z.string().min(1).max(100)).max(200) })).max(200),
});

// ---------------------------------------------------------------------------------------------
// Rules

export const RuleFieldSchema = z.enum([...CANONICAL_FIELDS, ...VIRTUAL_FIELDS]);
export const RuleTypeSchema = z.enum(RULE_TYPES);
export const RuleActionSchema = z.enum(RULE_ACTIONS);

const ruleText = z.string().min(1).max(200);
const ruleNumber = z.number().finite();

export const LeafConditionSchema = z.discriminatedUnion('op', [
  z.object({ field: RuleFieldSchema, op: z.literal('equals'), value: z.union([ruleText, ruleNumber, z.boolean()]) }),
  z.object({ field: RuleFieldSchema, op: z.literal('in'), values: z.array(z.union([ruleText, ruleNumber])).min(1).max(CONDITION_LIMITS.listValues) }),
  z.object({ field: RuleFieldSchema, op: z.literal('contains'), value: ruleText }),
  z.object({ field: RuleFieldSchema, op: z.literal('matches'), pattern: z.string().min(1).max(200), flags: z.string().regex(/^[imsu]{0,4}$/).optional() }),
  z.object({ field: RuleFieldSchema, op: z.enum(COMPARE_OPS), value: ruleNumber }),
  z.object({ field: RuleFieldSchema, op: z.literal('between'), min: ruleNumber, max: ruleNumber }),
  z.object({ field: RuleFieldSchema, op: z.literal('missing') }),
]);

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    LeafConditionSchema,
    z.object({ all: z.array(ConditionSchema).min(1).max(50) }),
    z.object({ any: z.array(ConditionSchema).min(1).max(50) }),
    z.object({ not: ConditionSchema }),
  ]),
);

function checkCondition(c: Condition, ctx: z.RefinementCtx): void {
  const stats = conditionStats(c);
  if (stats.depth > CONDITION_LIMITS.depth) ctx.addIssue({ code: 'custom', message: `Conditions may nest at most ${CONDITION_LIMITS.depth} levels deep.`, path: ['when'] });
  if (stats.nodes > CONDITION_LIMITS.nodes) ctx.addIssue({ code: 'custom', message: `A rule may have at most ${CONDITION_LIMITS.nodes} conditions.`, path: ['when'] });
  const visit = (node: Condition): void => {
    if ('all' in node) node.all.forEach(visit);
    else if ('any' in node) node.any.forEach(visit);
    else if ('not' in node) visit(node.not);
    else if (node.op === 'matches') {
      const problem = checkRegexSafety(node.pattern, node.flags ?? '');
      if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['when'] });
    }
  };
  visit(c);
}

const ruleShape = {
  name: z.string().trim().min(1).max(PALLET_LIMITS.ruleNameChars),
  description: z.string().max(PALLET_LIMITS.ruleDescriptionChars).optional(),
  type: RuleTypeSchema,
  action: RuleActionSchema,
  weight: z.number().int().min(1).max(PALLET_LIMITS.ruleWeightMax),
  enabled: z.boolean(),
  templateId: z.string().max(64).nullable().optional(),
  when: ConditionSchema,
};

export const RuleSchema = z
  .object({ id: z.string().min(1).max(64), scope: z.enum(['global', 'user']), ...ruleShape })
  .superRefine((r, ctx) => checkCondition(r.when, ctx)) satisfies z.ZodType<Rule>;

/** A rule as the editor sends it (the id and scope are assigned by the service). */
export const RuleDraftSchema = z.object(ruleShape).superRefine((r, ctx) => checkCondition(r.when, ctx));
export type RuleDraft = z.infer<typeof RuleDraftSchema>;

export const FiredRuleSchema = z.object({
  ruleId: z.string().max(64),
  name: z.string().max(200),
  type: RuleTypeSchema,
  action: RuleActionSchema,
  weight: z.number().int().min(1).max(PALLET_LIMITS.ruleWeightMax),
  effect: z.number(),
  condition: z.string().max(5000),
});

export const ScoredLineSchema = z.object({
  row: z.number().int().min(1),
  values: LineValuesSchema,
  issues: z.array(LineIssueSchema).max(100).readonly(),
  source: z.array(CellValueSchema).max(10_000).readonly(),
  score: z.number().min(0).max(100),
  status: LineStatusSchema,
  fired: z.array(FiredRuleSchema).max(1000).readonly(),
}) satisfies z.ZodType<ScoredLine>;

const StatusCountsSchema = z.object({ ok: z.number().int(), warning: z.number().int(), blocked: z.number().int() });

export const RulePreviewSchema = z.object({
  total: z.number().int(),
  changed: z.number().int(),
  scoreChanged: z.number().int(),
  before: StatusCountsSchema,
  after: StatusCountsSchema,
  transitions: z.array(z.object({ from: LineStatusSchema, to: LineStatusSchema, count: z.number().int() })),
  averageScoreBefore: z.number(),
  averageScoreAfter: z.number(),
  sampleRows: z.array(z.number().int()),
});

// ---------------------------------------------------------------------------------------------
// Valuation

export const RangeSchema = z.object({ low: z.number(), high: z.number() });
const rate = z.object({ low: z.number().min(0).max(2), high: z.number().min(0).max(2) });

/** ROI above −100 %, margin below 100 % (see validTarget in valuation.ts). */
export const BidTargetSchema = z
  .object({ kind: z.enum(['roi', 'margin']), value: z.number().finite().min(-0.99).max(100) })
  .refine((t) => t.kind === 'roi' || t.value < 1, { message: 'A target margin is below 100 %.' });

export const ValuationOptionsSchema = z.object({
  recoveryRates: z.object(Object.fromEntries(CONDITION_GRADES.map((g) => [g, rate])) as Record<(typeof CONDITION_GRADES)[number], typeof rate>),
  categoryFactors: z.array(z.object({ category: z.string().min(1).max(100), factor: z.number().min(0).max(5) })).max(200),
  wasteFactor: z.number().min(0).max(1),
  quantityVariance: z.number().min(0).max(1),
  excludeBlocked: z.boolean(),
  palletPrices: z.array(z.object({ palletId: z.string().min(1).max(2000), price: z.number().min(0).finite() })).max(10_000),
  analysisPrice: z.number().min(0).finite().nullable(),
  costBasis: z.enum(['auto', 'pallet_price', 'line_prices']),
  extraCosts: z.number().min(0).finite(),
  target: BidTargetSchema,
});

export const CostSourceSchema = z.enum(['pallet_price', 'analysis_price', 'line_prices', 'none']);

const valuationTotals = {
  lines: z.number().int(),
  units: z.number(),
  blockedLines: z.number().int(),
  linesWithoutRetail: z.number().int(),
  linesWithoutCost: z.number().int(),
  linesValued: z.number().int(),
  unitsValued: z.number(),
  extraCosts: z.number(),
  maxBid: z.object({ target: BidTargetSchema, low: z.number(), high: z.number() }).nullable(),
  totalRetail: z.number(),
  lineCost: z.number(),
  cost: z.number().nullable(),
  costSource: CostSourceSchema,
  resale: RangeSchema,
  margin: RangeSchema.nullable(),
  marginPct: RangeSchema.nullable(),
  roi: RangeSchema.nullable(),
  currency: z.string().nullable(),
  mixedCurrencies: z.array(z.string()),
};
export const PalletValuationSchema = z.object({ palletId: z.string().nullable(), ...valuationTotals });
export const AnalysisValuationSchema = z.object({ ...valuationTotals, pallets: z.array(PalletValuationSchema) });

// ---------------------------------------------------------------------------------------------
// Import

export const SpreadsheetFormatSchema = z.enum(['xlsx', 'xlsm', 'xlsb', 'xls', 'ods', 'csv', 'html', 'xml']);

export const SheetInfoSchema = z.object({
  index: z.number().int().min(0),
  name: z.string(),
  rows: z.number().int().min(0),
  columns: z.number().int().min(0),
  hidden: z.boolean(),
});

export const ImportLimitsSchema = z.object({
  maxFileBytes: z.number().int().positive(),
  maxRows: z.number().int().positive(),
  maxColumns: z.number().int().positive(),
  maxCellLength: z.number().int().positive(),
});

export const ImportPhaseSchema = z.enum(['reading', 'parsing', 'mapping', 'processing', 'done']);
export const ImportProgressSchema = z.object({
  phase: ImportPhaseSchema,
  done: z.number().int().min(0),
  total: z.number().int().min(0).nullable(),
});

export const IssueSampleSchema = LineIssueSchema.extend({ row: z.number().int().min(1) });

export const ImportStatsSchema = z.object({
  /** Data rows below the header that were read. */
  rows: z.number().int(),
  lines: z.number().int(),
  skipped: z.object({ blank: z.number().int(), summary: z.number().int(), repeated_header: z.number().int() }),
  issues: z.object({ rejected: z.number().int(), guessed: z.number().int() }),
  issuesByField: z.array(z.object({ field: CanonicalFieldSchema, rejected: z.number().int(), guessed: z.number().int() })),
  statuses: StatusCountsSchema,
  averageScore: z.number(),
  /** The first issues met (at most 100), for the CLI's error list and the import report. */
  issueSamples: z.array(IssueSampleSchema).max(100),
});

export const ImportTimingsSchema = z.object({
  openMs: z.number(),
  processMs: z.number(),
  totalMs: z.number(),
  /** Which parser read the file: the fast .xlsx reader, or SheetJS (every other format, and its fallback). */
  reader: z.enum(['fast', 'sheetjs']),
});

export const FileInfoSchema = z.object({
  fileName: z.string(),
  fileSize: z.number().int(),
  /** sha256 of the file's bytes, hex: re-importing the same file is detected by it. */
  fileHash: z.string().regex(/^[0-9a-f]{64}$/),
  format: SpreadsheetFormatSchema,
  sheets: z.array(SheetInfoSchema),
});

export const DetectedCurrencySchema = z.object({ code: z.string().min(1).max(8), source: z.enum(['column', 'header', 'cells', 'title', 'supplier']) });

export const ImportPreviewSchema = z.object({
  file: FileInfoSchema,
  sheet: z.string(),
  /** Row number of the header as the spreadsheet shows it (1-based). */
  headerRowNumber: z.number().int().min(1),
  header: HeaderDetectionSchema,
  mapping: ColumnMappingSchema,
  dataRows: z.number().int().min(0),
  sample: z.array(ScoredLineSchema),
  /** The sheet's currency as the file names it (issue 14 item 1); absent or null: the file names none. */
  detectedCurrency: DetectedCurrencySchema.nullable().optional(),
  warnings: z.array(z.string()),
});

export const ImportSummarySchema = z.object({
  file: FileInfoSchema,
  sheet: z.string(),
  headerRowNumber: z.number().int().min(1),
  header: HeaderDetectionSchema,
  mapping: ColumnMappingSchema,
  stats: ImportStatsSchema,
  valuation: AnalysisValuationSchema,
  timings: ImportTimingsSchema,
  detectedCurrency: DetectedCurrencySchema.nullable().optional(),
  warnings: z.array(z.string()),
});

/** What the UI / CLI sends to preview a file (serialisable subset of the pipeline options). */
export const PreviewRequestSchema = z.object({
  path: z.string().min(1).max(4096),
  sheet: z.string().max(255).nullable().optional(),
  headerRow: z.number().int().min(0).max(10_000).nullable().optional(),
  override: MappingOverrideSchema.nullable().optional(),
  normalise: NormaliseOptionsSchema.partial().optional(),
});

export const ImportRequestSchema = PreviewRequestSchema.extend({
  /** The mapping confirmed in the preview. */
  mapping: ColumnMappingSchema.nullable().optional(),
  valuation: ValuationOptionsSchema.partial().optional(),
  /** Parse, map, normalise and score without storing. */
  dryRun: z.boolean().optional(),
});

export type FileInfo = z.infer<typeof FileInfoSchema>;
export type SheetInfo = z.infer<typeof SheetInfoSchema>;
export type SpreadsheetFormat = z.infer<typeof SpreadsheetFormatSchema>;
export type ImportLimits = z.infer<typeof ImportLimitsSchema>;
export type ImportPhase = z.infer<typeof ImportPhaseSchema>;
export type ImportProgress = z.infer<typeof ImportProgressSchema>;
export type ImportStats = z.infer<typeof ImportStatsSchema>;
export type ImportTimings = z.infer<typeof ImportTimingsSchema>;
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;
export type ImportSummary = z.infer<typeof ImportSummarySchema>;
export type ScoredLineDto = z.infer<typeof ScoredLineSchema>;
export type IssueSample = z.infer<typeof IssueSampleSchema>;
export type PreviewRequest = z.infer<typeof PreviewRequestSchema>;
export type ImportRequest = z.infer<typeof ImportRequestSchema>;
