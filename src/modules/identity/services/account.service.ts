import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, Errors } from '../../../kernel/errors';
import type { Config } from '../../../config';
import { AccountClosureGuard } from './account-closure.guard';
import { AuthTokenService, type ClientMeta, type TokenPair } from './auth-token.service';
import { executor, inTransaction, isUniqueViolation, type Execute } from '../../../kernel/sql';
import { onUserRegistered, runAccountErasureSteps } from './user-lifecycle';
import { consumeVerificationToken } from './verification-token';
import { isoOrNull } from '../../../kernel/present';
import { isReservedUsername } from '../rules/username';

export interface PublicUser {
  id: string;
  username: string | null;
  phone: string | null;
  email: string | null;
  role: string;
  status: string;
  referred_by_code: string | null;
  created_at: string;
  last_login_at: string | null;
}

const USER_COLUMNS = 'id, username, phone, email, role, status, referred_by_code, created_at, last_login_at';

function toPublicUser(row: any): PublicUser {
  return {
    id: row.id,
    username: row.username,
    phone: row.phone,
    email: row.email,
    role: row.role,
    status: row.status,
    referred_by_code: row.referred_by_code,
    created_at: isoOrNull(row.created_at)!,
    last_login_at: isoOrNull(row.last_login_at),
  };
}

/** One answer for a taken and a reserved username, so a refusal does not confirm that an account has it. */
const usernameUnavailable = () => Errors.conflict('USERNAME_UNAVAILABLE', 'This username is not available; choose another');

/** Registration, login, the caller's account and its erasure. */
export class AccountService {
  private readonly tokens: AuthTokenService;

  constructor(private readonly deps: { orm: MikroORM; config: Config }) {
    this.tokens = new AuthTokenService(deps);
  }

  async register(input: { verificationToken: string; username: string; referralCode?: string }, meta: ClientMeta): Promise<TokenPair & { user: PublicUser }> {
    try {
      return await inTransaction(this.deps.orm, async (tx) => {
        const { identifier, channel } = await consumeVerificationToken(tx, input.verificationToken, 'register');
        const column = channel === 'sms' ? 'phone' : 'email';
        const [existing] = await tx(`select id from users where ${column} = ?`, [identifier]);
        if (existing) throw Errors.conflict('USER_ALREADY_EXISTS', 'An account with this phone or email already exists; log in instead');
        const [taken] = await tx(`select 1 from users where lower(username) = lower(?)`, [input.username]);
        if (taken || isReservedUsername(input.username)) throw usernameUnavailable();
        const [row] = await tx(
          `insert into users (id, ${column}, username, role, status, referred_by_code, last_login_at) values (?, ?, ?, 'customer', 'active', ?, now()) returning ${USER_COLUMNS}`,
          [randomUUID(), identifier, input.username, input.referralCode?.toUpperCase() ?? null],
        );
        await onUserRegistered(row.id, tx, row.referred_by_code);
        const pair = await this.tokens.startSession({ id: row.id, role: row.role }, meta, tx);
        return { ...pair, user: toPublicUser(row) };
      });
    } catch (err) {
      if (isUniqueViolation(err, 'users_username_unique')) throw usernameUnavailable();
      if (isUniqueViolation(err)) throw Errors.conflict('USER_ALREADY_EXISTS', 'An account with this phone or email already exists; log in instead');
      throw err;
    }
  }

  async login(input: { verificationToken: string }, meta: ClientMeta): Promise<TokenPair & { user: PublicUser }> {
    return inTransaction(this.deps.orm, async (tx) => {
      const { identifier, channel } = await consumeVerificationToken(tx, input.verificationToken, 'login');
      const column = channel === 'sms' ? 'phone' : 'email';
      const [row] = await tx(`update users set last_login_at = now() where ${column} = ? returning ${USER_COLUMNS}`, [identifier]);
      if (!row) throw new AppError('USER_NOT_FOUND', 'No account with this phone or email; register first', 404);
      if (row.status !== 'active') throw new AppError('ACCOUNT_DISABLED', `This account is ${row.status}`, 403);
      const pair = await this.tokens.startSession({ id: row.id, role: row.role }, meta, tx);
      return { ...pair, user: toPublicUser(row) };
    });
  }

  /**
   * One step for apps without a registration form (seed 000): a verified phone logs in, or opens an
   * account (no username) when it has none. The account is opened as `register` does.
   */
  async signIn(input: { verificationToken: string }, meta: ClientMeta): Promise<TokenPair & { user: PublicUser; created: boolean }> {
    return inTransaction(this.deps.orm, async (tx) => {
      const { identifier, channel } = await consumeVerificationToken(tx, input.verificationToken, 'login');
      const column = channel === 'sms' ? 'phone' : 'email';
      let [row] = await tx(`update users set last_login_at = now() where ${column} = ? returning ${USER_COLUMNS}`, [identifier]);
      const created = !row;
      if (!row) {
        [row] = await tx(
          `insert into users (id, ${column}, role, status, last_login_at) values (?, ?, 'customer', 'active', now()) returning ${USER_COLUMNS}`,
          [randomUUID(), identifier],
        );
        await onUserRegistered(row.id, tx, null);
      }
      if (row.status !== 'active') throw new AppError('ACCOUNT_DISABLED', `This account is ${row.status}`, 403);
      const pair = await this.tokens.startSession({ id: row.id, role: row.role }, meta, tx);
      return { ...pair, user: toPublicUser(row), created };
    });
  }

  async me(userId: string): Promise<PublicUser> {
    const [row] = await executor(this.deps.orm)(`select ${USER_COLUMNS} from users where id = ?`, [userId]);
    if (!row) throw Errors.notFound('User');
    return toPublicUser(row);
  }

  /**
   * Erases personal data: phone, email and username nulled, status `deleted`, every session
   * revoked, devices and OTP records removed. The row itself stays, anonymised, so ledger history
   * keeps pointing at it. Refused while AccountClosureGuard finds an open rental or due.
   */
  async deleteAccount(userId: string): Promise<{ deleted: true; user_id: string }> {
    await inTransaction(this.deps.orm, async (tx: Execute) => {
      const [user] = await tx(`select phone, email from users where id = ? and status <> 'deleted' for update`, [userId]);
      if (!user) throw Errors.notFound('User');
      const blockers = await AccountClosureGuard.blockers(userId, tx);
      if (blockers.length) throw new AppError('ACCOUNT_HAS_OPEN_OBLIGATIONS', blockers.map((b) => b.message).join('; '), 409, { blockers });
      const identifiers = [user.phone, user.email].filter(Boolean);
      await tx(`update users set phone = null, email = null, username = null, status = 'deleted', deleted_at = now() where id = ?`, [userId]);
      await this.tokens.revokeAllForUser(userId, 'account_deleted', tx);
      await tx(`delete from user_devices where user_id = ?`, [userId]);
      if (identifiers.length) {
        await tx(`delete from otp_request_gates where identifier in (?)`, [identifiers]);
        await tx(`delete from otp_challenges where identifier in (?)`, [identifiers]);
      }
      await tx(`delete from user_profiles where user_id = ?`, [userId]);
      await tx(`delete from kyc_submissions where user_id = ?`, [userId]);
      await runAccountErasureSteps(userId, tx);
    });
    return { deleted: true, user_id: userId };
  }
}
