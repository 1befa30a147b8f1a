import { describe, expect, it } from 'vitest';
import { foldText } from '../text/fold';
import { detectLanguage, sanitizeText, tokenize } from './normalize';
import { distinctTerms, stemSequence, stemToken } from './stem';

describe('folding', () => {
  it('folds Polish diacritics including ł, and German umlauts and ß', () => {
    expect(foldText('Zażółć GĘŚLĄ jaźń')).toBe('zazolc gesla jazn');
    expect(foldText('Łódź')).toBe('lodz');
    expect(foldText('Größe über Äpfel')).toBe('grosse uber apfel');
  });

  it('tokenizes to folded letters and digits only', () => {
    expect(tokenize('Droższy o 20%! (naprawdę?)')).toEqual(['drozszy', 'o', '20', 'naprawde']);
    expect(tokenize('日本語のテキスト')).toEqual([]);
  });
});

describe('stemming', () => {
  it('brings Polish inflections of one word together', () => {
    const stems = (words: string[]) => new Set(words.map((w) => stemToken(foldText(w), 'pl')));
    expect(stems(['cena', 'ceny', 'cenie', 'cenę', 'cenowo']).size).toBe(1);
    expect(stems(['drogo', 'drogi', 'drogie', 'droga']).size).toBe(1);
    expect(stems(['droższy', 'droższa', 'drożej']).size).toBe(1);
    expect(stems(['konkurencja', 'konkurencji', 'konkurencją']).size).toBe(1);
    expect(stems(['kredyt', 'kredytu', 'kredytem']).size).toBe(1);
  });

  it('brings English inflections together', () => {
    const stems = (words: string[]) => new Set(words.map((w) => stemToken(w, 'en')));
    expect(stems(['expensive', 'expenses']).size).toBe(1);
    expect(stems(['price', 'prices', 'priced']).size).toBe(1);
    expect(stems(['competitor', 'competitors']).size).toBe(1);
  });

  it('keeps stopwords in sequences (phrases need them) but not in index terms', () => {
    expect(stemSequence('za drogo', 'pl')).toEqual(['za', 'drog']);
    expect(distinctTerms('to jest za drogo', 'pl')).toEqual(['drog']);
    expect(distinctTerms('it is too expensive', 'en')).toEqual(['expens']);
  });
});

describe('sanitizing pasted text', () => {
  it('removes control and bidi characters and counts them', () => {
    const result = sanitizeText('Za\u0000 drogo\u0007\u202E!\r\nOK\u200B');
    expect(result.text).toBe('Za drogo!\nOK');
    expect(result.removedControl).toBe(4);
    expect(result.truncated).toBe(false);
  });

  it('cuts a 100 kB paste at a word boundary and says so', () => {
    const paste = 'za drogo '.repeat(12_000);
    const result = sanitizeText(paste, 8000);
    expect(result.truncated).toBe(true);
    expect(result.originalLength).toBe(paste.length);
    expect(result.text.length).toBeLessThanOrEqual(8000);
    expect(result.text).toMatch(/(^|\s)(za|drogo)$/);
  });

  it('replaces broken surrogate pairs instead of storing invalid UTF-16', () => {
    expect(sanitizeText('a\uD800b').text).toBe('a\uFFFDb');
    expect(sanitizeText('emoji 😀 ok').text).toBe('emoji 😀 ok');
  });
});

describe('language detection', () => {
  it('tells Polish, English and other languages apart', () => {
    expect(detectLanguage('Nie jestem pewien, czy to się opłaca.')).toBe('pl');
    expect(detectLanguage('I am not sure this is worth it.')).toBe('en');
    expect(detectLanguage('Das ist mir zu teuer und ich habe keine Zeit.')).toBe('other');
    expect(detectLanguage('Это слишком дорого')).toBe('other');
    expect(detectLanguage('ok')).toBe('unknown');
  });
});
