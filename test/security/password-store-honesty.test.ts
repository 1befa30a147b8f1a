import { afterAll, describe, expect, it } from 'vitest';
import { encryptedSecretStore, type SecretCipher } from '@main/sync/secrets';
import { SyncService } from '@main/sync/sync-service';
import { en } from '@renderer/features/sync/locales-en';
import { pl } from '@renderer/features/sync/locales-pl';
import { openDevice } from '../sync/helpers';

// Issue 13 item 9: on Linux without a keyring, Electron's safeStorage encrypts with a fixed key
// ("basic_text"). The sync settings must say so instead of "saved (encrypted)".
const devices: Array<{ close(): void }> = [];
afterAll(() => {
  for (const d of devices) d.close();
});

/** A reversible stand-in for safeStorage (the real one needs Electron); `fixedKey` is what the glue reports. */
function cipher(fixedKey: boolean | undefined): SecretCipher {
  const flip = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  return {
    available: () => true,
    encrypt: (plain) => flip(Buffer.from(plain, 'utf8')),
    decrypt: (blob) => flip(blob).toString('utf8'),
    ...(fixedKey === undefined ? {} : { fixedKey: () => fixedKey }),
  };
}

async function configured(fixedKey: boolean | undefined) {
  const device = openDevice();
  devices.push(device);
  const svc = new SyncService({ db: device.db, secrets: encryptedSecretStore(device.db, cipher(fixedKey)), isOnline: () => false, log: () => {}, emit: () => {} });
  const before = await svc.getConfig();
  const after = await svc.configure({ serverUrl: 'postgres://127.0.0.1:5432/fieldmate', user: 'alice', password: 'correct horse' });
  return { before, after };
}

describe('sync password store', () => {
  it('reports a fixed-key store as weakly encrypted, before and after a password is saved', async () => {
    const { before, after } = await configured(true);
    expect(before).toMatchObject({ hasPassword: false, passwordPersistent: true, passwordWeaklyEncrypted: true });
    expect(after).toMatchObject({ hasPassword: true, passwordPersistent: true, passwordWeaklyEncrypted: true });
  });

  it('reports an OS keyring (or a cipher that does not say) as proper encryption', async () => {
    expect((await configured(false)).after.passwordWeaklyEncrypted).toBe(false);
    expect((await configured(undefined)).after.passwordWeaklyEncrypted).toBe(false);
  });

  it('has a message in both languages that does not call a fixed key encrypted storage', () => {
    for (const locale of [en, pl]) {
      expect(locale.settings.passwordSavedWeak.length).toBeGreaterThan(40);
      expect(locale.settings.passwordWillWeak.length).toBeGreaterThan(40);
    }
    expect(en.settings.passwordSavedWeak).toMatch(/fixed key/);
    expect(pl.settings.passwordSavedWeak).toMatch(/stałym kluczem/);
  });
});
