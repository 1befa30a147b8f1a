import crypto from 'node:crypto';

/**
 * A PostgreSQL SCRAM-SHA-256 verifier computed here, so `CREATE ROLE … PASSWORD` carries the verifier
 * (which PostgreSQL stores as it is) and never the password: the clear text then appears in no SQL
 * text, server log (`log_statement`), `pg_stat_activity` or network capture of the admin session.
 * Format (PostgreSQL's `scram_build_secret`): `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`.
 */
export const SCRAM_ITERATIONS = 4096;

/**
 * SASLprep as the pg driver does it (RFC 4013's mapping and NFKC; the prohibition checks are skipped
 * there too): the sync client derives its key from this form, so the verifier must as well.
 */
const NON_ASCII_SPACE = /[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/g;
/** RFC 3454 table B.1 ("commonly mapped to nothing"): joiners and variation selectors among them. */
const MAPPED_TO_NOTHING = new Set([0xad, 0x34f, 0x1806, 0x180b, 0x180c, 0x180d, 0x200c, 0x200d, 0x2060, 0xfeff, ...Array.from({ length: 16 }, (_, i) => 0xfe00 + i)]);

function saslprep(password: string): string {
  const mapped = Array.from(password.replace(NON_ASCII_SPACE, ' '))
    .filter((ch) => !MAPPED_TO_NOTHING.has(ch.codePointAt(0) ?? 0))
    .join('');
  return mapped.normalize('NFKC');
}

export function scramSha256Verifier(password: string, options: { salt?: Buffer; iterations?: number } = {}): string {
  const salt = options.salt ?? crypto.randomBytes(16);
  const iterations = options.iterations ?? SCRAM_ITERATIONS;
  const salted = crypto.pbkdf2Sync(Buffer.from(saslprep(password), 'utf8'), salt, iterations, 32, 'sha256');
  const hmac = (key: Buffer, text: string) => crypto.createHmac('sha256', key).update(text).digest();
  const storedKey = crypto.createHash('sha256').update(hmac(salted, 'Client Key')).digest();
  const serverKey = hmac(salted, 'Server Key');
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
