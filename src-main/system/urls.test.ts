import { describe, expect, it } from 'vitest';
import { validateExternalUrl } from './urls';

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
