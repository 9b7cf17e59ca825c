import { condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import { createDeviceCommander } from '../../../kernel/devices/commander';
import { setBusinessStatus } from '../../../kernel/temporal/business-status';
import type { LoanActivities } from '../activities/loan.activities';
import { batteryOnlineSignal, desiredStatusSignal, type BatteryControlInput, type BatteryControlResult } from './definitions';

const { recordBatteryStatus } = proxyActivities<LoanActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '1 minute' },
});

/** Runs started before it return right after recording the acked status, whatever came meanwhile. */
const RECHECK_AFTER_RECORD = 'battery-control-recheck-after-record';

/**
 * `battery-control:<serial>`: brings a battery to the desired status. The command goes over MQTT
 * (`battery/<serial>/cmd`, `{id, type: 'set_status', status}`) and the row changes only on the
 * battery's ack. No ack (offline): the run records the command as pending and waits for the
 * bridge's `batteryOnline` signal (or a newer desired status), then sends it again.
 */
export async function batteryControlWorkflow(input: BatteryControlInput): Promise<BatteryControlResult> {
  const send = createDeviceCommander();
  let desired = input.action;
  let reason = input.reason;
  let online = false;
  let changed = false;
  setHandler(desiredStatusSignal, (d) => {
    desired = d.action;
    reason = d.reason;
    changed = true;
  });
  setHandler(batteryOnlineSignal, () => {
    online = true;
  });
  let attempts = 0;
  for (;;) {
    changed = false;
    online = false;
    const target = desired;
    attempts += 1;
    setBusinessStatus(`sending_${target}`);
    const outcome = await send('battery', input.serial, 'set_status', { status: target, reason }, input.ackTimeoutMs, reason);
    if (outcome.status === 'acked' && !changed) {
      await recordBatteryStatus({ serial: input.serial, status: target, pending: null });
      // A newer desired status that came while the row was written (a dealer's next command, sent
      // to this run because it had not ended yet) is sent too, not dropped with the run's end.
      if (changed && patched(RECHECK_AFTER_RECORD)) continue;
      setBusinessStatus(target);
      return { serial: input.serial, status: target, attempts };
    }
    if (outcome.status === 'acked') continue;
    const seen = await recordBatteryStatus({ serial: input.serial, status: null, pending: desired });
    setBusinessStatus('pending');
    // Offline: the bridge wakes the run when the battery reconnects. Online but silent: try again in a minute.
    if (seen.online) await condition(() => online || changed, '1 minute');
    else await condition(() => online || changed);
  }
}
