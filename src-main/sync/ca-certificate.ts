import { X509Certificate } from 'node:crypto';
import { AppError } from '@shared/contract/errors';
import type { SyncCaCertificate } from '@shared/contract/sync';
import type { Db } from '../db/open';
import { readSyncConfig, writeSyncConfig } from './config';
import type { SecretStore } from './secrets';

/** Name of the CA certificate in the secret store (the OS keyring when there is one). */
export const SYNC_CA_SECRET = 'sync.caCertificate';

const MAX_PEM_CHARS = 64 * 1024;

/** Checks that `pem` holds at least one certificate and describes the first one (for the settings form). */
export function describeCaCertificate(pem: string): Omit<SyncCaCertificate, 'inKeychain'> {
  const text = pem.trim();
  if (text.length > MAX_PEM_CHARS || !text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new AppError('VALIDATION', 'The CA file is not a PEM certificate (it should start with -----BEGIN CERTIFICATE-----).');
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(text);
  } catch {
    throw new AppError('VALIDATION', 'The CA file could not be read as a certificate.');
  }
  return {
    subject: cert.subject.replaceAll('\n', ', ').slice(0, 300),
    issuer: cert.issuer.replaceAll('\n', ', ').slice(0, 300),
    validTo: new Date(cert.validTo).getTime(),
    fingerprint: cert.fingerprint256,
  };
}

/**
 * The CA the sync connection trusts: from the secret store when it keeps secrets across restarts
 * (so another program that can write the settings cannot swap it silently), else from the settings.
 */
export async function readCaCertificate(db: Db, secrets: SecretStore): Promise<{ pem: string; inKeychain: boolean } | null> {
  const kept = await secrets.get(SYNC_CA_SECRET).catch(() => null);
  if (kept) return { pem: kept, inKeychain: secrets.persistent };
  const stored = readSyncConfig(db).caCertificate;
  return stored ? { pem: stored, inKeychain: false } : null;
}

/** Stores (or, with null, removes) the CA: in the keyring where possible, in the settings otherwise. */
export async function storeCaCertificate(db: Db, secrets: SecretStore, pem: string | null): Promise<void> {
  if (pem === null) {
    await secrets.delete(SYNC_CA_SECRET);
    writeSyncConfig(db, { caCertificate: null });
    return;
  }
  const text = pem.trim();
  describeCaCertificate(text);
  if (secrets.persistent) {
    try {
      await secrets.set(SYNC_CA_SECRET, text);
      writeSyncConfig(db, { caCertificate: null });
      return;
    } catch {
      // No usable keyring after all: a CA is public, so the settings are an acceptable place for it.
    }
  }
  await secrets.delete(SYNC_CA_SECRET);
  writeSyncConfig(db, { caCertificate: text });
}
