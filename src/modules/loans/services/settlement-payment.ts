import type { Execute } from '../../../kernel/sql';
import type { LedgerService } from '../../ledger';
import { foreclosureFees, interestIncome, loanReceivable, razorpayClearing } from '../rules/ledger-keys';
import { rescheduleAfterPrepayment } from '../rules/settlement';

/**
 * A paid prepayment or foreclosure link, applied once inside the webhook's transaction (the loan
 * row locked, so an instalment opening at the same time waits):
 * - prepayment: the money reduces the principal still to fall due; the remaining instalments keep
 *   their count and due dates and get a smaller EMI (re-scheduled, exact to the paisa);
 * - foreclosure: the quoted accrued interest and fee are recognised and the whole quote collected
 *   in one entry, every unpaid instalment is `closed`, and the loan is `closed`.
 * Returns the loan and kind, or undefined when the settlement was already paid.
 */
export async function applySettlementPayment(
  tx: Execute,
  ledger: LedgerService,
  currency: string,
  settlementId: number,
  payment: { id: string; amount: number },
): Promise<{ loanId: number; kind: 'prepayment' | 'foreclosure' } | undefined> {
  const [s] = await tx(`select * from fleet_loan_settlements where id = ? for update`, [settlementId]);
  if (!s || s.status === 'paid') return undefined;
  const loanId = Number(s.loan_id);
  const [loan] = await tx(`select interest_rate from fleet_loans where id = ? for update`, [loanId]);
  const clearing = { account: razorpayClearing(currency), amountMinor: payment.amount };
  if (s.kind === 'prepayment') {
    const rows = await tx(`select seq, principal_paise from fleet_emi_instalments where loan_id = ? and status = 'upcoming' order by seq`, [loanId]);
    const remaining = rows.reduce((sum, r) => sum + Number(r.principal_paise), 0);
    const next = rescheduleAfterPrepayment(remaining, Math.min(payment.amount, remaining), Number(loan.interest_rate), rows.length);
    for (const [k, r] of rows.entries())
      await tx(`update fleet_emi_instalments set emi_paise = ?, principal_paise = ?, interest_paise = ? where loan_id = ? and seq = ?`, [
        next[k].emiPaise,
        next[k].principalPaise,
        next[k].interestPaise,
        loanId,
        r.seq,
      ]);
    if (next.length) await tx(`update fleet_loans set emi_paise = ? where id = ?`, [next[0].emiPaise, loanId]);
    await ledger.post(
      {
        key: `loan-prepayment:${payment.id}`,
        type: 'loan_prepayment',
        metadata: { loanId, settlementId, paymentId: payment.id },
        postings: [clearing, { account: loanReceivable(loanId, currency), amountMinor: -payment.amount }],
      },
      tx,
    );
  } else {
    const [accrued, fee] = [Number(s.accrued_interest_paise), Number(s.fee_paise)];
    await ledger.post(
      {
        key: `loan-foreclosure:${payment.id}`,
        type: 'loan_foreclosure',
        metadata: { loanId, settlementId, paymentId: payment.id, accruedInterestPaise: accrued, feePaise: fee },
        postings: [
          clearing,
          { account: loanReceivable(loanId, currency), amountMinor: -(payment.amount - accrued - fee) },
          { account: interestIncome(currency), amountMinor: -accrued },
          { account: foreclosureFees(currency), amountMinor: -fee },
        ].filter((p) => p.amountMinor !== 0),
      },
      tx,
    );
    await tx(`update fleet_emi_instalments set status = 'closed' where loan_id = ? and status <> 'paid'`, [loanId]);
    await tx(`update fleet_loans set status = 'closed', closed_at = now() where id = ?`, [loanId]);
  }
  await tx(`update fleet_loan_settlements set status = 'paid', payment_id = ?, paid_at = now() where id = ?`, [payment.id, settlementId]);
  return { loanId, kind: s.kind };
}
