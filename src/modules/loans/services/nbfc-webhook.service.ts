import { createHash } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { AppError, Errors } from '../../../kernel/errors';
import { logger } from '../../../kernel/logger';
import { executor } from '../../../kernel/sql';
import { verifyNbfcSignature } from '../nbfc/nbfc-signature';
import { loanApplicationWorkflowId, nbfcDecisionSignal } from '../workflows/definitions';

export interface NbfcWebhookBody {
  event_id?: string;
  applicationId: number;
  status: string;
  sanctionedAmount?: number;
  interestRate?: number;
}

/**
 * The NBFC's status webhook: verified on the raw body (X-NBFC-Signature), kept once per event id
 * (header, body, or the body's hash), then a decision signal to `loan-application:<id>`.
 * A forged or unsigned call is 401 and changes nothing; a duplicate is 200 and changes nothing.
 */
export class NbfcWebhookService {
  constructor(private readonly deps: { orm: MikroORM; temporal: Client; secret: string }) {}

  async receive(raw: Buffer | undefined, signature: string | undefined, eventHeader: string | undefined, body: NbfcWebhookBody) {
    if (!verifyNbfcSignature(this.deps.secret, raw, signature)) throw new AppError('INVALID_SIGNATURE', 'The webhook signature is missing or wrong', 401);
    const eventId = eventHeader ?? body.event_id ?? `sha256:${createHash('sha256').update(raw!).digest('hex')}`;
    if (body.status === 'approved' && (body.sanctionedAmount === undefined || body.interestRate === undefined))
      throw Errors.validation([{ field: 'body.sanctionedAmount', message: 'An approval carries sanctionedAmount and interestRate', code: 'custom' }]);
    const exec = executor(this.deps.orm);
    const [app] = await exec(`select id from fleet_loan_applications where id = ?`, [body.applicationId]);
    if (!app) throw Errors.notFound('Application');
    const inserted = await exec(
      `insert into fleet_nbfc_webhook_events (event_id, application_id, status, payload) values (?, ?, ?, ?) on conflict (event_id) do nothing returning event_id`,
      [eventId, body.applicationId, body.status, raw!.toString('utf8')],
    );
    if (inserted.length === 0) return { received: true, duplicate: true };
    if (body.status === 'approved' || body.status === 'rejected') {
      await this.deps.temporal.workflow
        .getHandle(loanApplicationWorkflowId(body.applicationId))
        .signal(nbfcDecisionSignal, {
          by: 'nbfc',
          status: body.status,
          approvedAmountPaise: body.sanctionedAmount === undefined ? undefined : Math.round(body.sanctionedAmount * 100),
          interestRate: body.interestRate,
        })
        .catch((err) => logger.info({ err: (err as Error).message, applicationId: body.applicationId }, 'NBFC decision for a closed application'));
    }
    return { received: true, duplicate: false };
  }
}
