import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../../config';
import { AppError, Errors } from '../../../kernel/errors';
import { executor, type Execute } from '../../../kernel/sql';
import type { Messaging } from '../../identity';
import { createPaymentLink } from '../razorpay/razorpay-links';
import { LedgerService } from '../../ledger';
import { istDate, loanReceivable } from '../rules/ledger-keys';
import { daysBetween, foreclosureQuote, type ForeclosureQuote } from '../rules/settlement';
import { dealerScope, requireRole, type FleetCaller } from './access';

type Deps = { orm: MikroORM; config: Config; messaging: Messaging; currency: string };

/** The loan's state a quote or a prepayment is made on, read in one go (inside a transaction when `tx`). */
export async function loanPosition(exec: Execute, ledger: LedgerService, loanId: number, currency: string, todayIst: string) {
  const [loan] = await exec(
    `select id, interest_rate, status, to_char(disbursed_at at time zone 'Asia/Kolkata', 'YYYY-MM-DD') as day from fleet_loans where id = ?`,
    [loanId],
  );
  const [i] = await exec(
    `select coalesce(sum(principal_paise) filter (where status = 'upcoming'), 0)::bigint as upcoming,
            coalesce(sum(principal_paise) filter (where status in ('upcoming', 'due', 'overdue')), 0)::bigint as outstanding,
            count(*) filter (where status in ('due', 'overdue'))::int as open_dues,
            to_char(max(due_date) filter (where status <> 'upcoming'), 'YYYY-MM-DD') as last_due
       from fleet_emi_instalments where loan_id = ?`,
    [loanId],
  );
  const receivablePaise = await ledger.balance(loanReceivable(loanId, currency), exec);
  const rate = Number(loan.interest_rate);
  const since = (i.last_due as string | null) ?? (loan.day as string);
  return {
    status: loan.status as string,
    rate,
    openDues: Number(i.open_dues),
    upcomingPrincipalPaise: Number(i.upcoming),
    since,
    quote: (feeBps: number): ForeclosureQuote =>
      foreclosureQuote({
        receivablePaise,
        outstandingPrincipalPaise: Number(i.outstanding),
        upcomingPrincipalPaise: Number(i.upcoming),
        annualRatePercent: rate,
        accruedDays: daysBetween(since, todayIst),
        feeBps,
      }),
  };
}

const presentQuote = (loanId: number, q: ForeclosureQuote, asOf: string, since: string) => ({
  loan_id: loanId,
  as_of: asOf,
  outstanding_principal_paise: q.outstandingPrincipalPaise,
  dues_paise: q.duesPaise,
  accrued_interest_paise: q.accruedInterestPaise,
  accrued_days: q.accruedDays,
  accrued_since: since,
  foreclosure_fee_paise: q.feePaise,
  total_paise: q.totalPaise,
  total: q.totalPaise / 100,
});

/**
 * Prepayment and foreclosure of a loan (a dealer's own or any for admins): the foreclosure quote,
 * and a Razorpay payment link for a part-prepayment or for the whole quote. The payment itself is
 * applied by the Razorpay webhook (EmiPaymentService → applySettlementPayment).
 */
export class LoanSettlementService {
  constructor(private readonly deps: Deps) {}

  private async position(caller: FleetCaller, loanId: number) {
    requireRole(caller, 'dealer', 'admin');
    const scope = dealerScope(caller);
    const [own] = await executor(this.deps.orm)(`select id from fleet_loans where id = ? and ${scope.sql}`, [loanId, ...scope.params]);
    if (!own) throw Errors.notFound('Loan');
    const today = istDate(Date.now());
    const p = await loanPosition(executor(this.deps.orm), new LedgerService(this.deps.orm), loanId, this.deps.currency, today);
    if (p.status === 'closed') throw Errors.conflict('LOAN_CLOSED', 'The loan is already closed');
    return { ...p, today };
  }

  async quote(caller: FleetCaller, loanId: number) {
    const p = await this.position(caller, loanId);
    return presentQuote(loanId, p.quote(this.deps.config.FLEET_FORECLOSURE_FEE_BPS), p.today, p.since);
  }

  async prepay(caller: FleetCaller, loanId: number, amountPaise: number) {
    const p = await this.position(caller, loanId);
    if (p.openDues > 0) throw Errors.conflict('DUES_PENDING', 'Pay the instalments already due before prepaying principal');
    if (amountPaise >= p.upcomingPrincipalPaise)
      throw new AppError('PREPAYMENT_TOO_LARGE', 'A prepayment must be less than the outstanding principal; close the loan with a foreclosure instead', 409, {
        outstanding_principal_paise: p.upcomingPrincipalPaise,
      });
    return this.link(caller, loanId, 'prepayment', { amountPaise, principalPaise: amountPaise, duesPaise: 0, accruedPaise: 0, feePaise: 0 }, p.today);
  }

  async foreclose(caller: FleetCaller, loanId: number) {
    const p = await this.position(caller, loanId);
    const q = p.quote(this.deps.config.FLEET_FORECLOSURE_FEE_BPS);
    const amounts = {
      amountPaise: q.totalPaise,
      principalPaise: q.outstandingPrincipalPaise,
      duesPaise: q.duesPaise,
      accruedPaise: q.accruedInterestPaise,
      feePaise: q.feePaise,
    };
    return { quote: presentQuote(loanId, q, p.today, p.since), ...(await this.link(caller, loanId, 'foreclosure', amounts, p.today)) };
  }

  private async link(
    caller: FleetCaller,
    loanId: number,
    kind: 'prepayment' | 'foreclosure',
    a: { amountPaise: number; principalPaise: number; duesPaise: number; accruedPaise: number; feePaise: number },
    today: string,
  ) {
    const exec = executor(this.deps.orm);
    const [s] = await exec(
      `insert into fleet_loan_settlements (loan_id, kind, amount_paise, principal_paise, dues_paise, accrued_interest_paise, fee_paise, quote_date, created_by)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
      [loanId, kind, a.amountPaise, a.principalPaise, a.duesPaise, a.accruedPaise, a.feePaise, today, caller.memberId],
    );
    const [c] = await exec(`select c.name, c.phone from fleet_loans l join fleet_consumers c on c.id = l.consumer_id where l.id = ?`, [loanId]);
    const { RAZORPAY_BASE_URL: baseUrl, RAZORPAY_KEY_ID: keyId, RAZORPAY_KEY_SECRET: keySecret } = this.deps.config;
    const link = await createPaymentLink(
      { baseUrl, keyId, keySecret },
      {
        amount: a.amountPaise,
        reference_id: `${kind === 'prepayment' ? 'prepay' : 'close'}-${s.id}`,
        description: `${kind === 'prepayment' ? 'Prepayment' : 'Foreclosure'} of loan ${loanId}`,
        customer: { name: c.name, contact: c.phone },
      },
    ).catch((err: Error) => {
      throw new AppError('GATEWAY_ERROR', err.message, 502);
    });
    await exec(`update fleet_loan_settlements set payment_link_id = ?, short_url = ? where id = ?`, [link.id, link.short_url, s.id]);
    await this.deps.messaging.sms
      .send({ to: c.phone, text: `Dear ${c.name}, pay Rs ${(a.amountPaise / 100).toFixed(2)} for the ${kind} of your battery loan: ${link.short_url}` })
      .catch(() => undefined);
    return { settlement_id: Number(s.id), loan_id: loanId, kind, amount_paise: a.amountPaise, payment_link: { id: link.id, short_url: link.short_url } };
  }
}
