import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../../config';
import { AppError, Errors } from '../../../kernel/errors';
import { executor } from '../../../kernel/sql';
import { ocppCommandTarget, sendOcppCommand } from './ocpp-commands';

/** What the charger answered (OCPP 1.6 ChangeAvailability.conf / Reset.conf). */
export interface ChargerAnswer {
  status: 'Accepted' | 'Rejected' | 'Scheduled';
}

/** An operator's commands to one charger through the OCPP process; the charger's own answer is returned. */
export class ChargerCommandService {
  constructor(private readonly deps: { orm: MikroORM; config: Config }) {}

  /** Inoperative takes the connector (0: the whole charger) out of use; a session in progress makes it `Scheduled`. */
  changeAvailability(chargerId: string, type: 'Operative' | 'Inoperative', connectorId = 0): Promise<ChargerAnswer> {
    return this.send(chargerId, 'ChangeAvailability', { connectorId, type });
  }

  reset(chargerId: string, type: 'Soft' | 'Hard'): Promise<ChargerAnswer> {
    return this.send(chargerId, 'Reset', { type });
  }

  private async send(chargerId: string, action: string, payload: object): Promise<ChargerAnswer> {
    const { config, orm } = this.deps;
    const [c] = /^[0-9a-f]{24}$/.test(chargerId) ? await executor(orm)(`select device_number from ev_chargers where id = ?`, [chargerId]) : [];
    if (!c) throw Errors.notFound('Charger');
    const timeoutMs = config.OCPP_ADMIN_TIMEOUT_SECONDS * 1000;
    try {
      const r = await sendOcppCommand(ocppCommandTarget(config), c.device_number, action, payload, timeoutMs);
      return { status: r.status as ChargerAnswer['status'] };
    } catch (err) {
      const type = (err as { type?: string }).type;
      if (type === 'ChargerOffline') throw new AppError('CHARGER_OFFLINE', 'The charger is not connected', 409);
      if (type === 'ChargerTimeout')
        throw new AppError('CHARGER_TIMEOUT', `The charger did not answer ${action} within ${config.OCPP_ADMIN_TIMEOUT_SECONDS} s`, 504);
      if (type === 'OcppUnreachable') throw new AppError('OCPP_UNAVAILABLE', 'The OCPP central system cannot be reached', 503);
      throw new AppError('CHARGER_CALL_FAILED', (err as Error).message, 502);
    }
  }
}
