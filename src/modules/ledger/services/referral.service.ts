import { randomInt } from 'node:crypto';
import { AppError, Errors } from '../../../kernel/errors';
import { referralAwards } from '../rules/points-rules';
import type { LedgerService, Sql } from './ledger.service';
import type { PointsService } from './points.service';
import { executor } from '../../../kernel/sql';
import { userContact } from '../../identity';
import type { MikroORM } from '@mikro-orm/postgresql';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const newCode = () => Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
export const normalizeCode = (code: string) => code.trim().toUpperCase();

/**
 * Invite codes and referrals. A referral is linked once per invitee (at registration or by
 * claim) and both sides are awarded after the invitee's first completed rental; the awards are
 * keyed by the invitee, so they happen once however often the trigger fires.
 */
export class ReferralService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly points: PointsService,
  ) {}

  private get conn() {
    return this.ledger.orm.em.getConnection();
  }

  async myCode(userId: string): Promise<{ code: string; created_at: string }> {
    for (let i = 0; i < 5; i++) {
      const [row] = await this.conn.execute(`select code, created_at from referral_codes where user_id = ?`, [userId]);
      if (row) return { code: row.code, created_at: new Date(row.created_at).toISOString() };
      await this.conn.execute(`insert into referral_codes (user_id, code) values (?, ?) on conflict do nothing`, [userId, newCode()]);
    }
    throw new Error('could not allocate a referral code');
  }

  async validate(code: string, userId?: string) {
    const [row] = await this.conn.execute(`select user_id from referral_codes where code = ?`, [normalizeCode(code)]);
    if (!row) return { valid: false, code: normalizeCode(code), reason: 'unknown_code' };
    if (userId && row.user_id === userId) return { valid: false, code: normalizeCode(code), reason: 'own_code' };
    const inviter = await userContact(executor(this.ledger.orm), String(row.user_id));
    return { valid: true, code: normalizeCode(code), inviter: { username: inviter?.username ?? null } };
  }

  /**
   * Links the invitee to the code's owner (once). Referrals bring in new riders: an account that
   * already completed a rental, or that invited the code's owner, cannot claim.
   */
  async claim(inviteeId: string, code: string) {
    const check = await this.validate(code, inviteeId);
    if (!check.valid) {
      if (check.reason === 'own_code') throw new AppError('OWN_REFERRAL_CODE', 'You cannot use your own referral code', 400);
      throw Errors.notFound('Referral code');
    }
    const [owner] = await this.conn.execute(`select user_id from referral_codes where code = ?`, [check.code]);
    if (await this.points.hasCompletedRental(inviteeId)) {
      throw Errors.conflict('REFERRAL_NOT_ELIGIBLE', 'Referral codes are for new riders: this account has already completed a rental');
    }
    const [circular] = await this.conn.execute(`select 1 from referrals where invitee_id = ? and inviter_id = ?`, [owner.user_id, inviteeId]);
    if (circular) throw Errors.conflict('REFERRAL_NOT_ELIGIBLE', 'You invited the owner of this code, so you cannot use it');
    const inserted = await this.conn.execute(
      `insert into referrals (invitee_id, inviter_id, code) values (?, ?, ?) on conflict (invitee_id) do nothing returning invitee_id`,
      [inviteeId, owner.user_id, check.code],
    );
    if (!inserted.length) throw Errors.conflict('REFERRAL_ALREADY_CLAIMED', 'A referral code was already applied to this account');
    return { status: 'pending', inviter: check.inviter, points_on_first_rental: 50 };
  }

  /** Registration with a `referral_code`: links the new user to its owner; an unknown code links nothing. */
  async linkAtRegistration(inviteeId: string, code: string, tx: Sql): Promise<boolean> {
    const [owner] = await tx(`select user_id from referral_codes where code = ?`, [normalizeCode(code)]);
    if (!owner || owner.user_id === inviteeId) return false;
    const rows = await tx(`insert into referrals (invitee_id, inviter_id, code) values (?, ?, ?) on conflict (invitee_id) do nothing returning invitee_id`, [
      inviteeId,
      owner.user_id,
      normalizeCode(code),
    ]);
    return rows.length > 0;
  }

  /**
   * For the rentals workflow, after a completed rental: awards inviter +100 and invitee +50 the
   * first time; returns whether this call (or an earlier one) awarded.
   */
  async awardReferralOnFirstRental(inviteeId: string): Promise<boolean> {
    const [ref] = await this.conn.execute(`select inviter_id, status from referrals where invitee_id = ?`, [inviteeId]);
    if (!ref) return false;
    for (const a of referralAwards(ref.inviter_id, inviteeId)) await this.points.award(a);
    await this.conn.execute(`update referrals set status = 'awarded', awarded_at = coalesce(awarded_at, now()) where invitee_id = ?`, [inviteeId]);
    return true;
  }
}

/** Who invited this user, once the referral is awarded (the invitee completed a rental); null otherwise. */
export async function completedReferralInviter(orm: MikroORM, inviteeId: string): Promise<string | null> {
  const [ref] = await orm.em.getConnection().execute(`select inviter_id from referrals where invitee_id = ? and status = 'awarded'`, [inviteeId]);
  return ref ? String(ref.inviter_id) : null;
}
