import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { startAttributes } from '../../../kernel/temporal/search-attributes';
import { notifyWorkflowId, type NotificationWorkflow, type NotificationWorkflowInput } from '../workflows/definitions';

export { notifyWorkflowId };

/**
 * Starts the `notify:<notificationId>` push workflow: the one start used by NotificationService
 * (right after the rows commit) and by the push sweeper (for logs left `queued`). The id may be
 * used once only (REJECT_DUPLICATE, even after the run closed), so a notification is never pushed
 * twice however often and by whom this is called. Other errors (Temporal unreachable) are thrown.
 */
export async function startNotifyWorkflow(
  client: Client,
  taskQueue: string,
  push: { notificationId: string; userId: string },
): Promise<'started' | 'already_started'> {
  const input: NotificationWorkflowInput = { notificationId: push.notificationId };
  try {
    await client.workflow.start<NotificationWorkflow>('notificationWorkflow', {
      workflowId: notifyWorkflowId(push.notificationId),
      taskQueue,
      args: [input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: startAttributes({ userId: push.userId }),
    });
    return 'started';
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 'already_started';
    throw err;
  }
}
