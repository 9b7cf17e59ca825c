import { z } from 'zod';
import { Instant } from '../../http/query';
import { Errors } from '../../../kernel/errors';
import { LedgerReportService } from '../../../modules/ledger';
import type { SurfaceModule } from '../types';
import { chargegharProfile } from './profile';

const Money = z.object({ amount: z.string(), amount_minor: z.number().int(), currency: z.string() });

const LedgerSummary = z
  .object({
    period: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
    platform_accounts: z.array(z.object({ owner: z.string(), kind: z.string(), balance: Money, period_movement: Money })),
    customers: z.object({ wallets_held: Money, dues_receivable: Money, customers_with_dues: z.number().int(), points_outstanding: z.number().int() }),
    entries_by_type: z.array(z.object({ type: z.string(), entries: z.number().int(), customer_wallet_movement: Money })),
    checks: z
      .object({ unbalanced_entries: z.number().int(), unbalanced_currencies: z.number().int(), balance_drift: z.number().int(), ok: z.boolean() })
      .openapi({ description: 'The ledger invariants; every count must be 0 (`ok: true`)' }),
  })
  .openapi('LedgerSummary');

/** Finance: the platform's accounts, what customers hold and owe, a period's movements, and the ledger's checks. */
export const adminLedgerRoutes: SurfaceModule = (routes, deps) => {
  const reports = new LedgerReportService(deps.orm);

  routes.route({
    method: 'get',
    path: '/admin/ledger/summary',
    tags: ['Admin: Ledger'],
    auth: 'admin',
    roles: ['finance'],
    query: z.object({
      from: Instant.optional().openapi({ description: 'Start of the period (inclusive), ISO 8601' }),
      to: Instant.optional().openapi({ description: 'End of the period (exclusive), ISO 8601' }),
    }),
    response: LedgerSummary,
    summary: 'Ledger summary for finance: platform account balances and period movements, customer wallets and dues, entries by type, invariant checks',
    errors: { 400: 'from is not before to' },
    handler: ({ query }) => {
      const [from, to] = [query.from ? new Date(query.from) : undefined, query.to ? new Date(query.to) : undefined];
      if (from && to && from >= to) throw Errors.validation([{ field: 'query.from', message: 'must be before to' }]);
      return reports.summary(chargegharProfile(deps).currency, { from, to });
    },
  });
};
