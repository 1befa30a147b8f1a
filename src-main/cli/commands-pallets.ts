import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@shared/contract/errors';
import type { ImportStats, IssueSample } from '@shared/pallets/schemas';
import type { ValuationTotals } from '@shared/pallets/valuation';
import { RuleDraftSchema } from '@shared/pallets/schemas';
import type { StatusCounts } from '@shared/pallets/scoring';
import { DEFAULT_BID_TARGET, type BidTarget } from '@shared/pallets/valuation';
import { valuationSummary, type ValuationSummary } from '@shared/pallets/valuation-summary';
import type { StoredRule } from '../pallets';
import { requirePositional, UsageError, type CliCommand } from './command';

export interface ImportReport {
  file: string;
  sheet: string;
  /** Row number of the header as the spreadsheet shows it. */
  headerRow: number;
  headerConfidence: number;
  headers: string[];
  mapping: { column: number; header: string; field: string | null; confidence: number; source: string }[];
  dryRun: boolean;
  analysisId: string | null;
  /** Analyses already imported from a file with the same content (a re-import), newest first. */
  duplicates: { id: string; name: string; createdAt: number }[];
  /** The analysis this import replaced (--replace). */
  replaced: string | null;
  lines: number;
  statuses: StatusCounts;
  skipped: ImportStats['skipped'];
  issues: ImportStats['issues'];
  /** Rejected cells (the first 100 issues met, guesses left out) and the import's warnings. */
  errors: IssueSample[];
  warnings: string[];
  /** The analysis's currency: --currency, else the one most lines are in; null when no price names one. */
  currency: string | null;
  valuation: ValuationSummary;
  elapsedMs: number;
}

function currencyCode(value: unknown): string | null {
  if (value === undefined) return null;
  const code = String(value).trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw new UsageError('--currency is a three-letter currency code (PLN, EUR, USD)');
  return code;
}

/** --target-roi 0.3 or 30% (ROI), --target-margin likewise; the default target otherwise. */
function bidTarget(roi: unknown, margin: unknown): BidTarget {
  if (roi !== undefined && margin !== undefined) throw new UsageError('give --target-roi or --target-margin, not both');
  const raw = roi ?? margin;
  if (raw === undefined) return DEFAULT_BID_TARGET;
  const text = String(raw).trim();
  const n = text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
  const kind = roi !== undefined ? 'roi' : 'margin';
  if (!Number.isFinite(n) || (kind === 'roi' ? n <= -1 || n > 100 : n < 0 || n >= 1)) {
    throw new UsageError(kind === 'roi' ? '--target-roi is a share above -1 (0.3 or 30%)' : '--target-margin is a share from 0 to below 1 (0.25 or 25%)');
  }
  return { kind, value: n };
}

function rowNumber(value: unknown): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError('--header-row is the row number of the header (1 or more)');
  return n - 1;
}

/** A rule draft from a JSON file or from the argument itself. */
function readDraft(arg: string) {
  const text = fs.existsSync(arg) && fs.statSync(arg).isFile() ? fs.readFileSync(arg, 'utf8') : arg;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UsageError('the rule must be JSON (a file name or the JSON itself)');
  }
  const parsed = RuleDraftSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('VALIDATION', `The rule is not valid: ${issue ? `${issue.path.join('.') || 'rule'}: ${issue.message}` : 'unknown problem'}.`);
  }
  return parsed.data;
}

const figure = (n: number | null) => (n === null ? 'unknown' : String(n));
const range = (low: number | null, high: number | null) => (low === null || high === null ? 'unknown' : `${low}–${high}`);

