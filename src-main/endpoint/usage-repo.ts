import type { LlmTask, UsageRow, UsageSource } from '@shared/contract/endpoint';
import type { Db } from '../db/open';

export interface UsageSample {
  task: LlmTask;
  source: UsageSource;
  ok: boolean;
  promptTokens: number;
  completionTokens: number;
  totalMs: number;
  generationMs: number;
}

/** The machine's local calendar day: "today" is the salesperson's day, not UTC's. */
export function localDay(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** Adds one generation to its day's counters (one upsert: usage never holds a generation up). */
export function recordUsage(db: Db, sample: UsageSample, at = new Date()): void {
  db.$client
    .prepare(
      `INSERT INTO llm_usage (day, task, source, requests, failures, prompt_tokens, completion_tokens, total_ms, generation_ms)
       VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)
       ON CONFLICT(day, task, source) DO UPDATE SET
         requests = requests + 1, failures = failures + excluded.failures,
         prompt_tokens = prompt_tokens + excluded.prompt_tokens, completion_tokens = completion_tokens + excluded.completion_tokens,
         total_ms = total_ms + excluded.total_ms, generation_ms = generation_ms + excluded.generation_ms`,
    )
    .run(localDay(at), sample.task, sample.source, sample.ok ? 0 : 1, Math.max(0, Math.round(sample.promptTokens)), Math.max(0, Math.round(sample.completionTokens)), Math.max(0, Math.round(sample.totalMs)), Math.max(0, Math.round(sample.generationMs)));
}

/** Rows of the last `days` local days (today included), newest first. */
export function listUsage(db: Db, days: number, now = new Date()): UsageRow[] {
  const from = new Date(now);
  from.setDate(from.getDate() - (days - 1));
  return db.$client
    .prepare(
      `SELECT day, task, source, requests, failures, prompt_tokens AS promptTokens, completion_tokens AS completionTokens,
              total_ms AS totalMs, generation_ms AS generationMs
       FROM llm_usage WHERE day >= ? ORDER BY day DESC, task, source`,
    )
    .all(localDay(from)) as UsageRow[];
}
