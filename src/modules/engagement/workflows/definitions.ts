/** The push workflows' contract: ids, inputs and signatures that clients start them with. */

export interface NotificationWorkflowInput {
  notificationId: string;
}

/** `notify:<notificationId>`: one push notification whose fcm_logs row already exists. */
export type NotificationWorkflow = (input: NotificationWorkflowInput) => Promise<{ status: string }>;

export const notifyWorkflowId = (notificationId: string) => `notify:${notificationId}`;

/** One run of the push sweeper schedule. */
export type PushSweepWorkflow = () => Promise<{ expired: number; scanned: number; started: number; batches: number }>;

/** Where a broadcast stands: users reached so far, batches done, the last user id done (id order). */
export interface BroadcastProgress {
  broadcastId: string;
  delivered: number;
  batches: number;
  cursor: string | null;
  done: boolean;
  /** Push logs the last batch created (users of it with a device); absent in results of older workers. */
  pushes?: number;
}

export interface BroadcastWorkflowInput {
  broadcastId: string;
  /** Users a batch (default 500). */
  batchSize?: number;
  /** Batches before the run continues as new, so a broadcast to 100k users never grows one giant history (default 20). */
  batchesPerRun?: number;
}

/** `broadcast:<broadcastId>`: a notification to all users or a segment, in batches. */
export type BroadcastWorkflow = (input: BroadcastWorkflowInput) => Promise<BroadcastProgress>;

export const broadcastWorkflowId = (broadcastId: string) => `broadcast:${broadcastId}`;
export const BROADCAST_PROGRESS_QUERY = 'progress';
