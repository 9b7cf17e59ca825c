import { z } from 'zod';
import { Errors } from '../../../kernel/errors';
import { createLedgerServices } from '../../../modules/ledger';
import type { SurfaceModule } from '../types';
import { CreditInput } from './money-schemas';
import { chargegharProfile } from './profile';

const AddBalanceBody = z
  .object({
    amount: CreditInput,
    reason: z.string().trim().min(3).max(200),
    request_id: z.string().trim().min(8).max(120).optional().openapi({ description: 'Idempotency key; or send the Idempotency-Key header' }),
  })
  .openapi('AddBalance');

export const adminWalletRoutes: SurfaceModule = (routes, deps) => {
  const money = createLedgerServices(deps.orm);

  routes.route({
    method: 'post',
    path: '/admin/users/:id/add-balance',
    summary: "Credits a user's wallet as an audited ledger entry (admin, reason, request id); a repeated request credits once",
    tags: ['Admin: Users'],
    auth: 'admin-step-up',
    params: z.object({ id: z.string().uuid() }),
    body: AddBalanceBody,
    errors: { 404: 'Unknown user', 409: 'The request id was used for a different credit' },
    description: 'A money action: needs a fresh second factor (X-TOTP). An admin cannot credit their own wallet (403 SELF_ACTION_FORBIDDEN).',
    handler: ({ params, body, user, req }) => {
      const requestId = body.request_id ?? req.header('idempotency-key');
      if (!requestId || requestId.length < 8 || requestId.length > 120) {
        throw Errors.validation([
          { field: 'body.request_id', message: 'an idempotency key is required (request_id or the Idempotency-Key header, 8-120 chars)' },
        ]);
      }
      return money.adminWallet.addBalance({
        adminId: user!.id,
        userId: params.id,
        amountMinor: body.amount,
        currency: chargegharProfile(deps).currency,
        reason: body.reason,
        requestId,
      });
    },
  });
};
