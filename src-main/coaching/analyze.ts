import { CustomerAnalysis, parseCustomerAnalysis } from '@shared/coaching/analysis';
import type { CoachLanguage } from '@shared/coaching/keys';
import type { CoachAnalyzeOutput, Notice } from '@shared/coaching/types';
import type { Db } from '../db/open';
import { fallbackCoach, suggestionsFor, toAnalyzeOutput } from './fallback-coach';
import { prepareInput } from './input';
import type { CoachLlm } from './llm-port';
import { analysisPrompt } from './prompts';

export interface AnalyzeResult {
  output: CoachAnalyzeOutput;
  notices: Notice[];
  elapsedMs: number;
}

/**
 * One-shot analysis of a client's words (the `coach analyze` command and other programs). With a model,
 * the schema-constrained analysis decides archetype and objections and the knowledge base supplies the
 * cited suggestions (the model's next best question leads them); without one, the fallback coach answers.
 */
export async function analyzeText(db: Db, raw: string, options: { language?: CoachLanguage; defaultLanguage: CoachLanguage; llm?: CoachLlm | null; signal?: AbortSignal }): Promise<AnalyzeResult> {
  const started = performance.now();
  const input = prepareInput(raw, options.language, options.defaultLanguage);
  if (!options.llm) {
    const result = fallbackCoach(db, input.text, input.language);
    return { output: toAnalyzeOutput(result), notices: input.notices, elapsedMs: performance.now() - started };
  }
  const { systemPrompt, prompt } = analysisPrompt(input.language, `${input.language === 'pl' ? 'Klient' : 'Customer'}: ${input.text}`);
  const analysis = parseCustomerAnalysis(
    await options.llm.json({ requestId: `analyze:${Date.now()}`, prompt, systemPrompt, schema: CustomerAnalysis }, options.signal ?? new AbortController().signal),
  );
  const categories = [...new Set(analysis.objections.map((o) => o.category))];
  const fromKnowledge = suggestionsFor(db, input.text, input.language, categories, analysis.archetype);
  const question = analysis.next_best_question.trim();
  const suggestions = [
    ...fromKnowledge.filter((s) => s.kind === 'objection_response'),
    ...(question ? [{ kind: 'next_question' as const, text: question, knowledgeIds: [] }] : fromKnowledge.filter((s) => s.kind === 'next_question')),
    ...fromKnowledge.filter((s) => s.kind === 'playbook_step'),
  ];
  return {
    output: {
      source: 'model',
      archetype: analysis.archetype,
      archetype_confidence: analysis.archetype_confidence,
      objections: analysis.objections.map((o) => ({ category: o.category, quote: o.quote })),
      buying_signals: analysis.buying_signals,
      suggestions: suggestions.map((s) => ({ kind: s.kind === 'elaboration' ? 'objection_response' : s.kind, text: s.text, knowledge_ids: s.knowledgeIds })),
    },
    notices: input.notices,
    elapsedMs: performance.now() - started,
  };
}
