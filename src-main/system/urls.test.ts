import { describe, expect, it } from 'vitest';
import { isOwnUrl, validateExternalUrl } from './urls';

describe('external links', () => {
  it('accepts plain https links', () => {
    expect(validateExternalUrl('https://example.com/docs?a=1').hostname).toBe('example.com');
  });
  it.each(['http://example.com', 'file:///etc/passwd', 'javascript:alert(1)', 'https://user:pw@example.com', 'https://localhost/', 'not a url', 'smb://host/share'])(
    'refuses %s',
    (url) => {
      expect(() => validateExternalUrl(url)).toThrow(/https links|valid link/);
    },
  );
});

describe('own pages', () => {
  const file = '/opt/Fieldmate/resources/app.asar/out/renderer/index.html';
  it('recognises the built renderer and the dev server only', () => {
    expect(isOwnUrl(`file://${file}`, file, undefined)).toBe(true);
    expect(isOwnUrl(`file://${file}#/settings`, file, undefined)).toBe(true);
    expect(isOwnUrl('file:///etc/passwd', file, undefined)).toBe(false);
    expect(isOwnUrl('https://evil.example/', file, undefined)).toBe(false);
    expect(isOwnUrl('http://localhost:5173/#/coach', file, 'http://localhost:5173')).toBe(true);
    expect(isOwnUrl('http://localhost:5174/', file, 'http://localhost:5173')).toBe(false);
    expect(isOwnUrl('garbage', file, undefined)).toBe(false);
  });
});
