import type { MappingOverride } from '@shared/pallets/mapper';
import { foldWords } from '@shared/pallets/text';

/**
 * The override a preview or import applies to the automatic mapping of a layout: the remembered mapping
 * first, then the user's own choices, which win for the headers they name. The mapper applies an
 * override by header name in order (so duplicate header names line up), hence a remembered entry is
 * dropped rather than stacked when the user chose for the same header. Null when neither exists.
 */
export function mergeOverrides(signature: string, remembered: MappingOverride | null, user: MappingOverride | null): MappingOverride | null {
  const mine = user && user.signature === signature ? user : null;
  if (!remembered && !mine) return null;
  const chosen = new Set((mine?.columns ?? []).map((c) => foldWords(c.header)));
  const kept = (remembered?.columns ?? []).filter((c) => !chosen.has(foldWords(c.header)));
  return { signature, columns: [...kept, ...(mine?.columns ?? [])] };
}
