import { describe, expect, it } from 'vitest';
import { validateSyncForm, type SyncFormValues } from './validate';

const base: SyncFormValues = { serverUrl: 'postgres://db.example:5432/fieldmate', user: 'anna_k', password: '', enabled: true, intervalMinutes: 15, allowInsecure: false };

describe('validateSyncForm', () => {
  it('accepts a complete form with a saved password', () => {
    expect(validateSyncForm(base, true, 'save')).toEqual({});
    expect(validateSyncForm({ ...base, serverUrl: 'postgresql://[::1]/fm?sslmode=require' }, true, 'test')).toEqual({});
  });

  it('needs every field to turn sync on or to test, but not to save it switched off', () => {
    const empty = { ...base, serverUrl: '', user: '', enabled: false };
    expect(validateSyncForm(empty, false, 'save')).toEqual({});
    expect(validateSyncForm({ ...empty, enabled: true }, false, 'save')).toEqual({
      serverUrl: 'sync.validation.urlRequired',
      user: 'sync.validation.userRequired',
      password: 'sync.validation.passwordRequired',
    });
    expect(validateSyncForm(empty, false, 'test')).toMatchObject({ password: 'sync.validation.passwordRequired' });
    expect(validateSyncForm({ ...base, password: 'typed' }, false, 'save')).toEqual({});
  });

  it('explains a bad address the way the main process would refuse it', () => {
    const url = (serverUrl: string) => validateSyncForm({ ...base, serverUrl }, true, 'save').serverUrl;
    expect(url('db.example:5432')).toBe('sync.validation.urlScheme');
    expect(url('not a url')).toBe('sync.validation.urlInvalid');
    expect(url('https://db.example/fieldmate')).toBe('sync.validation.urlScheme');
    expect(url('postgres://anna:secret@db.example/fieldmate')).toBe('sync.validation.urlHasCredentials');
    expect(url('postgres://anna@db.example/fieldmate')).toBe('sync.validation.urlHasCredentials');
    expect(url('postgres://db.example:5432')).toBe('sync.validation.urlNeedsDatabase');
    expect(url('postgres://db.example:5432/')).toBe('sync.validation.urlNeedsDatabase');
    expect(url('postgres://db.example:5432/fm?sslmode=disable')).toBe('sync.validation.urlUnencrypted');
    expect(url('postgres://127.0.0.1:5432/fm?sslmode=disable')).toBeUndefined();
    expect(validateSyncForm({ ...base, serverUrl: 'postgres://db.example/fm?sslmode=disable', allowInsecure: true }, true, 'save').serverUrl).toBeUndefined();
  });

  it('checks the user name and the interval', () => {
    expect(validateSyncForm({ ...base, user: 'anna k' }, true, 'save').user).toBe('sync.validation.userInvalid');
    expect(validateSyncForm({ ...base, user: 'a'.repeat(64) }, true, 'save').user).toBe('sync.validation.userInvalid');
    for (const intervalMinutes of ['', 0, 1441, 2.5]) {
      expect(validateSyncForm({ ...base, intervalMinutes }, true, 'save').intervalMinutes).toBe('sync.validation.interval');
    }
    expect(validateSyncForm({ ...base, intervalMinutes: 0 }, true, 'test').intervalMinutes).toBeUndefined();
  });
});
