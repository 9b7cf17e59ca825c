/** The push workflows' contract: ids, inputs and signatures that clients start them with. */

export interface NotificationWorkflowInput {
  notificationId: string;
}

/** `notify:<notificationId>`: one push notification whose fcm_logs row already exists. */
export type NotificationWorkflow = (input: NotificationWorkflowInput) => Promise<{ status: string }>;

export const notifyWorkflowId = (notificationId: string) => `notify:${notificationId}`;

/** One run of the push sweeper schedule. */
export type PushSweepWorkflow = () => Promise<{ expired: number; scanned: number; started: number; batches: number }>;
