import type { Client } from '@temporalio/client';
import { startAttributes } from '../../../kernel/temporal/search-attributes';
import { batteryControlWorkflowId, desiredStatusSignal, type BatteryAction, type BatteryControlWorkflow } from '../workflows/definitions';

/** Starts `battery-control:<serial>` or tells the running one the newer desired status. */
export function requestBatteryStatus(
  deps: { temporal: Client; taskQueue: string; ackTimeoutMs: number },
  input: { serial: string; action: BatteryAction; reason: string },
) {
  return deps.temporal.workflow.signalWithStart<BatteryControlWorkflow, [{ action: BatteryAction; reason: string }]>('batteryControlWorkflow', {
    workflowId: batteryControlWorkflowId(input.serial),
    taskQueue: deps.taskQueue,
    args: [{ serial: input.serial, action: input.action, reason: input.reason, ackTimeoutMs: deps.ackTimeoutMs }],
    signal: desiredStatusSignal,
    signalArgs: [{ action: input.action, reason: input.reason }],
    typedSearchAttributes: startAttributes({ surface: 'fleet', serial: input.serial, status: `sending_${input.action}` }),
  });
}
