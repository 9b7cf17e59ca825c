import { ApplicationFailure } from '@temporalio/activity';
import { GatewayError } from '../gateways/gateway';

/**
 * A gateway call as an activity sees it. The gateway's refusal (a 4xx: bad key, validation,
 * `charge_already_refunded`, Khalti refusing a refund) is final: `GatewayRefused`, with its HTTP
 * status and code, for the workflow to handle. Network errors, timeouts, 5xx and 429 stay
 * retryable: the activity retries them with backoff for as long as the gateway is away.
 */
export async function atGateway<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof GatewayError && !err.retryable) {
      throw ApplicationFailure.create({
        type: 'GatewayRefused',
        message: err.message,
        nonRetryable: true,
        details: [{ gateway: err.gateway, http_status: err.httpStatus ?? null, code: err.code ?? null }],
      });
    }
    throw err;
  }
}
