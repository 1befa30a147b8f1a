import { describe, expect, it } from 'vitest';
import { parseCondition } from './condition';

describe('condition grades', () => {
  it.each([
    ['New', 'new'],
    ['Brand New', 'new'],
    ['Nowy', 'new'],
    ['fabrycznie nowe', 'new'],
    ['Neu', 'new'],
    ['Like New', 'like_new'],
    ['Used - Like New', 'like_new'],
    ['Open Box', 'like_new'],
    ['Powystawowy', 'like_new'],
    ['Jak nowy', 'like_new'],
    ['Neuwertig', 'like_new'],
    ['Wie neu', 'like_new'],
    ['Refurbished', 'refurbished'],
    ['Renewed', 'refurbished'],
    ['Odnowiony', 'refurbished'],
    ['Generalüberholt', 'refurbished'],
    ['Used - Very Good', 'used_good'],
    ['Używany - dobry', 'used_good'],
    ['Gebraucht - gut', 'used_good'],
    ['Used - Acceptable', 'used_fair'],
    ['Dostateczny', 'used_fair'],
    ['Gebraucht - akzeptabel', 'used_fair'],
    ['Damaged', 'damaged'],
    ['Uszkodzony', 'damaged'],
    ['Beschädigt', 'damaged'],
    ['Defekt', 'damaged'],
    ['Salvage', 'salvage'],
    ['For parts / not working', 'salvage'],
    ['Na części', 'salvage'],
    ['Ersatzteile', 'salvage'],
    ['Nicht funktionsfähig', 'salvage'],
    ['Nie działa', 'salvage'],
    ['Uninspected Returns', 'unknown'],
    ['Zwrot konsumencki', 'unknown'],
    ['Retoure', 'unknown'],
  ])('%s → %s', (text, grade) => {
    const r = parseCondition(text);
    expect(r.grade).toBe(grade);
    expect(r.recognised).toBe(true);
  });

  it('marks conventions as guesses', () => {
    expect(parseCondition('B-Ware')).toEqual({ grade: 'used_good', guessed: true, recognised: true });
    expect(parseCondition('Używany')).toEqual({ grade: 'used_good', guessed: true, recognised: true });
    expect(parseCondition('A')).toEqual({ grade: 'like_new', guessed: true, recognised: true });
    expect(parseCondition('New, damaged box')).toEqual({ grade: 'like_new', guessed: true, recognised: true });
  });

  it.each([
    ['Uszkodzony, otwarte opakowanie', 'damaged'],
    ['Geöffnet, defekt', 'damaged'],
    ['Opened, broken', 'damaged'],
    ['Jak nowy, uszkodzony', 'damaged'],
    ['Grade A - damaged', 'damaged'],
    ['Brand new - for parts', 'salvage'],
    ['Refurbished, used - acceptable', 'used_fair'],
  ])('takes the worst of the grades named and marks it guessed: %s → %s', (text, grade) => {
    expect(parseCondition(text)).toEqual({ grade, guessed: true, recognised: true });
  });

  it('does not count a return as a grade when the text also names one', () => {
    expect(parseCondition('Customer return - like new')).toEqual({ grade: 'like_new', guessed: false, recognised: true });
    expect(parseCondition('Zwrot, uszkodzony')).toEqual({ grade: 'damaged', guessed: false, recognised: true });
    expect(parseCondition('Used - Good')).toEqual({ grade: 'used_good', guessed: false, recognised: true });
  });

  it('reports unrecognised words instead of guessing', () => {
    expect(parseCondition('Category 7')).toEqual({ grade: 'unknown', guessed: false, recognised: false });
    expect(parseCondition('__proto__')).toEqual({ grade: 'unknown', guessed: false, recognised: false });
  });
});
