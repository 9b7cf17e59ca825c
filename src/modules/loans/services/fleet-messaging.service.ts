import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '../../../kernel/errors';
import { executor } from '../../../kernel/sql';
import type { Messaging } from '../../identity';
import { requireRole, type FleetCaller } from './access';

/** Admin messages to consumers and staff (MSG91), each logged; an OTP's code is never stored. */
export class FleetMessagingService {
  constructor(private readonly deps: { orm: MikroORM; messaging: Messaging; brand: string }) {}

  private async send(caller: FleetCaller, kind: 'sms' | 'otp', to: string, text: string, logged: string | null) {
    requireRole(caller, 'admin');
    const exec = executor(this.deps.orm);
    try {
      const receipt = await this.deps.messaging.sms.send({ to, text });
      const [row] = await exec(
        `insert into fleet_message_log (sent_by, kind, "to", text, status, provider_response) values (?, ?, ?, ?, 'sent', ?) returning id`,
        [caller.memberId, kind, to, logged, receipt.response.slice(0, 255)],
      );
      return { id: Number(row.id), to, status: 'sent', provider: receipt.provider, request_id: receipt.response };
    } catch (err) {
      await exec(`insert into fleet_message_log (sent_by, kind, "to", text, status, provider_response) values (?, ?, ?, ?, 'failed', ?)`, [
        caller.memberId,
        kind,
        to,
        logged,
        (err as Error).message.slice(0, 255),
      ]);
      throw new AppError('SMS_FAILED', 'The SMS provider refused or could not be reached', 502);
    }
  }

  sendSms(caller: FleetCaller, input: { to: string; message: string }) {
    return this.send(caller, 'sms', input.to, input.message, input.message);
  }

  sendOtp(caller: FleetCaller, input: { to: string; otp: string }) {
    return this.send(caller, 'otp', input.to, `${input.otp} is your ${this.deps.brand} verification code. Do not share it.`, null);
  }
}
