/**
 * The one text-folding rule of the project: what "the same word, ignoring case and accents" means for
 * knowledge search (index and query), pallet headers, categories, currencies and rule comparisons.
 * Whatever folds stored text (the knowledge FTS index, remembered header signatures) must use this
 * function, so a change of the table below needs those rebuilt (see drizzle/0009_refold_knowledge_fts.sql).
 */

/**
 * Lower-case letters that compatibility decomposition leaves whole (no base + combining mark), or that
 * are written as two letters: Polish ł, German ß, Scandinavian ø æ, Icelandic ð þ, Croatian đ,
 * Maltese ħ, Sami ŧ, Turkish dotless ı, French œ. Czech and Slovak letters (č ď ě ľ ĺ ň ř ŕ š ť ů ž ô)
 * all decompose and need no entry.
 */
const SPECIAL_FOLDS: Readonly<Record<string, string>> = {
  ł: 'l',
  ß: 'ss',
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ð: 'd',
  þ: 'th',
  đ: 'd',
  ħ: 'h',
  ŧ: 't',
  ı: 'i',
};
const SPECIAL_RE = /[łßøæœðþđħŧı]/g;
const COMBINING_RE = /\p{M}+/gu;
const NON_ASCII_RE = /[\u0080-\uffff]/;

/**
 * Lower case without diacritics: "Zażółć GĘŚLĄ jaźń" → "zazolc gesla jazn", "Größe" → "grosse",
 * "Příliš žluťoučký kůň" → "prilis zlutoucky kun". Compatibility forms fold too ("m²" → "m2",
 * "ﬁ" → "fi", full-width "ＡＢ" → "ab"). ASCII text only pays for `toLowerCase` (re-scoring folds
 * the same few strings over 100k lines).
 */
export function foldText(text: string): string {
  if (!NON_ASCII_RE.test(text)) return text.toLowerCase();
  // Decompose before lower-casing so "İ" and letter-like symbols ("Ⓐ", "ℌ") end as plain lower case.
  return text
    .normalize('NFKD')
    .replace(COMBINING_RE, '')
    .toLowerCase()
    .replace(SPECIAL_RE, (ch) => SPECIAL_FOLDS[ch] ?? ch);
}
