import { Context } from '@temporalio/activity';
import { surfaceProfile } from '../../../config';
import { executor, inTransaction } from '../../../kernel/sql';
import { LedgerService } from '../../ledger';
import { interestIncome, lateFees, loanReceivable } from '../rules/ledger-keys';
import { createPaymentLink } from '../razorpay/razorpay-links';
import { requestBatteryStatus } from '../services/battery-commands';
import type { BatteryAction } from '../workflows/definitions';
import type { LoanActivityDeps } from './loan.activities';

/** EMI schedules: instalment state, reminders and payment links, late fees, the battery, the loan's status. */
function emiContext(deps: LoanActivityDeps) {
  const exec = executor(deps.orm);
  const currency = surfaceProfile(deps.config, 'fleet').currency;
  const ledger = new LedgerService(deps.orm);
  const contacts = async (loanId: number) => {
    const [r] = await exec(
      `select c.name, c.phone, m.phone as dealer_phone from fleet_loans l join fleet_consumers c on c.id = l.consumer_id join fleet_members m on m.id = l.dealer_id where l.id = ?`,
      [loanId],
    );
    return r as { name: string; phone: string; dealer_phone: string };
  };
  const sms = (to: string, text: string) => deps.messaging.sms.send({ to, text });
  return { deps, exec, currency, ledger, contacts, sms };
}
type EmiCtx = ReturnType<typeof emiContext>;

export function createEmiActivities(deps: LoanActivityDeps) {
  const ctx = emiContext(deps);
  const { exec, contacts, sms } = ctx;
  return {
    async loadInstalment(input: { loanId: number; seq: number }): Promise<{ dueDate: string; emiPaise: number; paid: boolean; closed: boolean }> {
      const [r] = await exec(`select to_char(due_date, 'YYYY-MM-DD') as due, emi_paise, status from fleet_emi_instalments where loan_id = ? and seq = ?`, [
        input.loanId,
        input.seq,
      ]);
      return { dueDate: r.due, emiPaise: Number(r.emi_paise), paid: r.status === 'paid', closed: r.status === 'closed' };
    },

    async sendEmiReminder(input: { loanId: number; seq: number; dueDate: string }): Promise<void> {
      const [i] = await exec(`select emi_paise from fleet_emi_instalments where loan_id = ? and seq = ?`, [input.loanId, input.seq]);
      const c = await contacts(input.loanId);
      await sms(c.phone, `Dear ${c.name}, your battery EMI of Rs ${(Number(i.emi_paise) / 100).toFixed(2)} is due on ${input.dueDate}.`);
    },

    /** Due day: interest recognised in the ledger, a payment link (EMI + unpaid late fees) sent by SMS. */
    openInstalment: (input: { loanId: number; seq: number }) => openInstalment(ctx, input),

    /** The late fee after `overdueDays` (cumulative, capped): the difference posted once per amount. */
    recordOverdue: (input: { loanId: number; seq: number; feePaise: number; overdueDays: number }) => recordOverdue(ctx, input),

    /** Asks `battery-control:<serial>` for the status (it retries until the battery acks) and tells consumer and dealer. */
    setLoanBattery: (input: { loanId: number; serial: string; action: BatteryAction; reason: string }) => setLoanBattery(ctx, input),

    async markLoanCurrent(input: { loanId: number; closed: boolean }): Promise<void> {
      await exec(`update fleet_loans set status = ?, closed_at = case when ? then now() else closed_at end where id = ?`, [
        input.closed ? 'closed' : 'current',
        input.closed,
        input.loanId,
      ]);
    },
  };
}

