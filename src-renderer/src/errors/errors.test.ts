import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@shared/contract/errors';
import { resources } from '../i18n/resources';
import { ERROR_COLORS, errorTextKeys, errorTextsEn, errorTextsPl, type ErrorTexts } from './error-texts';
import { ApiError, toUiError } from './ui-error';

async function translator(lng: 'en' | 'pl') {
  const instance = i18next.createInstance();
  await instance.init({ resources, lng, fallbackLng: false, interpolation: { escapeValue: false } });
  return instance.t.bind(instance);
}

describe('error texts', () => {
  it('give every contract error code a title, a hint and a colour in English and Polish', () => {
    for (const code of ErrorCode.options) {
      for (const texts of [errorTextsEn, errorTextsPl]) {
        expect(texts[code].title.trim(), code).not.toBe('');
        expect(texts[code].hint.trim(), code).not.toBe('');
      }
      expect(errorTextsPl[code].title, code).not.toBe(errorTextsEn[code].title);
      expect(ERROR_COLORS[code], code).toBeTruthy();
    }
    expect(Object.keys(errorTextsEn).sort()).toEqual([...ErrorCode.options].sort());
  });

  it('do not compile without a text for some code', () => {
    // @ts-expect-error a map missing codes (here all but one) is a type error: the translation is required
    const incomplete: ErrorTexts = { VALIDATION: { title: 'x', hint: 'y' } };
    expect(Object.keys(incomplete)).toHaveLength(1);
  });

  it('resolve through i18next for every code, with a screen’s own wording first where it has one', async () => {
    for (const lng of ['en', 'pl'] as const) {
      const t = await translator(lng);
      const shared = lng === 'en' ? errorTextsEn : errorTextsPl;
      for (const code of ErrorCode.options) {
        const keys = errorTextKeys(code);
        expect(t(keys.title)).toBe(shared[code].title);
        expect(t(keys.hint)).toBe(shared[code].hint);
      }
      const sync = errorTextKeys('UNAVAILABLE', 'sync.panel');
      expect(t(sync.title)).not.toBe(shared.UNAVAILABLE.title);
      expect(t(sync.title)).toMatch(lng === 'en' ? /retry automatically/ : /ponowi się automatycznie/);
      expect(t(errorTextKeys('FORBIDDEN', 'sync.panel').title)).toBe(shared.FORBIDDEN.title);
    }
  });
});

describe('toUiError', () => {
  it('keeps a contract code and the core’s sentence', () => {
    expect(toUiError(new ApiError('SYNC_ERROR', 'The server refused the password.'))).toEqual({ code: 'SYNC_ERROR', message: 'The server refused the password.' });
    expect(toUiError(new ApiError('FORBIDDEN', 'No.'))).toEqual({ code: 'FORBIDDEN', message: 'No.' });
  });

  it('turns an unknown code, a plain Error or a thrown value into INTERNAL', () => {
    expect(toUiError(new ApiError('FROM_A_NEWER_HOST', 'Something new.'))).toEqual({ code: 'INTERNAL', message: 'Something new.' });
    expect(toUiError(new TypeError('x is undefined'))).toEqual({ code: 'INTERNAL', message: 'x is undefined' });
    expect(toUiError('plain text')).toEqual({ code: 'INTERNAL', message: 'plain text' });
  });
});
