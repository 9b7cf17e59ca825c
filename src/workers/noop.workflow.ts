/**
 * Does nothing: the yardstick of `npm run bench:rentals` (a workflow's start-to-completion cost on
 * the same server and worker) and a cheap way to check that a worker serves its task queue.
 */
export async function noopWorkflow(): Promise<void> {
  // intentionally empty
}
