import { STOPWORDS_EN, STOPWORDS_PL, tokenize } from './normalize';
import type { CoachLanguage } from './keys';

/**
 * A light stemmer for Polish and English, applied to folded tokens. It strips the longest known
 * inflectional suffix (keeping at least three letters) and then caps the stem at seven letters, so
 * that "cena / ceny / cenie / cenowo", "konkurencja / konkurencji / konkurent" and "expensive /
 * expenses" meet. Stem alternations Polish makes (drogo → drożej, g → ż) are not guessed: the pack's
 * cue lists carry both forms, which is cheaper and more precise than a full morphological analyser.
 */
const PL_SUFFIXES = [
  'owaniami', 'owaniem', 'owaniu', 'owania', 'owanie', 'osciami', 'osciach', 'osciom', 'owalem', 'owalam',
  'szego', 'szemu', 'szych', 'szymi', 'ujemy', 'ujecie', 'ujesz', 'owac', 'owal', 'owany', 'owana', 'owane',
  'oscia', 'oscie', 'iego', 'iemu', 'szej', 'szym', 'owie', 'acie', 'ecie', 'ycie', 'osci',
  'ami', 'ach', 'ego', 'emu', 'ymi', 'imi', 'ych', 'ich', 'szy', 'sza', 'sze', 'owi', 'uje', 'uja', 'asz', 'esz', 'isz', 'amy', 'emy', 'imy',
  'owych', 'owym', 'owej', 'owo', 'owy', 'owa', 'owe', 'osc', 'aja', 'eja', 'ala', 'alo', 'ali', 'aly', 'ela', 'elo', 'eli', 'ila', 'ilo', 'ili', 'yla', 'ylo', 'yli', 'iem',
  'ow', 'om', 'em', 'ej', 'ie', 'ia', 'iu', 'ii', 'ym', 'im', 'ac', 'ic', 'yc', 'ec', 'al', 'el', 'il', 'yl', 'am', 'aj',
  'a', 'e', 'i', 'o', 'u', 'y',
];
const EN_SUFFIXES = [
  'ational', 'ations', 'ingly', 'ation', 'ments', 'ness', 'ment', 'able', 'ible', 'ives', 'edly', 'ally', 'ies', 'ing', 'ers', 'est', 'ive',
  'ed', 'er', 'ly', 'es', 'al', 's', 'e', 'y',
];
const MIN_STEM = 3;
const MAX_STEM = 7;

function stripSuffix(token: string, suffixes: readonly string[]): string {
  for (const suffix of suffixes) {
    if (token.length - suffix.length >= MIN_STEM && token.endsWith(suffix)) return token.slice(0, -suffix.length);
  }
  return token;
}

/** Stems one folded token. Digits and short words are kept as they are. */
export function stemToken(token: string, language: CoachLanguage): string {
  if (token.length <= MIN_STEM || /\d/.test(token)) return token;
  const stripped = stripSuffix(token, language === 'pl' ? PL_SUFFIXES : EN_SUFFIXES);
  return stripped.slice(0, MAX_STEM);
}

export function isStopword(token: string, language: CoachLanguage): boolean {
  return (language === 'pl' ? STOPWORDS_PL : STOPWORDS_EN).has(token);
}

/** Folded, stemmed tokens of a text in order, stopwords included (phrase cues such as "za drogo" need them). */
export function stemSequence(text: string, language: CoachLanguage): string[] {
  return tokenize(text).map((t) => stemToken(t, language));
}

/** Folded, stemmed tokens without stopwords: what the full-text index stores and queries. */
export function indexTerms(text: string, language: CoachLanguage): string[] {
  const out: string[] = [];
  for (const token of tokenize(text)) {
    if (isStopword(token, language)) continue;
    out.push(stemToken(token, language));
  }
  return out;
}

/** Distinct index terms, order of first appearance. */
export function distinctTerms(text: string, language: CoachLanguage): string[] {
  return [...new Set(indexTerms(text, language))];
}