function humanValuation(v: ValuationSummary): string {
  const target = `${v.maxBid.targetKind === 'roi' ? 'ROI' : 'margin'} ${Math.round(v.maxBid.target * 1000) / 10}%`;
  return [
    `valuation (${v.currency ?? 'no currency'}): ${v.linesValued} of ${v.lines} lines valued; retail ${figure(v.retail)}, cost ${figure(v.cost)}, resale ${range(v.resaleLow, v.resaleHigh)}`,
    `  margin ${range(v.marginLow, v.marginHigh)}, ROI ${range(v.roiLow, v.roiHigh)}, max bid for ${target}: ${range(v.maxBid.low, v.maxBid.high)}`,
  ].join('\n');
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

export const palletCommands: CliCommand[] = [
  {
    path: ['import'],
    usage: 'import <file> [--sheet <name>] [--header-row <n>] [--name <name>] [--supplier <name>] [--currency <CODE>] [--target-roi <x> | --target-margin <x>] [--replace <analysisId>] [--dry-run] [--json]',
    summary: 'Import a pallet manifest (.xlsx .xls .ods .csv): header row, column mapping, line statuses, errors',
    options: { sheet: { type: 'string' }, 'header-row': { type: 'string' }, name: { type: 'string' }, supplier: { type: 'string' }, replace: { type: 'string' }, currency: { type: 'string' }, 'target-roi': { type: 'string' }, 'target-margin': { type: 'string' }, 'dry-run': { type: 'boolean' } },
    async run(ctx, positionals, values) {
      const file = path.resolve(requirePositional(positionals, 0, 'file'));
      const service = ctx.core().pallets;
      const started = performance.now();
      const currency = currencyCode(values.currency);
      const target = bidTarget(values['target-roi'], values['target-margin']);
      const opened = await service.open({ path: file }, ctx.signal);
      try {
        const input = {
          requestId: 'cli-import',
          fileId: opened.fileId,
          sheet: typeof values.sheet === 'string' ? values.sheet : null,
          headerRow: rowNumber(values['header-row']),
          supplier: typeof values.supplier === 'string' ? values.supplier : null,
          currency,
        };
        const preview = await service.preview(input);
        const dryRun = values['dry-run'] === true;
        const replace = typeof values.replace === 'string' && values.replace.trim() ? values.replace.trim() : null;
        // Listed before the import: afterwards the new analysis would count as its own duplicate.
        const duplicates = opened.duplicates.filter((d) => d.id !== replace);
        let analysisId: string | null = null;
        let stats: ImportStats;
        let warnings: string[];
        let valuation: ValuationTotals;
        if (dryRun) {
          const summary = await service.dryRun(input, ctx.signal, { target });
          ({ stats, warnings, valuation } = summary);
        } else {
          const name = typeof values.name === 'string' && values.name.trim() ? values.name.trim() : path.basename(file).replace(/\.[^.]+$/, '');
          const result = await service.import({ ...input, mapping: preview.mapping, name, rememberMapping: false, replaceAnalysisId: replace, valuation: { target } }, ctx.signal);
          ({ analysisId, stats, warnings, valuation } = result);
          await service.whenIdle();
        }
        const report: ImportReport = {
          file,
          sheet: preview.sheet,
          headerRow: preview.headerRowNumber,
          headerConfidence: preview.header.confidence,
          headers: preview.header.headers,
          mapping: preview.mapping.columns.map((c) => ({ column: c.index, header: c.header, field: c.field, confidence: c.confidence, source: c.source })),
          dryRun,
          analysisId,
          duplicates,
          replaced: dryRun ? null : replace,
          lines: stats.lines,
          statuses: stats.statuses,
          skipped: stats.skipped,
          issues: stats.issues,
          errors: stats.issueSamples.filter((i) => i.kind === 'rejected'),
          warnings,
          currency: currency ?? valuation.currency,
          valuation: valuationSummary(valuation, target, currency ?? valuation.currency),
          elapsedMs: Math.round(performance.now() - started),
        };
        return report;
      } finally {
        await service.close(opened.fileId);
      }
    },
    human(result) {
      const r = result as ImportReport;
      const width = Math.max(6, ...r.mapping.map((m) => m.header.length));
      return [
        `${r.dryRun ? 'dry run of' : 'imported'} ${r.file} (sheet "${r.sheet}")${r.analysisId ? ` as analysis ${r.analysisId}` : ''}${r.replaced ? `, replacing ${r.replaced}` : ''}`,
        ...r.duplicates.map((d) => `note: this file was imported before as ${d.id} ("${d.name}", ${new Date(d.createdAt).toISOString().slice(0, 10)})${r.dryRun || r.replaced ? '' : '; this is a new analysis (--replace <analysisId> replaces one)'}`),
        `header row ${r.headerRow} (confidence ${r.headerConfidence})`,
        'mapping:',
        ...r.mapping.map((m) => `  ${pad(m.header, width)} → ${m.field ? `${pad(m.field, 13)} ${m.confidence.toFixed(2)}` : '(kept as raw data)'}`),
        `lines ${r.lines}: ok ${r.statuses.ok}, warning ${r.statuses.warning}, blocked ${r.statuses.blocked}; skipped ${r.skipped.blank + r.skipped.summary + r.skipped.repeated_header}`,
        `cells rejected ${r.issues.rejected}, guessed ${r.issues.guessed}`,
        humanValuation(r.valuation),
        ...r.errors.slice(0, 20).map((e) => `  row ${e.row} ${e.field}: ${e.message} [${e.raw}]`),
        ...r.warnings.map((w) => `warning: ${w}`),
      ].join('\n');
    },
  },
  {
    path: ['export'],
    usage: 'export <analysisId> <out.xlsx> [--json]',
    summary: 'Write an analysis to .xlsx (original columns, canonical fields, score, status, explanation)',
    async run(ctx, positionals) {
      const analysisId = requirePositional(positionals, 0, 'analysisId');
      const target = path.resolve(requirePositional(positionals, 1, 'out.xlsx'));
      if (!/\.xlsx$/i.test(target)) throw new UsageError('the output file must end in .xlsx');
      const written = await ctx.core().pallets.export(analysisId, ctx.signal, undefined, target);
      return { file: written.path, rows: written.rows, bytes: written.size };
    },
    human: (r) => {
      const x = r as { file: string; rows: number; bytes: number };
      return `exported ${x.rows} lines to ${x.file} (${x.bytes} bytes)`;
    },
  },
  {
    path: ['rules', 'list'],
    usage: 'rules list [--json]',
    summary: 'The rules lines are scored with, and the shipped templates',
    async run(ctx) {
      return ctx.core().pallets.rules();
    },
    human(result) {
      const { rules } = result as { rules: StoredRule[] };
      if (rules.length === 0) return 'no rules';
      return rules.map((r) => `${r.enabled ? ' ' : 'x'} ${r.id}  ${pad(r.action, 6)} w${String(r.weight).padEnd(2)} ${pad(r.type, 8)} ${r.name}`).join('\n');
    },
  },
  {
    path: ['rules', 'add'],
    usage: 'rules add <rule.json | JSON> [--json]',
    summary: 'Add a rule from a JSON draft ({name, type, action, weight, enabled, when}); re-scores every analysis',
    async run(ctx, positionals) {
      const draft = readDraft(positionals.join(' ').trim() || requirePositional(positionals, 0, 'rule'));
      const service = ctx.core().pallets;
      const rule = service.saveRule(undefined, draft);
      await service.whenIdle();
      return rule;
    },
    human: (r) => {
      const rule = r as StoredRule;
      return `added rule ${rule.id} (${rule.action} “${rule.name}”); analyses re-scored`;
    },
  },
  {
    path: ['rules', 'remove'],
    usage: 'rules remove <ruleId> [--json]',
    summary: 'Delete a rule; re-scores every analysis',
    async run(ctx, positionals) {
      const id = requirePositional(positionals, 0, 'ruleId');
      const service = ctx.core().pallets;
      service.deleteRule(id);
      await service.whenIdle();
      return { removed: id };
    },
    human: (r) => `removed rule ${(r as { removed: string }).removed}; analyses re-scored`,
  },
];
