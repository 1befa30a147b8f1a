/**
 * Text normalisation for matching what a client said against the knowledge base. Everything here is
 * pure and deterministic: the same function folds the index and the query, so they always agree.
 */
import { foldText } from '../text/fold';

const TOKEN_RE = /[a-z0-9]+/g;

/** Folded word tokens (letters and digits). Scripts other than Latin produce no tokens. */
export function tokenize(text: string): string[] {
  return foldText(text).match(TOKEN_RE) ?? [];
}

/** C0 controls except tab and newline, DEL, C1 controls, zero-width and bidi override characters. */
function isInvisibleControl(code: number): boolean {
  return (
    (code <= 0x1f && code !== 0x09 && code !== 0x0a && code !== 0x0d) ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0xfeff
  );
}

function stripControls(text: string): { text: string; removed: number } {
  let removed = 0;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isInvisibleControl(code)) removed += 1;
    else out += text[i];
  }
  return { text: out, removed };
}
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export interface SanitizedText {
  text: string;
  /** Characters removed because they were control or invisible formatting characters. */
  removedControl: number;
  /** True when the input was cut to `maxChars`. */
  truncated: boolean;
  originalLength: number;
}

/**
 * Makes pasted text safe to store and analyse: control and bidi characters removed, broken surrogate
 * pairs replaced, line endings unified, runs of blank space collapsed, and the result cut to `maxChars`
 * at a word boundary when possible.
 */
export function sanitizeText(raw: string, maxChars = 8000): SanitizedText {
  const originalLength = raw.length;
  const stripped = stripControls(raw.replace(/\r\n?/g, '\n'));
  const removedControl = stripped.removed;
  const cleaned = stripped.text
    .replace(LONE_SURROGATE_RE, '\uFFFD')
    .normalize('NFC')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (cleaned.length <= maxChars) return { text: cleaned, removedControl, truncated: false, originalLength };
  const cut = cleaned.slice(0, maxChars);
  const lastSpace = cut.lastIndexOf(' ');
  const text = (lastSpace > maxChars * 0.8 ? cut.slice(0, lastSpace) : cut).trimEnd();
  return { text, removedControl, truncated: true, originalLength };
}

export const STOPWORDS_PL = new Set(
  'a aby ale albo ani az bo by byc byl byla bylo byli bede bedzie co czy dla do gdy gdzie go i ich ile im ja jak jako je jego jej jest jestem jestesmy jeszcze juz ktory ktora ktore ma mam mamy mi mnie moge moj moja moze my na nad nam nas nasz nawet nic nie niz no o od oraz po pod przez przy sa sie so ta tak tam te tego tej ten to tu ty tym u w we wiec wszystko z za ze zeby'.split(' '),
);
export const STOPWORDS_EN = new Set(
  'a about after all also am an and any are as at be been being but by can could did do does doing for from had has have having he her here him his how i if in into is it its just me more most my no nor not of off on once only or other our out over own same she should so some such than that the their them then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your'.split(' '),
);

const LANGUAGE_MARKERS: Record<string, Set<string>> = {
  pl: new Set('nie jest sie to na ze za mnie jak czy ale juz mam tak jestem tego bardzo moze wiem chce moje ktory tylko troche'.split(' ')),
  en: new Set('the is it not too and my we but this that have with you for what do are was just be would'.split(' ')),
  de: new Set('der die das und ist nicht ich zu wir ein eine mit auf fur sehr aber auch noch wie sie es haben'.split(' ')),
  es: new Set('que el la es no muy pero los las por para con una un esto estoy demasiado caro'.split(' ')),
  fr: new Set('le la les est pas je tres mais que pour avec une un cest trop cher nous vous'.split(' ')),
};

export type DetectedLanguage = 'pl' | 'en' | 'other' | 'unknown';

/**
 * A cheap language guess from function words and Polish letters: good enough to warn that a text is
 * not Polish or English. Short or ambiguous texts are `unknown` (the caller keeps its default).
 */
export function detectLanguage(text: string): DetectedLanguage {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters === 0) return 'unknown';
  const latin = text.match(/[A-Za-z\u00C0-\u024F]/g)?.length ?? 0;
  if (latin / letters < 0.5) return 'other';
  const polishLetters = text.match(/[ąćęłńśźżĄĆĘŁŃŚŹŻ]/g)?.length ?? 0;
  const tokens = tokenize(text);
  const hits: Record<string, number> = {};
  for (const [lang, words] of Object.entries(LANGUAGE_MARKERS)) hits[lang] = tokens.filter((t) => words.has(t)).length;
  hits.pl = (hits.pl ?? 0) + Math.min(3, polishLetters);
  const ranked = Object.entries(hits).sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best || best[1] === 0) return tokens.length >= 8 ? 'other' : 'unknown';
  if (second && best[1] === second[1]) return 'unknown';
  return best[0] === 'pl' || best[0] === 'en' ? best[0] : 'other';
}
