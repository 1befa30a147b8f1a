import type { TFunction } from 'i18next';
import type { LineIssue } from '@shared/pallets/fields';

/** A rejected/guessed cell's reason in the user's language (the English sentence if a code is new). */
export function issueText(t: TFunction, issue: Pick<LineIssue, 'code' | 'field' | 'raw' | 'message'>): string {
  return t(`pallets.issues.${issue.code}`, { raw: issue.raw, field: t(`pallets.fields.${issue.field}`), defaultValue: issue.message });
}

export function categoryLabel(t: TFunction, category: string | null): string {
  if (!category) return '—';
  return t(`pallets.categories.${category}`, { defaultValue: category });
}
