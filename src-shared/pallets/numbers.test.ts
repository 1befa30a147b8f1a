import { describe, expect, it } from 'vitest';
import { detectCurrency, grossFromNet, inferDecimalSeparator, netFromGross, normaliseCurrency, parseNumber, parseVatRate } from './numbers';

const nb = '\u00a0';

describe('parseNumber', () => {
  it.each([
    ['1 234,56 zł', 1234.56, 'PLN'],
    [`1${nb}234,56${nb}zł`, 1234.56, 'PLN'],
    ['1\u202f234,56 PLN', 1234.56, 'PLN'],
    ['12,50', 12.5, null],
    ['1,234.56', 1234.56, null],
    ['€ 12', 12, 'EUR'],
    ['1.234,56 EUR', 1234.56, 'EUR'],
    ['$1,234,567.89', 1234567.89, 'USD'],
    ['£7.5', 7.5, 'GBP'],
    ["1'234.50 CHF", 1234.5, 'CHF'],
    ['12,-', 12, null],
    ['(12.00)', -12, null],
    ['-15,00', -15, null],
    ['−3,5', -3.5, null],
    ['1.2E+3', 1200, null],
    ['0,5', 0.5, null],
    ['1.234.567', 1234567, null],
    ['42', 42, null],
  ])('%s → %d', (input, value, currency) => {
    const r = parseNumber(input);
    expect(r).not.toBeNull();
    expect(r?.value).toBeCloseTo(value, 6);
    expect(r?.currency).toBe(currency);
  });

  it('passes numbers through and rejects non-finite ones', () => {
    expect(parseNumber(3.25)).toEqual({ value: 3.25, currency: null, ambiguous: false });
    expect(parseNumber(Number.NaN)).toBeNull();
  });

  it.each(['brak', 'n/a', '', '   ', '12 x 3', '1,2,3,4', '1.23.4', 'abc 12', '12 szt.', '(12', '9'.repeat(400), '1e999'])('rejects %j', (input) => {
    expect(parseNumber(input)).toBeNull();
  });

  it('flags a lone separator before three digits as ambiguous and follows the column hint', () => {
    expect(parseNumber('1,234')).toEqual({ value: 1.234, currency: null, ambiguous: true });
    expect(parseNumber('1,234', ',')).toEqual({ value: 1.234, currency: null, ambiguous: false });
    expect(parseNumber('1,234', '.')).toEqual({ value: 1234, currency: null, ambiguous: false });
    expect(parseNumber('1.234', ',')?.value).toBe(1234);
    expect(parseNumber('1.234', '.')?.value).toBe(1.234);
    // Not ambiguous: a zero integer part or more than three digits before the separator.
    expect(parseNumber('0,123')?.ambiguous).toBe(false);
    expect(parseNumber('1234,567')?.value).toBe(1234.567);
  });

  it('does not read letters around a currency word as a currency', () => {
    expect(detectCurrency('Soft toy')).toBeNull();
    expect(detectCurrency('Cena netto (PLN)')).toBe('PLN');
    expect(detectCurrency('Preis in EUR')).toBe('EUR');
    expect(detectCurrency('Wartość zł')).toBe('PLN');
  });
});

describe('inferDecimalSeparator', () => {
  it('reads the column style from unambiguous samples', () => {
    expect(inferDecimalSeparator(['12,50', '1 234,56 zł', '7'])).toBe(',');
    expect(inferDecimalSeparator(['12.5', '1,234.56'])).toBe('.');
    expect(inferDecimalSeparator(['1.234.567'])).toBe(',');
    expect(inferDecimalSeparator(['1,234', '3'])).toBeNull();
  });
});

describe('currency and VAT', () => {
  it('normalises currency cells', () => {
    expect(normaliseCurrency('zł')).toBe('PLN');
    expect(normaliseCurrency('Euro')).toBe('EUR');
    expect(normaliseCurrency('usd')).toBe('USD');
    expect(normaliseCurrency('SEK')).toBe('SEK');
    expect(normaliseCurrency('XYZ')).toBe('XYZ');
    expect(normaliseCurrency('dollars please')).toBeNull();
  });

  it('reads VAT rates as percentages', () => {
    expect(parseVatRate('23%')).toBe(23);
    expect(parseVatRate('8 %')).toBe(8);
    expect(parseVatRate(0.23)).toBe(23);
    expect(parseVatRate('0,05')).toBe(5);
    expect(parseVatRate(19)).toBe(19);
    expect(parseVatRate('zw')).toBe(0);
    expect(parseVatRate('ZW.')).toBe(0);
    expect(parseVatRate('np')).toBe(0);
    expect(parseVatRate('MwSt 7%')).toBe(7);
    expect(parseVatRate('150')).toBeNull();
    expect(parseVatRate('-5')).toBeNull();
    expect(parseVatRate('abc')).toBeNull();
  });

  it('converts net and gross both ways with the VAT rate', () => {
    expect(grossFromNet(100, 23)).toBe(123);
    expect(netFromGross(123, 23)).toBe(100);
    expect(grossFromNet(0.035, 23)).toBe(0.0431);
    expect(netFromGross(grossFromNet(1234.56, 8), 8)).toBeCloseTo(1234.56, 3);
  });
});
