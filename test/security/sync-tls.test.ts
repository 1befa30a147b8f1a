import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '@shared/contract/errors';
import { connectServer, parseServerUrl } from '@main/sync/connection';
import { readSyncConfig } from '@main/sync/config';
import { encryptedSecretStore, envSecretStore } from '@main/sync/secrets';
import { adminConnectionString, setupServer } from '@main/sync/server/setup';
import { SyncService } from '@main/sync/sync-service';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { openDevice, syncServer, tempDir, type SyncServer } from '../sync/helpers';

/**
 * TLS to the team server, against a real PostgreSQL started with `ssl=on` and a certificate that
 * openssl makes for this test (a CA, and a server certificate for `localhost` and this machine's
 * non-loopback address). Failures are read as the person sees them: the message of testConnection.
 */
const lanAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

interface Pki {
  ca: string;
  otherCa: string;
  cert: string;
  key: string;
}

function makePki(dir: string): Pki {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ecKey, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Fieldmate Test CA');
  openssl('req', '-x509', ...ecKey, '-keyout', 'other.key', '-out', 'other.crt', '-days', '2', '-subj', '/CN=Someone Else CA');
  openssl('req', ...ecKey, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  const names = ['DNS:localhost', ...(lanAddress ? [`IP:${lanAddress}`] : [])];
  fs.writeFileSync(path.join(dir, 'ext.cnf'), `subjectAltName=${names.join(',')}\nextendedKeyUsage=serverAuth\n`);
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'ext.cnf');
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
  return { ca: read('ca.crt'), otherCa: read('other.crt'), cert: read('server.crt'), key: read('server.key') };
}

let dir: string;
let pki: Pki;
let pgs: TestPostgres;
let srv: SyncServer & { roles: Record<string, string> };
const devices: { close(): void }[] = [];

