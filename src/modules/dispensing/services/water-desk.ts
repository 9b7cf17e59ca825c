import type { MikroORM } from '@mikro-orm/postgresql';
import { offsetOf, pageOf, type Pagination } from '../../../kernel/paging';
import { executor } from '../../../kernel/sql';
import { maskPhone } from '../rules/pricing';
import type { OtpStatus, PaymentStatus } from '../rules/statuses';

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

/**
 * The operations console's read-only view of water for platform admins (issue 17): OTPs blocked
 * (three wrong codes) with the oldest, and transactions with their OTP's state. Phones masked.
 */
export class WaterDeskService {
  constructor(private readonly deps: { orm: MikroORM }) {}

  async summary() {
    const [row] = await executor(this.deps.orm)(`select count(*)::int as n, min(updated_at) as oldest from water_otps where status = 'blocked'`);
    return { otps_blocked: { count: Number(row.n), oldest_at: iso(row.oldest) } };
  }

  async transactions(filter: { status?: PaymentStatus; otp_status?: OtpStatus }, page: Pagination) {
    const conds: string[] = [];
    const params: unknown[] = [];
    if (filter.status) {
      conds.push('t.status = ?');
      params.push(filter.status);
    }
    if (filter.otp_status) {
      conds.push('o.status = ?');
      params.push(filter.otp_status);
    }
    const where = conds.length ? `where ${conds.join(' and ')}` : '';
    const from = `from water_transactions t left join water_otps o on o.transaction_reference = t.transaction_reference ${where}`;
    const exec = executor(this.deps.orm);
    const [{ n }] = await exec(`select count(*)::int as n ${from}`, params);
    const rows = await exec(
      `select t.transaction_reference, t.method, t.status, t.phone_number, t.amount_minor, t.currency, t.liters, t.receipt_number, t.created_at,
              o.status as otp_status, o.attempts, o.max_attempts, o.station_id, o.pulses, o.pulses_delivered, o.issue, o.updated_at as otp_updated_at
         ${from} order by t.created_at desc limit ? offset ?`,
      [...params, page.page_size, offsetOf(page)],
    );
    return pageOf(rows.map(presentRow), Number(n), page);
  }
}

function presentRow(r: Record<string, unknown>) {
  return {
    transaction_reference: r.transaction_reference as string,
    method: r.method as string,
    status: r.status as string,
    phone_number: r.phone_number ? maskPhone(r.phone_number as string) : null,
    amount_minor: Number(r.amount_minor),
    currency: r.currency as string,
    liters: Number(r.liters),
    receipt_number: (r.receipt_number as string | null) ?? null,
    created_at: iso(r.created_at)!,
    otp: r.otp_status
      ? {
          status: r.otp_status as string,
          attempts: Number(r.attempts),
          max_attempts: Number(r.max_attempts),
          station_id: (r.station_id as string | null) ?? null,
          pulses: Number(r.pulses),
          pulses_delivered: Number(r.pulses_delivered),
          issue: Number(r.issue),
          updated_at: iso(r.otp_updated_at)!,
        }
      : null,
  };
}
