import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { Config } from '../../../config';
import { AppError } from '../../../kernel/errors';
import { executor } from '../../../kernel/sql';
import { AccountService, OtpService, type ClientMeta } from '../../identity';
import type { FleetUserType } from '../rules/kyc';

export interface FleetAuthDeps {
  orm: MikroORM;
  temporal: Client;
  config: Config;
  brand: string;
}

/**
 * Dealer / admin / technician login by phone OTP. The code is identity's `auth-otp:<id>` workflow
 * (sent by MSG91 for +91 numbers); the token is identity's access token of the member's user,
 * created at the first login. Only provisioned fleet members may log in.
 */
export class FleetAuthService {
  private readonly otp: OtpService;
  private readonly accounts: AccountService;

  constructor(private readonly deps: FleetAuthDeps) {
    this.otp = new OtpService(deps);
    this.accounts = new AccountService(deps);
  }

  private async member(phone: string) {
    const parsed = OtpService.parse(phone, 'body.phone');
    const [row] = await executor(this.deps.orm)(`select id, user_id, user_type, name from fleet_members where phone = ?`, [parsed.value]);
    return { phone: parsed.value, row };
  }

  async login(input: { phone: string; userType: FleetUserType; ip?: string }) {
    const { phone, row } = await this.member(input.phone);
    if (!row || row.user_type !== input.userType) throw new AppError('ACCOUNT_NOT_FOUND', `No ${input.userType} account with this phone number`, 404);
    const sent = await this.otp.request({ identifier: phone, purpose: 'login', ip: input.ip });
    return { message: 'OTP sent', phone: sent.identifier, expires_in: sent.expires_in, resend_after: sent.resend_after };
  }

  async verify(input: { phone: string; otp: string }, meta: ClientMeta) {
    const { phone, row } = await this.member(input.phone);
    if (!row) throw new AppError('ACCOUNT_NOT_FOUND', 'No fleet account with this phone number', 404);
    const verified = await this.otp.verify({ identifier: phone, code: input.otp });
    const session = verified.user_exists
      ? await this.accounts.login({ verificationToken: verified.verification_token }, meta)
      : await this.accounts.register({ verificationToken: verified.verification_token, username: `fleet_${randomBytes(5).toString('hex')}` }, meta);
    await executor(this.deps.orm)(`update fleet_members set user_id = ? where id = ? and (user_id is null or user_id = ?)`, [
      session.user.id,
      row.id,
      session.user.id,
    ]);
    return {
      token: session.access_token,
      refresh_token: session.refresh_token,
      expires_in: session.expires_in,
      user: { id: row.id, phone, userType: row.user_type as FleetUserType, name: row.name as string },
    };
  }
}
