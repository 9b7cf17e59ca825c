import { defineQuery, defineSignal } from '@temporalio/workflow';

/** The charging session's contract (`charging:<purchaseId>`). */
export const chargingWorkflowId = (purchaseId: string) => `charging:${purchaseId}`;

export interface ChargingInput {
  purchaseId: string;
  userId: string;
  chargerId: string;
  deviceNumber: string;
  /** MNT minor units per kWh and per waiting minute, fixed at the start. */
  price: number;
  waitingPrice: number;
  /** What the session may spend (the wallet less other holds at the start). */
  holdMinor: number;
  startTimeoutSeconds: number;
  disconnectGraceSeconds: number;
  waitingCapMinutes: number;
}

export interface ChargingResult {
  purchaseId: string;
  status: 'billed' | 'failed';
  amount: number;
  wh: number;
  waitingMinutes: number;
  flagged: boolean;
  stopReason: string;
}

/** From the OCPP process: the charger's messages of this session. */
export const startedSignal = defineSignal<[{ transactionId: number; meterStart: number }]>('ocppStarted');
export const meterSignal = defineSignal<[{ wh: number }]>('ocppMeter');
export const stoppedSignal = defineSignal<[{ meterStop: number; reason?: string }]>('ocppStopped');
/** StatusNotification of the connector (SuspendedEV, Finishing, Available, Faulted, ...). */
export const statusSignal = defineSignal<[{ status: string }]>('ocppStatus');
export const connectionSignal = defineSignal<[{ connected: boolean }]>('ocppConnection');
/** From the API: the driver ends the session. */
export const finishSignal = defineSignal('finish');

export const chargingStateQuery = defineQuery<{ state: string; wh: number; cost: number }>('chargingState');

export type ChargingWorkflow = (input: ChargingInput) => Promise<ChargingResult>;
