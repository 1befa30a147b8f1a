import { describe, expect, it } from 'vitest';
import { gtinCheckDigitValid, isAsin, isFnsku, normaliseEan } from './ean';

describe('EAN / UPC validation', () => {
  it.each(['5901234123457', '4006381333931', '96385074', '036000291452', '10012345678902'])('accepts valid %s', (code) => {
    expect(gtinCheckDigitValid(code)).toBe(true);
    expect(normaliseEan(code)).toEqual({ ok: true, value: code });
  });

  it('accepts numbers from xlsx cells', () => {
    expect(normaliseEan(5901234123457)).toEqual({ ok: true, value: '5901234123457' });
  });

  it('restores a leading zero lost by the spreadsheet, as a guess', () => {
    const r = normaliseEan(36000291452);
    expect(r).toMatchObject({ ok: true, value: '036000291452', guessed: { code: 'ean_leading_zero' } });
  });

  it('strips spaces, hyphens, an apostrophe and a trailing .0', () => {
    expect(normaliseEan('590 1234 12345 7')).toMatchObject({ ok: true, value: '5901234123457' });
    expect(normaliseEan("'5901234123457")).toMatchObject({ ok: true, value: '5901234123457' });
    expect(normaliseEan('5901234123457.0')).toMatchObject({ ok: true, value: '5901234123457' });
  });

  it('rejects wrong check digits, lengths, letters and scientific notation with a reason', () => {
    expect(normaliseEan('5901234123458')).toMatchObject({ ok: false, code: 'ean_checksum' });
    expect(normaliseEan('12345')).toMatchObject({ ok: false, code: 'ean_length' });
    expect(normaliseEan('59012341234AB')).toMatchObject({ ok: false, code: 'ean_length' });
    expect(normaliseEan('5.90123E+12')).toMatchObject({ ok: false, code: 'ean_scientific' });
    expect(normaliseEan(12.5)).toMatchObject({ ok: false });
    expect(normaliseEan('   ')).toBeNull();
  });

  it('recognises ASIN and FNSKU shapes', () => {
    expect(isAsin('B07XJ8C8F5')).toBe(true);
    expect(isAsin('0306406152')).toBe(true);
    expect(isAsin('B07XJ8C8F')).toBe(false);
    expect(isFnsku('X002ABC123')).toBe(true);
    expect(isFnsku('B07XJ8C8F5')).toBe(false);
  });
});
