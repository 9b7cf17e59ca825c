import type { ActivityInboundCallsInterceptor, ActivityInterceptorsFactory } from '@temporalio/worker';
import { classifyActivityError } from '../kernel/failures';

/** Every activity's error goes through the kernel's classification: infrastructure retries, the rest is final. */
class ClassifyActivityErrors implements ActivityInboundCallsInterceptor {
  async execute(
    input: Parameters<NonNullable<ActivityInboundCallsInterceptor['execute']>>[0],
    next: Parameters<NonNullable<ActivityInboundCallsInterceptor['execute']>>[1],
  ) {
    try {
      return await next(input);
    } catch (err) {
      throw classifyActivityError(err);
    }
  }
}

export const classifyActivityErrors: ActivityInterceptorsFactory = () => ({ inbound: new ClassifyActivityErrors() });
