import { loadConfig } from '../src/config';
import { DEV_MSG91_SANDBOX_PORT, DEV_NBFC_SANDBOX_PORT, DEV_RAZORPAY_SANDBOX_PORT } from '../src/config/fleet';
import { initOrm } from '../src/db/orm';
import { startMsg91Sandbox } from '../src/modules/identity/delivery/sandboxes';
import { loadFleetDemoLoans, startNbfcSandbox, startRazorpaySandbox } from '../src/modules/loans';
import { connectTemporal, temporalClient } from '../src/workers/temporal-connection';
import { num, type Log, type Stoppable } from './dev-common';

/**
 * The fleet product (seed 004) in `npm run dev`: the MSG91, NBFC and Razorpay sandboxes (ports
 * MSG91_SANDBOX_PORT / NBFC_SANDBOX_PORT / RAZORPAY_SANDBOX_PORT; webhooks pointed at this API) and
 * the demo loans with their EMI schedules (the demo members, consumers and batteries come with the
 * rest of the demo data).
 */

/** MSG91, the NBFC and Razorpay unless their URLs are set; returns the URLs for the children. */
export async function startFleetOutside(env: NodeJS.ProcessEnv, log: Log, keep: (s: Stoppable) => void): Promise<NodeJS.ProcessEnv> {
  const out: NodeJS.ProcessEnv = {};
  const api = `http://127.0.0.1:${env.PORT ?? '3000'}/fleet/api`;
  if (!env.MSG91_BASE_URL) {
    const msg91 = await startMsg91Sandbox({ port: num(env.MSG91_SANDBOX_PORT, DEV_MSG91_SANDBOX_PORT) });
    keep(msg91);
    out.MSG91_BASE_URL = msg91.url;
    log(`MSG91 sandbox: ${msg91.url}  (inbox ${msg91.url}/sandbox/messages?to=91XXXXXXXXXX)`);
  }
  if (!env.NBFC_BASE_URL) {
    const nbfc = await startNbfcSandbox({ port: num(env.NBFC_SANDBOX_PORT, DEV_NBFC_SANDBOX_PORT), webhookUrl: `${api}/nbfc/webhook-status` });
    keep(nbfc);
    out.NBFC_BASE_URL = nbfc.url;
    log(`NBFC sandbox: ${nbfc.url}  (decide: POST ${nbfc.url}/sandbox/applications/<id>/decide)`);
  }
  if (!env.RAZORPAY_BASE_URL) {
    const port = num(env.RAZORPAY_SANDBOX_PORT, DEV_RAZORPAY_SANDBOX_PORT);
    const rzp = await startRazorpaySandbox({ port, webhookUrl: `${api}/payments/razorpay/webhook` });
    keep(rzp);
    out.RAZORPAY_BASE_URL = rzp.url;
    log(`Razorpay sandbox: ${rzp.url}  (pay: POST http://127.0.0.1:${port}/sandbox/payment_links/<id>/pay)`);
  }
  return out;
}

/**
 * The demo loans, once per database: BAT001's current, BAT002's overdue past the disable threshold.
 * The demo clock: BAT002's schedule starts FLEET_DEMO_OVERDUE_DELAY_SECONDS (60) after this call, so
 * a new user sees the battery active, then disabled by the schedule and acked by the simulator.
 */
export async function loadFleetDemo(childEnv: NodeJS.ProcessEnv, log: Log): Promise<void> {
  const config = loadConfig(childEnv);
  const orm = await initOrm(config.DATABASE_URL);
  const connection = await connectTemporal(config);
  try {
    const delay = num(childEnv.FLEET_DEMO_OVERDUE_DELAY_SECONDS, 60);
    const loans = await loadFleetDemoLoans({ orm, temporal: temporalClient(config, connection), config }, { overdueStartDelaySeconds: delay });
    for (const l of loans)
      log(
        `fleet demo loan ${l.loanId} on ${l.serial}: first EMI due ${l.firstDue}, schedule ${l.workflowId}${l.serial === 'BAT002' ? ` starts in ${delay} s` : ''}`,
      );
    if (loans.length)
      log(
        `fleet demo: ${loans.find((l) => l.serial === 'BAT002')?.workflowId ?? 'BAT002'} is overdue; watch GET /fleet/api/batteries (README "Leased batteries on loans")`,
      );
  } finally {
    await connection.close();
    await orm.close();
  }
}
