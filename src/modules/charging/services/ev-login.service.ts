import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { surfaceProfile, type Config } from '../../../config';
import { natsUserCredentials } from '../../../kernel/nats-credentials';
import { AccountService, OtpService, type ClientMeta } from '../../identity';
import { LedgerService } from '../../ledger';
import { userTopic } from '../rules/topics';
import { toTugrik } from './charger-query';

/**
 * The EV app's sign-in (seed 000): identity's OTP workflow (`auth-otp:<id>`) with Mongolian numbers
 * and EV_OTP_DIGITS-digit codes, then identity's session tokens, the wallet balance and the
 * NATS credentials of the user's own topic.
 */
export class EvLoginService {
  private readonly otp: OtpService;
  private readonly accounts: AccountService;
  private readonly ledger: LedgerService;

  constructor(private readonly deps: { orm: MikroORM; temporal: Client; config: Config }) {
    this.otp = new OtpService({ ...deps, brand: surfaceProfile(deps.config, 'ev').brand });
    this.accounts = new AccountService(deps);
    this.ledger = new LedgerService(deps.orm);
  }

  async requestCode(phone: string, ip?: string): Promise<void> {
    await this.otp.request({ identifier: phone, ip, phoneRegion: 'MN', codeDigits: this.deps.config.EV_OTP_DIGITS, field: 'body.phone', purpose: 'login' });
  }

  async checkCode(input: { phone: string; code: string }, meta: ClientMeta) {
    const { config } = this.deps;
    const verified = await this.otp.verify({ identifier: input.phone, code: input.code, phoneRegion: 'MN', field: 'body.phone' });
    const session = await this.accounts.signIn({ verificationToken: verified.verification_token }, meta);
    const currency = surfaceProfile(config, 'ev').currency;
    const { walletMinor } = await this.ledger.balances(session.user.id, currency);
    const nats = natsUserCredentials(config.NATS_SECRET, session.user.id);
    return {
      token: session.access_token,
      profile: { name: session.user.username ?? '', email: session.user.email ?? '', phone: session.user.phone ?? input.phone, balance: toTugrik(walletMinor) },
      nats: { servers: config.NATS_PUBLIC_SERVERS ?? config.NATS_URL ?? '', topic: userTopic(config.NATS_TOPIC_PREFIX, session.user.id), ...nats },
    };
  }
}
