import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { startAttributes } from '../../../kernel/temporal/search-attributes';
import { batteryControlWorkflowId, desiredStatusSignal, type BatteryAction, type BatteryControlWorkflow } from '../workflows/definitions';

export interface BatteryCommandDeps {
  temporal: Client;
  taskQueue: string;
  ackTimeoutMs: number;
}

const controlOptions = (deps: BatteryCommandDeps, input: { serial: string; action: BatteryAction; reason: string }) => ({
  workflowId: batteryControlWorkflowId(input.serial),
  taskQueue: deps.taskQueue,
  args: [{ serial: input.serial, action: input.action, reason: input.reason, ackTimeoutMs: deps.ackTimeoutMs }] as Parameters<BatteryControlWorkflow>,
  typedSearchAttributes: startAttributes({ surface: 'fleet', serial: input.serial, status: `sending_${input.action}` }),
});

/** Starts `battery-control:<serial>` or tells the running one the newer desired status. */
export function requestBatteryStatus(deps: BatteryCommandDeps, input: { serial: string; action: BatteryAction; reason: string }) {
  return deps.temporal.workflow.signalWithStart<BatteryControlWorkflow, [{ action: BatteryAction; reason: string }]>('batteryControlWorkflow', {
    ...controlOptions(deps, input),
    signal: desiredStatusSignal,
    signalArgs: [{ action: input.action, reason: input.reason }],
  });
}

/**
 * Sends a battery its commanded status again (reconcile), unless a `battery-control:<serial>` run
 * is already under way: that run is bringing the battery to the newest desired status, and the
 * row's status may be the one it is replacing. True when a run was started.
 */
export async function resendBatteryStatus(deps: BatteryCommandDeps, input: { serial: string; action: BatteryAction; reason: string }): Promise<boolean> {
  try {
    await deps.temporal.workflow.start<BatteryControlWorkflow>('batteryControlWorkflow', controlOptions(deps, input));
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}
