import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, Errors } from '../../../kernel/errors';
import { executor } from '../../../kernel/sql';
import type { AttentionSource } from '../../../kernel/temporal/attention-desk';
import { maskIdentifier } from '../rules/identifier';

export const OTP_LOCK_KIND = 'otp_identifier_lock';

/**
 * The alert of a locked identifier on the admins' desk (GET /api/admin/attention): each live lock,
 * masked. `resolve` releases it early (the admin is recorded); there is no step to retry.
 */
export function otpLocksAttention({ orm }: { orm: MikroORM }): AttentionSource {
  const exec = executor(orm);
  return {
    kinds: [OTP_LOCK_KIND],
    async list() {
      const rows = await exec(
        `select id, identifier, failures, lock_count, locked_at, locked_until from otp_identifier_locks where locked_until > now() order by locked_at`,
      );
      return rows.map((r) => ({
        kind: OTP_LOCK_KIND,
        id: r.id as string,
        workflow_id: '',
        reason: `OtpBruteForce: ${r.failures} failed OTP verifications for ${maskIdentifier(r.identifier)} in a day; lock ${r.lock_count} until ${new Date(r.locked_until).toISOString()}`,
        step: 'otp-verify',
        since: new Date(r.locked_at).toISOString(),
      }));
    },
    async act(_kind, id, request) {
      if (request.action !== 'resolve') throw new AppError('NOT_NEEDING_ATTENTION', 'A locked identifier has no step to retry; resolve releases it', 409);
      const released = await exec(`update otp_identifier_locks set locked_until = now(), released_by = ? where id = ? and locked_until > now() returning id`, [
        request.by,
        id,
      ]);
      if (released.length === 0) throw Errors.notFound('Locked identifier');
      return { accepted: true, action: 'resolve' };
    },
  };
}
