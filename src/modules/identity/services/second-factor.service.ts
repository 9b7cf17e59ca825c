import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Secret, TOTP } from 'otpauth';
import type { Config } from '../../../config';
import { AppError } from '../../../kernel/errors';
import { executor, inTransaction, type Execute } from '../../../kernel/sql';
import { sha256Hex } from './otp-crypto';

/** Consecutive wrong codes before the second factor locks, and for how long. */
export const SECOND_FACTOR_MAX_FAILURES = 5;
export const SECOND_FACTOR_LOCK_MINUTES = 15;
export const RECOVERY_CODE_COUNT = 10;
const PERIOD = 30;

export interface Caller {
  userId: string;
  sid: string;
}

export type SecondFactorProof = { code: string } | { recovery_code: string };

const invalid = () => new AppError('INVALID_SECOND_FACTOR', 'The code is wrong, expired or already used', 401);
const locked = (until: Date) =>
  new AppError('SECOND_FACTOR_LOCKED', `Too many wrong codes; try again after ${until.toISOString()}`, 429, { locked_until: until.toISOString() });

/** A recovery code as shown (xxxx-xxxx-xxxx) and how it is compared (lower case, no separators). */
const newRecoveryCode = () =>
  randomBytes(6)
    .toString('hex')
    .replace(/(.{4})(?=.)/g, '$1-');
const normalise = (code: string) => code.toLowerCase().replace(/[^0-9a-f]/g, '');

/**
 * Admins' second factor: TOTP (RFC 6238, SHA-1, 6 digits, 30 s, one step of drift) through
 * `otpauth`, with single-use recovery codes. A verified factor is recorded on the session
 * (`second_factor_at`): admin routes need one, money routes need one within ADMIN_STEP_UP_MINUTES.
 */
export class SecondFactorService {
  private readonly key: Buffer;

  constructor(private readonly deps: { orm: MikroORM; config: Config }) {
    this.key = Buffer.from(hkdfSync('sha256', deps.config.OTP_HASH_SECRET, 'stationflow', 'admin totp secret', 32));
  }

  /** Starts (or restarts) an enrolment: a new secret and its otpauth:// URI. Refused once one is confirmed. */
  async enrol(caller: Caller): Promise<{ secret: string; otpauth_uri: string; issuer: string; account: string }> {
    const tx = executor(this.deps.orm);
    const [current] = await tx(`select confirmed_at from admin_totp where user_id = ?`, [caller.userId]);
    if (current?.confirmed_at) throw new AppError('SECOND_FACTOR_ALREADY_ENROLLED', 'A second factor is already set up for this account', 409);
    const [user] = await tx(`select coalesce(email, username, phone, id::text) as account from users where id = ?`, [caller.userId]);
    const secret = new Secret({ size: 20 });
    await tx(
      `insert into admin_totp (user_id, secret_enc) values (?, ?)
       on conflict (user_id) do update set secret_enc = excluded.secret_enc, failed_attempts = 0, locked_until = null, last_counter = null, updated_at = now()`,
      [caller.userId, this.encrypt(secret.base32)],
    );
    const totp = this.totp(secret, String(user.account));
    return { secret: secret.base32, otpauth_uri: totp.toString(), issuer: this.deps.config.ADMIN_TOTP_ISSUER, account: String(user.account) };
  }

  /** Confirms the enrolment with a first code: the factor is on, this session verified, recovery codes shown once. */
  async confirm(caller: Caller, code: string): Promise<{ recovery_codes: string[]; second_factor_at: string }> {
    const outcome = await inTransaction(this.deps.orm, async (tx) => {
      const [row] = await tx(`select * from admin_totp where user_id = ? for update`, [caller.userId]);
      if (!row || row.confirmed_at) return { error: new AppError('SECOND_FACTOR_NOT_PENDING', 'Start the set-up first (POST /auth/2fa/enroll)', 409) };
      const error = await this.checkCode(tx, row, code);
      if (error) return { error };
      await tx(`update admin_totp set confirmed_at = now() where user_id = ?`, [caller.userId]);
      const codes = await this.replaceRecoveryCodes(tx, caller.userId);
      return { codes, at: await this.markSession(tx, caller) };
    });
    if ('error' in outcome) throw outcome.error;
    return { recovery_codes: outcome.codes, second_factor_at: outcome.at };
  }