/** Due day: interest recognised in the ledger, a payment link (EMI + unpaid late fees) sent by SMS. */
async function openInstalment(ctx: EmiCtx, input: { loanId: number; seq: number }): Promise<{ linkId: string; amountPaise: number } | null> {
  const { deps, exec, ledger, currency, contacts, sms } = ctx;
  // Under the loan's lock: a prepayment re-scheduling or a foreclosure closing the loan waits, or wins.
  const i = await inTransaction(deps.orm, async (tx) => {
    await tx(`select id from fleet_loans where id = ? for update`, [input.loanId]);
    const [row] = await tx(`select * from fleet_emi_instalments where loan_id = ? and seq = ?`, [input.loanId, input.seq]);
    if (row.status === 'closed') return null;
    const interest = Number(row.interest_paise);
    if (interest > 0)
      await ledger.post(
        {
          key: `emi-interest:${input.loanId}:${input.seq}`,
          type: 'emi_interest',
          metadata: { loanId: input.loanId, seq: input.seq },
          postings: [
            { account: loanReceivable(input.loanId, currency), amountMinor: interest },
            { account: interestIncome(currency), amountMinor: -interest },
          ],
        },
        tx,
      );
    await tx(`update fleet_emi_instalments set status = 'due' where loan_id = ? and seq = ? and status = 'upcoming'`, [input.loanId, input.seq]);
    return row;
  });
  if (!i) return null;
  const [fees] = await exec(
    `select coalesce(sum(late_fee_paise + least(emi_paise - paid_paise, 0)), 0)::bigint as due from fleet_emi_instalments where loan_id = ? and seq < ?`,
    [input.loanId, input.seq],
  );
  const amount = Number(i.emi_paise) - Number(i.paid_paise) + Math.max(0, Number(fees.due));
  const c = await contacts(input.loanId);
  const link = await createPaymentLink(
    { baseUrl: deps.config.RAZORPAY_BASE_URL, keyId: deps.config.RAZORPAY_KEY_ID, keySecret: deps.config.RAZORPAY_KEY_SECRET },
    {
      amount,
      reference_id: `emi-${input.loanId}-${input.seq}`,
      description: `EMI ${input.seq} of loan ${input.loanId}`,
      customer: { name: c.name, contact: c.phone },
    },
  );
  await exec(`update fleet_emi_instalments set status = 'due', payment_link_id = ? where loan_id = ? and seq = ? and status <> 'paid'`, [
    link.id,
    input.loanId,
    input.seq,
  ]);
  await sms(c.phone, `Dear ${c.name}, your battery EMI of Rs ${(amount / 100).toFixed(2)} is due today. Pay: ${link.short_url}`);
  return { linkId: link.id, amountPaise: amount };
}

/** The late fee after `overdueDays` (cumulative, capped): the difference posted once per amount. */
async function recordOverdue(ctx: EmiCtx, input: { loanId: number; seq: number; feePaise: number; overdueDays: number }): Promise<void> {
  const { deps, ledger, currency } = ctx;
  await inTransaction(deps.orm, async (tx) => {
    const [i] = await tx(`select late_fee_paise from fleet_emi_instalments where loan_id = ? and seq = ? for update`, [input.loanId, input.seq]);
    await tx(`update fleet_emi_instalments set status = 'overdue', overdue_days = ? where loan_id = ? and seq = ? and status <> 'paid'`, [
      input.overdueDays,
      input.loanId,
      input.seq,
    ]);
    await tx(`update fleet_loans set status = 'overdue' where id = ? and status = 'current'`, [input.loanId]);
    const delta = input.feePaise - Number(i.late_fee_paise);
    if (delta <= 0) return;
    await tx(`update fleet_emi_instalments set late_fee_paise = ? where loan_id = ? and seq = ?`, [input.feePaise, input.loanId, input.seq]);
    await ledger.post(
      {
        key: `late-fee:${input.loanId}:${input.seq}:${input.feePaise}`,
        type: 'late_fee',
        metadata: { loanId: input.loanId, seq: input.seq },
        postings: [
          { account: loanReceivable(input.loanId, currency), amountMinor: delta },
          { account: lateFees(currency), amountMinor: -delta },
        ],
      },
      tx,
    );
  });
}

/** Asks `battery-control:<serial>` for the status (it retries until the battery acks) and tells consumer and dealer. */
async function setLoanBattery(ctx: EmiCtx, input: { loanId: number; serial: string; action: BatteryAction; reason: string }): Promise<void> {
  const { deps, exec, contacts, sms } = ctx;
  await requestBatteryStatus(
    { temporal: Context.current().client, taskQueue: Context.current().info.taskQueue, ackTimeoutMs: deps.config.DEVICE_ACK_TIMEOUT_MS },
    { serial: input.serial, action: input.action, reason: input.reason },
  );
  const disabled = input.action === 'inactive';
  await exec(`update fleet_loans set status = ? where id = ? and status <> 'closed'`, [disabled ? 'disabled' : 'current', input.loanId]);
  const c = await contacts(input.loanId);
  const text = disabled
    ? `Battery ${input.serial} of ${c.name} is disabled: EMI overdue (loan ${input.loanId}). Pay to re-enable it.`
    : `Battery ${input.serial} of ${c.name} is enabled again: payment received (loan ${input.loanId}).`;
  await sms(c.phone, text);
  await sms(c.dealer_phone, text);
}
