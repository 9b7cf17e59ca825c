import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { executor } from '../../../kernel/sql';
import { autoDisableUpdate, emiWorkflowId } from '../workflows/definitions';
import { dealerScope, requireRole, type FleetCaller } from './access';
import type { ConsumerService } from './consumer.service';
import { presentApplication } from './loan-application.service';

const rupees = (paise: unknown) => Number(paise) / 100;

/** A consumer's applications and loans, overdue EMIs, and the bulk auto-disable. */
export class FinanceService {
  constructor(private readonly deps: { orm: MikroORM; temporal: Client; consumers: ConsumerService }) {}

  async consumerFinance(caller: FleetCaller, consumerId: number) {
    await this.deps.consumers.get(caller, consumerId);
    const exec = executor(this.deps.orm);
    const apps = await exec(`select * from fleet_loan_applications where consumer_id = ? order by id`, [consumerId]);
    const loans = await exec(`select * from fleet_loans where consumer_id = ? order by id`, [consumerId]);
    const result = [];
    for (const l of loans) {
      const rows = await exec(`select *, to_char(due_date, 'YYYY-MM-DD') as due from fleet_emi_instalments where loan_id = ? order by seq`, [l.id]);
      result.push({
        id: Number(l.id),
        application_id: Number(l.application_id),
        principal: rupees(l.principal_paise),
        principal_paise: Number(l.principal_paise),
        interest_rate: Number(l.interest_rate),
        tenure_months: Number(l.tenure_months),
        emi: rupees(l.emi_paise),
        status: l.status as string,
        schedule: rows.map((r) => ({
          seq: Number(r.seq),
          due_date: r.due as string,
          emi_paise: Number(r.emi_paise),
          principal_paise: Number(r.principal_paise),
          interest_paise: Number(r.interest_paise),
          late_fee_paise: Number(r.late_fee_paise),
          paid_paise: Number(r.paid_paise),
          status: r.status as string,
        })),
      });
    }
    return { consumer_id: consumerId, applications: apps.map(presentApplication), loans: result };
  }

  /** Instalments the schedules count as overdue (their own clock), with the days and the fee so far. */
  async overdue(caller: FleetCaller) {
    requireRole(caller, 'dealer', 'admin');
    const scope = dealerScope(caller, 'l.dealer_id');
    const rows = await executor(this.deps.orm)(
      `select l.id as loan_id, i.seq, to_char(i.due_date, 'YYYY-MM-DD') as due, i.emi_paise, i.paid_paise, i.late_fee_paise, i.overdue_days, l.status as loan_status,
              c.id as consumer_id, c.name, c.phone, b.serial_number, l.dealer_id
         from fleet_emi_instalments i join fleet_loans l on l.id = i.loan_id join fleet_consumers c on c.id = l.consumer_id join fleet_batteries b on b.id = l.battery_id
        where i.status = 'overdue' and ${scope.sql}
        order by i.due_date, l.id`,
      scope.params,
    );
    return rows.map((r) => ({
      loan_id: Number(r.loan_id),
      instalment: Number(r.seq),
      due_date: r.due as string,
      days_overdue: Number(r.overdue_days),
      amount_due: rupees(Number(r.emi_paise) - Number(r.paid_paise) + Number(r.late_fee_paise)),
      late_fee: rupees(r.late_fee_paise),
      loan_status: r.loan_status as string,
      battery_serial: r.serial_number as string,
      consumer: { id: Number(r.consumer_id), name: r.name as string, phone: r.phone as string },
    }));
  }

  /** Every overdue loan's schedule applies the threshold now (an update each); lists the batteries they disabled. */
  async autoDisable(caller: FleetCaller, thresholdDays: number) {
    requireRole(caller, 'admin');
    const overdue = (await this.overdue(caller)).filter((o) => o.loan_status !== 'disabled');
    const loans = [...new Map(overdue.map((o) => [o.loan_id, o])).values()];
    const disabled = [];
    for (const o of loans) {
      const answer = await this.deps.temporal.workflow
        .getHandle(emiWorkflowId(o.loan_id))
        .executeUpdate(autoDisableUpdate, { args: [{ thresholdDays }] })
        .catch(() => undefined);
      if (answer?.disabled) disabled.push({ loan_id: o.loan_id, battery_serial: o.battery_serial, days_overdue: answer.overdueDays });
    }
    return { overdue_days_threshold: thresholdDays, checked: loans.length, disabled_count: disabled.length, disabled };
  }
}
