import { describe, expect, it } from 'vitest';
import { foldText } from './fold';

describe('foldText', () => {
  it('folds Polish letters, ł and Ł included', () => {
    expect(foldText('Zażółć GĘŚLĄ jaźń')).toBe('zazolc gesla jazn');
    expect(foldText('Łódź, ŁÓDŹ')).toBe('lodz, lodz');
  });

  it('folds German umlauts and both forms of sharp s', () => {
    expect(foldText('Größe über Äpfel')).toBe('grosse uber apfel');
    expect(foldText('GROẞE STRAßE')).toBe('grosse strasse');
  });

  it('folds Czech and Slovak letters', () => {
    expect(foldText('Příliš žluťoučký kůň úpěl ďábelské ódy')).toBe('prilis zlutoucky kun upel dabelske ody');
    expect(foldText('Ľúbostná päť ôsmich, ĹŔŇ')).toBe('lubostna pat osmich, lrn');
  });

  it('folds letters that do not decompose: ø æ œ ð þ đ ħ ŧ ı', () => {
    expect(foldText('Øster Æble Œuvre')).toBe('oster aeble oeuvre');
    expect(foldText('Ðað Þór Đorđe Ħal ŧ ı')).toBe('dad thor dorde hal t i');
  });

  it('folds compatibility forms and Turkish dotted capital I', () => {
    expect(foldText('m² ﬁlter ＡＢ Ⓐ')).toBe('m2 filter ab a');
    expect(foldText('İstanbul')).toBe('istanbul');
  });

  it('lower-cases ASCII and leaves other scripts alone', () => {
    expect(foldText('Ext. Retail 12%')).toBe('ext. retail 12%');
    expect(foldText('日本語')).toBe('日本語');
  });
});