beforeAll(async () => {
  dir = tempDir('fieldmate-tls-');
  pki = makePki(dir);
  pgs = await startTestPostgres({ tls: { cert: pki.cert, key: pki.key, listen: lanAddress ? [lanAddress] : [] } });
  srv = await syncServer(pgs, { alice: 'A' });
});
afterAll(async () => {
  for (const d of devices) d.close();
  await pgs?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A sync service over a fresh store, set up as the settings form would (CA and insecure choice included). */
async function service(settings: { url: string; caCertificate?: string; allowInsecure?: boolean }): Promise<SyncService> {
  const device = openDevice();
  devices.push(device);
  const svc = new SyncService({ db: device.db, secrets: envSecretStore({}), isOnline: () => true, log: () => {}, emit: () => {} });
  await svc.configure({
    serverUrl: settings.url,
    user: srv.roles.alice!,
    password: srv.passwords.alice!,
    allowInsecure: settings.allowInsecure ?? false,
    ...(settings.caCertificate ? { caCertificate: settings.caCertificate } : {}),
  });
  return svc;
}

const url = (host: string, query = '') => `postgres://${host}:${pgs.port}/${srv.database}${query}`;
/** One sentence: no line break, one final full stop after the last word. */
const oneSentence = /^[^\n]{10,300}\.$/;

describe('TLS mode chosen from the address', () => {
  it('verifies certificate and host name for every host that is not loopback, and refuses plain connections there', () => {
    const remote = parseServerUrl('postgres://db.example.com:5432/fieldmate');
    expect(remote.tlsMode).toBe('verify-full');
    expect(remote.ssl).toMatchObject({ rejectUnauthorized: true });
    expect(parseServerUrl('postgres://db.example.com/fieldmate?sslmode=require').tlsMode).toBe('verify-full');
    expect(parseServerUrl('postgres://db.example.com/fieldmate?sslmode=prefer&x=1', { allowInsecure: false }).tlsMode).toBe('verify-full');
    const refused = (() => {
      try {
        parseServerUrl('postgres://db.example.com/fieldmate?sslmode=disable');
        return null;
      } catch (error) {
        return error;
      }
    })();
    expect(isAppError(refused) && refused.message).toMatch(/Unencrypted connections to db\.example\.com are refused/);
    expect(parseServerUrl('postgres://db.example.com/fieldmate?sslmode=disable', { allowInsecure: true }).ssl).toBe(false);
    expect(parseServerUrl('postgres://127.0.0.1/fieldmate').ssl).toBe(false);
    expect(parseServerUrl('postgres://localhost/fieldmate?sslmode=verify-full').tlsMode).toBe('verify-full');
  });
});

describe('where the CA certificate is kept', () => {
  it('in the OS keyring when the secret store has one, in the sync settings otherwise; a file that is no certificate is refused', async () => {
    const device = openDevice();
    devices.push(device);
    // A stand-in for Electron's safeStorage (the real one needs Electron): reversible, and visibly so.
    const cipher = { available: () => true, encrypt: (plain: string) => Buffer.from(`enc:${plain}`), decrypt: (blob: Buffer) => blob.toString().slice(4) };
    const keyring = new SyncService({ db: device.db, secrets: encryptedSecretStore(device.db, cipher), isOnline: () => true, log: () => {}, emit: () => {} });
    const saved = await keyring.configure({ caCertificate: pki.ca });
    expect(saved.caCertificate).toMatchObject({ subject: 'CN=Fieldmate Test CA', inKeychain: true });
    expect(readSyncConfig(device.db).caCertificate).toBeNull();
    const settingsText = JSON.stringify(device.db.$client.prepare("SELECT value_json FROM settings WHERE key = 'sync'").get());
    expect(settingsText).not.toContain('BEGIN CERTIFICATE');

    const plain = new SyncService({ db: device.db, secrets: envSecretStore({}), isOnline: () => true, log: () => {}, emit: () => {} });
    expect((await plain.configure({ caCertificate: pki.otherCa })).caCertificate).toMatchObject({ subject: 'CN=Someone Else CA', inKeychain: false });
    expect(readSyncConfig(device.db).caCertificate).toContain('BEGIN CERTIFICATE');
    await expect(plain.configure({ caCertificate: 'not a certificate' })).rejects.toThrow(/not a PEM certificate/);
    expect((await plain.configure({ caCertificate: null })).caCertificate).toBeNull();
  });
});

describe('TLS to the embedded PostgreSQL with a test certificate', () => {
  it('a verified connection (verify-full, the given CA) works and is encrypted', async () => {
    const svc = await service({ url: url('localhost', '?sslmode=verify-full'), caCertificate: pki.ca });
    const result = await svc.testConnection();
    expect(result.message).toMatch(/^Connected to/);
    expect(result.ok).toBe(true);
    const conn = await connectServer({ url: url('localhost', '?sslmode=verify-full'), user: srv.roles.alice!, password: srv.passwords.alice!, caCertificate: pki.ca });
    try {
      const ssl = await conn.client.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      expect(ssl.rows[0]?.ssl).toBe(true);
    } finally {
      await conn.close();
    }
    expect((await svc.getConfig()).caCertificate).toMatchObject({ subject: 'CN=Fieldmate Test CA', inKeychain: false });
  });

  it('a certificate from another CA fails with one clear sentence', async () => {
    const svc = await service({ url: url('localhost', '?sslmode=verify-full'), caCertificate: pki.otherCa });
    const result = await svc.testConnection();
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/certificate of localhost:\d+\/\S+ is not signed by a trusted authority: add your team's CA certificate/);
    expect(result.message).toMatch(oneSentence);
  });

  it('a host name the certificate was not issued for fails with one clear sentence', async () => {
    // The certificate names localhost (and the LAN address), not 127.0.0.1.
    const svc = await service({ url: url('127.0.0.1', '?sslmode=verify-full'), caCertificate: pki.ca });
    const result = await svc.testConnection();
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/certificate of 127\.0\.0\.1:\d+\/\S+ was issued for another host name/);
    expect(result.message).toMatch(oneSentence);
  });

  it('an unsaved CA from the form overrides the saved one for a test', async () => {
    const svc = await service({ url: url('localhost', '?sslmode=verify-full'), caCertificate: pki.otherCa });
    expect((await svc.testConnection({ caCertificate: pki.ca })).ok).toBe(true);
  });

  it.skipIf(!lanAddress)('admin commands (server setup) verify TLS off loopback too; the CA comes as sslrootcert', async () => {
    const admin = new URL(pgs.adminUrl(srv.database));
    admin.hostname = lanAddress!;
    expect(adminConnectionString(admin.toString())).toMatch(/sslmode=verify-full/);
    expect(adminConnectionString(pgs.adminUrl(srv.database))).not.toMatch(/sslmode/);
    await expect(setupServer(admin.toString())).rejects.toThrow(/not signed by a trusted authority/);
    fs.writeFileSync(path.join(dir, 'team-ca.pem'), pki.ca);
    admin.searchParams.set('sslrootcert', path.join(dir, 'team-ca.pem'));
    expect(await setupServer(admin.toString())).toMatchObject({ applied: [] });
  });

  it.skipIf(!lanAddress)('a non-loopback address gets verify-full with no sslmode in it, and plain only with the insecure switch', async () => {
    const host = lanAddress!;
    const verified = await service({ url: url(host), caCertificate: pki.ca });
    expect((await verified.testConnection()).ok).toBe(true);

    // No CA given: Node's public CAs do not know the test CA, so the default really verifies.
    const unverified = await service({ url: url(host) });
    const refused = await unverified.testConnection();
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(/not signed by a trusted authority/);

    const svc = await service({ url: url(host), caCertificate: pki.ca });
    await expect(svc.configure({ serverUrl: url(host, '?sslmode=disable') })).rejects.toThrow(/Unencrypted connections to .* are refused/);
    const insecure = await service({ url: url(host, '?sslmode=disable'), allowInsecure: true });
    expect((await insecure.testConnection()).ok).toBe(true);
  });
});