  /** Verifies a TOTP code or a recovery code (spent) and records it on the session. */
  async verify(caller: Caller, proof: SecondFactorProof): Promise<{ second_factor_at: string; method: 'totp' | 'recovery_code' }> {
    const outcome = await inTransaction(this.deps.orm, async (tx) => {
      const [row] = await tx(`select * from admin_totp where user_id = ? for update`, [caller.userId]);
      if (!row?.confirmed_at) return { error: new AppError('SECOND_FACTOR_NOT_ENROLLED', 'Set up a second factor first (POST /auth/2fa/enroll)', 409) };
      const error = 'code' in proof ? await this.checkCode(tx, row, proof.code) : await this.checkRecoveryCode(tx, row, proof.recovery_code);
      if (error) return { error };
      return { at: await this.markSession(tx, caller) };
    });
    if ('error' in outcome) throw outcome.error;
    return { second_factor_at: outcome.at, method: 'code' in proof ? 'totp' : 'recovery_code' };
  }

  /** New recovery codes (the old ones stop working), shown once. */
  async regenerateRecoveryCodes(userId: string): Promise<{ recovery_codes: string[] }> {
    return { recovery_codes: await inTransaction(this.deps.orm, (tx) => this.replaceRecoveryCodes(tx, userId)) };
  }

  /** Whether the admin has a confirmed second factor. */
  async isEnrolled(userId: string): Promise<boolean> {
    const [row] = await executor(this.deps.orm)(`select 1 from admin_totp where user_id = ? and confirmed_at is not null`, [userId]);
    return Boolean(row);
  }

  private totp(secret: Secret, account = 'admin') {
    return new TOTP({ issuer: this.deps.config.ADMIN_TOTP_ISSUER, label: account, algorithm: 'SHA1', digits: 6, period: PERIOD, secret });
  }

  /** A code of the current step (±1) newer than the last accepted one; failures count toward the lock. */
  private async checkCode(tx: Execute, row: Record<string, unknown>, code: string): Promise<AppError | undefined> {
    if (row.locked_until && new Date(row.locked_until as string) > new Date()) return locked(new Date(row.locked_until as string));
    const totp = this.totp(Secret.fromBase32(this.decrypt(String(row.secret_enc))));
    const delta = /^\d{6}$/.test(code) ? totp.validate({ token: code, window: 1 }) : null;
    const counter = delta === null ? null : TOTP.counter({ period: PERIOD }) + delta;
    if (counter === null || (row.last_counter !== null && counter <= Number(row.last_counter))) return this.fail(tx, String(row.user_id));
    await tx(`update admin_totp set last_counter = ?, failed_attempts = 0, locked_until = null, updated_at = now() where user_id = ?`, [counter, row.user_id]);
    return undefined;
  }

  private async checkRecoveryCode(tx: Execute, row: Record<string, unknown>, code: string): Promise<AppError | undefined> {
    if (row.locked_until && new Date(row.locked_until as string) > new Date()) return locked(new Date(row.locked_until as string));
    const spent = await tx(`update admin_recovery_codes set used_at = now() where user_id = ? and code_hash = ? and used_at is null returning id`, [
      row.user_id,
      sha256Hex(normalise(code)),
    ]);
    if (spent.length === 0) return this.fail(tx, String(row.user_id));
    await tx(`update admin_totp set failed_attempts = 0, locked_until = null, updated_at = now() where user_id = ?`, [row.user_id]);
    return undefined;
  }

  /** Counts a wrong code; the last allowed one locks the factor. The transaction commits before the refusal is thrown. */
  private async fail(tx: Execute, userId: string): Promise<AppError> {
    const [row] = await tx(
      `update admin_totp set failed_attempts = case when failed_attempts + 1 >= ? then 0 else failed_attempts + 1 end,
         locked_until = case when failed_attempts + 1 >= ? then now() + make_interval(mins => ?) else null end, updated_at = now()
       where user_id = ? returning locked_until`,
      [SECOND_FACTOR_MAX_FAILURES, SECOND_FACTOR_MAX_FAILURES, SECOND_FACTOR_LOCK_MINUTES, userId],
    );
    return row?.locked_until ? locked(new Date(row.locked_until)) : invalid();
  }

  private async replaceRecoveryCodes(tx: Execute, userId: string): Promise<string[]> {
    await tx(`delete from admin_recovery_codes where user_id = ?`, [userId]);
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    for (const code of codes) {
      await tx(`insert into admin_recovery_codes (id, user_id, code_hash) values (?, ?, ?)`, [randomUUID(), userId, sha256Hex(normalise(code))]);
    }
    return codes;
  }

  private async markSession(tx: Execute, caller: Caller): Promise<string> {
    const [row] = await tx(`update auth_sessions set second_factor_at = now() where id = ? and user_id = ? returning second_factor_at`, [
      caller.sid,
      caller.userId,
    ]);
    return new Date(row.second_factor_at).toISOString();
  }

  private encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  private decrypt(stored: string): string {
    const [, iv, tag, body] = stored.split('.');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}
