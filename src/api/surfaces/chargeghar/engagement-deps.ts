import { NotificationService } from '../../../modules/engagement';
import type { ApiDeps } from '../../deps';

/** The notification service of the API process (writes rows, starts notify:<id> workflows). */
export function notificationServiceFor(deps: ApiDeps): NotificationService {
  return new NotificationService({ orm: deps.orm, temporal: deps.temporal, taskQueue: deps.config.TEMPORAL_TASK_QUEUE });
}
