import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@shared/contract/errors';
import { CoachLanguage } from '@shared/coaching/keys';
import { CoachAnalyzeOutput } from '@shared/coaching/types';
import { analyzeText } from '../coaching';
import { coachLlmFromHost } from '../composition/coach-llm';
import { ensurePackSeeded, exportKnowledgeJson, exportKnowledgeXlsx, importKnowledge, type ImportReport } from '../knowledge';
import { intOption, loadCliModel, unloadCliModel } from './cli-model';
import { requirePositional, UsageError, type CliCommand, type CliValues } from './command';

function language(values: CliValues): CoachLanguage | undefined {
  const raw = values.lang;
  if (raw === undefined) return undefined;
  const parsed = CoachLanguage.safeParse(raw);
  if (!parsed.success) throw new UsageError('--lang must be pl or en');
  return parsed.data;
}

function formatOf(file: string, values: CliValues): 'json' | 'xlsx' {
  const explicit = values.format;
  if (explicit === 'json' || explicit === 'xlsx') return explicit;
  if (explicit !== undefined) throw new UsageError('--format must be json or xlsx');
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.xlsx') return 'xlsx';
  throw new UsageError('cannot tell the format from the file name; pass --format json|xlsx');
}

export const coachCommands: CliCommand[] = [
  {
    path: ['coach', 'analyze'],
    usage: 'coach analyze "<text>" [--lang pl|en] [--model <file.gguf> [--threads N]] [--json]',
    summary: 'Archetype, objections and suggestions for what a client said (fallback coach without --model)',
    options: { lang: { type: 'string' }, model: { type: 'string' }, threads: { type: 'string' } },
    async run(ctx, positionals, values) {
      const text = positionals.join(' ');
      if (positionals.length === 0) requirePositional(positionals, 0, 'text');
      const lang = language(values);
      const core = ctx.core();
      ensurePackSeeded(core.db);
      const defaultLanguage = core.settings().language;
      const modelFile = typeof values.model === 'string' ? values.model : null;
      if (!modelFile) return CoachAnalyzeOutput.parse((await analyzeText(core.db, text, { language: lang, defaultLanguage })).output);
      if (!fs.existsSync(modelFile)) throw new AppError('NOT_FOUND', `No model file at ${modelFile}.`);
      const threads = intOption(values, 'threads', 1, 256);
      try {
        await loadCliModel(core, modelFile, { threads, signal: ctx.signal });
        const llm = coachLlmFromHost(() => core.llm.host());
        return CoachAnalyzeOutput.parse((await analyzeText(core.db, text, { language: lang, defaultLanguage, llm, signal: ctx.signal })).output);
      } finally {
        await unloadCliModel(core);
      }
    },
    human(result) {
      const r = result as CoachAnalyzeOutput;
      const lines = [`source:    ${r.source}`, `archetype: ${r.archetype} (${r.archetype_confidence})`];
      lines.push(r.objections.length === 0 ? 'objections: none' : 'objections:');
      for (const o of r.objections) lines.push(`  ${o.category.padEnd(12)} "${o.quote}"`);
      if (r.buying_signals.length > 0) lines.push('buying signals:', ...r.buying_signals.map((s) => `  "${s}"`));
      lines.push('suggestions:');
      for (const s of r.suggestions) lines.push(`  [${s.kind}] ${s.text}`);
      return lines.join('\n');
    },
  },
  {
    path: ['knowledge', 'import'],
    usage: 'knowledge import <file.json|file.xlsx> [--format json|xlsx] [--json]',
    summary: 'Import knowledge entries (updates entries with the same id or key)',
    options: { format: { type: 'string' } },
    async run(ctx, positionals, values) {
      const file = path.resolve(requirePositional(positionals, 0, 'file'));
      const format = formatOf(file, values);
      if (!fs.existsSync(file)) throw new AppError('NOT_FOUND', `No file at ${file}.`);
      const core = ctx.core();
      ensurePackSeeded(core.db);
      return importKnowledge(core.db, format, format === 'json' ? fs.readFileSync(file, 'utf8') : new Uint8Array(fs.readFileSync(file)));
    },
    human(result) {
      const r = result as ImportReport;
      return [`created ${r.created}, updated ${r.updated}, unchanged ${r.unchanged}, errors ${r.errors.length}`, ...r.errors.map((e) => `  row ${e.row}: ${e.message}`)].join('\n');
    },
  },
  {
    path: ['knowledge', 'export'],
    usage: 'knowledge export <file.json|file.xlsx> [--lang pl|en] [--format json|xlsx] [--json]',
    summary: 'Export the knowledge base',
    options: { format: { type: 'string' }, lang: { type: 'string' } },
    async run(ctx, positionals, values) {
      const file = path.resolve(requirePositional(positionals, 0, 'file'));
      const format = formatOf(file, values);
      const lang = language(values);
      const core = ctx.core();
      ensurePackSeeded(core.db);
      const filter = lang ? { language: lang } : {};
      fs.mkdirSync(path.dirname(file), { recursive: true });
      if (format === 'json') fs.writeFileSync(file, exportKnowledgeJson(core.db, filter));
      else fs.writeFileSync(file, exportKnowledgeXlsx(core.db, filter));
      return { file, format, bytes: fs.statSync(file).size };
    },
    human: (r) => {
      const x = r as { file: string; bytes: number };
      return `knowledge written: ${x.file} (${x.bytes} bytes)`;
    },
  },
];
