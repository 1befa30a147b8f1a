/**
 * Model help for pallet lines the rules could not place: batches of lines go to the model (the local one
 * or the endpoint, through the task router as task 'palletAssist'), which answers schema-constrained JSON
 * — a category from the app's own keys, a brand, a model and a clean name per line. Answers are stored as
 * suggestions only; nothing changes a line until the analyst accepts it.
 */
import { z } from 'zod';
import type { AssistResult } from '@shared/contract/pallets';
import { AppError } from '@shared/contract/errors';
import { CATEGORY_KEYS } from '@shared/pallets/categories';
import type { Log } from '@main/core/logger';
import type { Db } from '@main/db/open';
import { findCandidates, saveSuggestions, type AssistCandidate, type Proposal } from './suggestions-repo';

/** The slice of the model port the assist uses (structurally the coach's port, routed per task). */
export interface AssistLlm {
  ready(): boolean;
  json(request: { requestId: string; prompt: string; systemPrompt?: string; schema: z.ZodType; task?: 'palletAssist' }, signal: AbortSignal): Promise<unknown>;
}

export interface AssistOptions {
  requestId: string;
  analysisId: string;
  maxLines?: number;
  /** Lines per model call: small enough for a small model's context, large enough to amortise the prompt. */
  batchSize?: number;
  onProgress?: (progress: { done: number; total: number; suggested: number }) => void;
}

export const DEFAULT_BATCH_SIZE = 8;
const NAME_CHARS = 60;
const BRAND_CHARS = 24;
const MODEL_CHARS = 24;

const categoryKeys = CATEGORY_KEYS as [string, ...string[]];

/** One line's answer; the grammar is derived from this schema (enum categories are always valid). */
export const LineProposal = z.object({
  category: z.enum(categoryKeys),
  brand: z.string().max(BRAND_CHARS),
  model: z.string().max(MODEL_CHARS),
  name: z.string().max(NAME_CHARS),
});

/** Exactly one answer per line of the batch, in order (minItems = maxItems in the grammar). */
export function batchSchema(lines: number) {
  return z.object({ lines: z.array(LineProposal).length(lines) });
}

const SYSTEM_PROMPT = [
  'You tidy product lines from returned-goods pallet manifests (Polish, English or German).',
  'For each numbered line answer: category — one of the given keys; brand — the manufacturer, empty when unknown;',
  'model — the model name or number, empty when unknown; name — a short clean product name in the line\'s language,',
  'without codes, quantities or shouting. Keep the lines in the same order. Answer only with JSON.',
].join(' ');

function quote(value: string | null): string {
  return value === null ? '-' : JSON.stringify(value.slice(0, 200));
}

export function batchPrompt(batch: readonly AssistCandidate[]): string {
  const lines = batch.map((c, i) => `${i + 1}. name: ${quote(c.name)}; category: ${quote(c.category)}; brand: ${quote(c.brand)}${c.ean ? `; ean: ${c.ean}` : ''}${c.sku ? `; sku: ${quote(c.sku)}` : ''}`);
  return `Category keys: ${CATEGORY_KEYS.join(', ')}\n\nLines:\n${lines.join('\n')}`;
}

function clean(value: string): string | null {
  const text = value.replace(/\s+/g, ' ').trim();
  return text.length > 0 ? text : null;
}

/** A proposal worth showing: something differs from the line as it is. */
function toProposal(answer: z.infer<typeof LineProposal>, line: AssistCandidate): Proposal | null {
  const proposal: Proposal = { category: answer.category, brand: clean(answer.brand), model: clean(answer.model), name: clean(answer.name) };
  const same = proposal.category === line.category && (proposal.brand ?? null) === (line.brand?.trim() || null) && proposal.name === (line.name?.trim() || null) && !proposal.model;
  return same ? null : proposal;
}

export async function runAssist(db: Db, llm: AssistLlm, log: Log, options: AssistOptions, signal: AbortSignal): Promise<AssistResult> {
  const started = performance.now();
  if (!llm.ready()) throw new AppError('UNAVAILABLE', 'Load a model in Settings → Models (or set up the model endpoint) to get suggestions.');
  const all = findCandidates(db, options.analysisId);
  const candidates = options.maxLines ? all.slice(0, options.maxLines) : all;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  let processed = 0;
  let suggested = 0;
  let failedBatches = 0;
  let cancelled = false;
  options.onProgress?.({ done: 0, total: candidates.length, suggested: 0 });
  for (let start = 0; start < candidates.length; start += batchSize) {
    if (signal.aborted) {
      cancelled = true;
      break;
    }
    const batch = candidates.slice(start, start + batchSize);
    const schema = batchSchema(batch.length);
    try {
      const raw = await llm.json({ requestId: `${options.requestId.slice(0, 48)}-b${start / batchSize}`, systemPrompt: SYSTEM_PROMPT, prompt: batchPrompt(batch), schema, task: 'palletAssist' }, signal);
      // Validated again here: the endpoint path and the local path both clamp, but this is what is stored.
      const answer = schema.parse(raw);
      const items = batch.flatMap((candidate, i) => {
        const line = answer.lines[i];
        const proposal = line ? toProposal(line, candidate) : null;
        return proposal ? [{ candidate, proposal }] : [];
      });
      suggested += saveSuggestions(db, options.analysisId, items);
    } catch (error) {
      if (signal.aborted) {
        cancelled = true;
        break;
      }
      failedBatches += 1;
      log(`[pallets] assist batch at line ${batch[0]?.row ?? '?'} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    processed += batch.length;
    options.onProgress?.({ done: processed, total: candidates.length, suggested });
  }
  return { candidates: all.length, processed, suggested, failedBatches, cancelled, elapsedMs: Math.round(performance.now() - started) };
}
