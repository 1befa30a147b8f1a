import { create } from 'zustand';
import type { RequestOutput } from '@shared/contract';
import type { Rule } from '@shared/pallets/rules';
import type { RuleDraft } from '@shared/pallets/schemas';
import { call, on } from '@renderer/api/client';
import { toUiError, type UiError } from '@renderer/errors/ui-error';
import { formFromRule, type RuleForm } from './condition-model';
import { usePalletsStore } from '../pallets-store';

export type StoredRule = RequestOutput<'pallets:rules'>['rules'][number];
export type RulePreview = RequestOutput<'pallets:previewRule'>;

export interface Editor {
  /** The stored rule being edited; null for a new rule. */
  id: string | null;
  form: RuleForm;
  /** The form as it opened: closing asks before discarding anything that differs from it. */
  initial: RuleForm;
}

interface RulesState {
  rules: StoredRule[];
  templates: Rule[];
  loaded: boolean;
  loading: boolean;
  error: UiError | null;

  editor: Editor | null;
  /** The analysis the editor previews against (defaults to the open one, else the newest). */
  previewAnalysisId: string | null;
  preview: RulePreview | null;
  previewLoading: boolean;
  previewError: UiError | null;
  saving: boolean;
  saveError: UiError | null;

  load(): Promise<void>;
  newRule(template?: Rule): void;
  edit(rule: StoredRule): void;
  setForm(form: RuleForm): void;
  closeEditor(): void;
  setPreviewAnalysis(id: string | null): void;
  runPreview(draft: RuleDraft | null): Promise<void>;
  save(draft: RuleDraft): Promise<boolean>;
  /** What deleting a stored rule would change on the preview analysis (null when there is none to ask). */
  previewDelete(id: string): Promise<RulePreview | null>;
  remove(id: string): Promise<void>;
  setEnabled(rule: StoredRule, enabled: boolean): Promise<void>;
}

let previewSeq = 0;

/** A stored rule back into the shape the editor sends (the service owns id, scope and times). */
export function draftOf(rule: StoredRule): RuleDraft {
  return {
    name: rule.name,
    ...(rule.description ? { description: rule.description } : {}),
    type: rule.type,
    action: rule.action,
    weight: rule.weight,
    enabled: rule.enabled,
    templateId: rule.templateId ?? null,
    when: rule.when,
  };
}

export const useRulesStore = create<RulesState>((set, get) => ({
  rules: [],
  templates: [],
  loaded: false,
  loading: false,
  error: null,
  editor: null,
  previewAnalysisId: null,
  preview: null,
  previewLoading: false,
  previewError: null,
  saving: false,
  saveError: null,

  async load() {
    set({ loading: true });
    try {
      const { rules, templates } = await call('pallets:rules', {});
      set({ rules, templates, loaded: true, error: null });
    } catch (error) {
      set({ error: toUiError(error) });
    } finally {
      set({ loading: false });
    }
  },

  newRule(template) {
    const form = formFromRule(template ? { ...template, templateId: template.templateId ?? template.id } : null);
    set({ editor: { id: null, form, initial: form }, preview: null, previewError: null, saveError: null });
  },
  edit(rule) {
    const form = formFromRule(rule);
    set({ editor: { id: rule.id, form, initial: form }, preview: null, previewError: null, saveError: null });
  },
  setForm(form) {
    const editor = get().editor;
    if (editor) set({ editor: { ...editor, form } });
  },
  closeEditor() {
    previewSeq++;
    set({ editor: null, preview: null, previewError: null, previewLoading: false, saveError: null });
  },
  setPreviewAnalysis(previewAnalysisId) {
    set({ previewAnalysisId, preview: null });
  },

  async runPreview(draft) {
    const analysisId = get().previewAnalysisId;
    const editor = get().editor;
    const seq = ++previewSeq;
    if (!analysisId || !editor || !draft) {
      set({ preview: null, previewLoading: false, previewError: null });
      return;
    }
    set({ previewLoading: true, previewError: null });
    try {
      const preview = await call('pallets:previewRule', { analysisId, ...(editor.id ? { id: editor.id } : {}), draft });
      if (seq === previewSeq) set({ preview });
    } catch (error) {
      if (seq === previewSeq) set({ previewError: toUiError(error), preview: null });
    } finally {
      if (seq === previewSeq) set({ previewLoading: false });
    }
  },

  async save(draft) {
    const editor = get().editor;
    if (!editor) return false;
    set({ saving: true, saveError: null });
    try {
      const saved = await call('pallets:saveRule', { ...(editor.id ? { id: editor.id } : {}), draft });
      set((s) => ({ rules: s.rules.some((r) => r.id === saved.id) ? s.rules.map((r) => (r.id === saved.id ? saved : r)) : [...s.rules, saved] }));
      get().closeEditor();
      return true;
    } catch (error) {
      set({ saveError: toUiError(error) });
      return false;
    } finally {
      set({ saving: false });
    }
  },

  async previewDelete(id) {
    const analysisId = get().previewAnalysisId ?? usePalletsStore.getState().openId ?? usePalletsStore.getState().analyses[0]?.id ?? null;
    if (!analysisId) return null;
    try {
      return await call('pallets:previewRule', { analysisId, id, draft: null });
    } catch {
      // The confirmation still works without the preview.
      return null;
    }
  },

  async remove(id) {
    try {
      await call('pallets:deleteRule', { id });
      set((s) => ({ rules: s.rules.filter((r) => r.id !== id), error: null }));
    } catch (error) {
      set({ error: toUiError(error) });
    }
  },

  async setEnabled(rule, enabled) {
    try {
      const saved = await call('pallets:saveRule', { id: rule.id, draft: { ...draftOf(rule), enabled } });
      set((s) => ({ rules: s.rules.map((r) => (r.id === saved.id ? saved : r)), error: null }));
    } catch (error) {
      set({ error: toUiError(error) });
    }
  },
}));

on('pallets:changed', ({ reason }) => {
  if (reason === 'rules' && useRulesStore.getState().loaded) void useRulesStore.getState().load();
});
