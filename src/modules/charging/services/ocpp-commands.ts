import { ApplicationFailure } from '@temporalio/common';
import type { Config } from '../../../config';

/** Where and how workers reach the OCPP process: OCPP_COMMAND_URL, or this host's OCPP_PORT. */
export const ocppCommandTarget = (c: Pick<Config, 'OCPP_COMMAND_URL' | 'OCPP_PORT' | 'OCPP_COMMAND_TOKEN'>) => ({
  url: c.OCPP_COMMAND_URL ?? `http://127.0.0.1:${c.OCPP_PORT}`,
  token: c.OCPP_COMMAND_TOKEN,
});

/**
 * How a worker asks the OCPP process to send a charger a call: `POST <url>/commands/<deviceNumber>/<action>`
 * with the call's payload, Bearer OCPP_COMMAND_TOKEN; the answer is the charger's response. 404: the
 * charger is not connected; 504: it did not answer in time; 502: it answered with a CALLERROR.
 */
export async function sendOcppCommand(
  opts: { url: string; token: string },
  deviceNumber: string,
  action: string,
  payload: object,
  timeoutMs?: number,
): Promise<Record<string, unknown>> {
  let res: Response;
  const query = timeoutMs ? `?timeoutMs=${timeoutMs}` : '';
  try {
    res = await fetch(`${opts.url.replace(/\/+$/, '')}/commands/${encodeURIComponent(deviceNumber)}/${action}${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token}` },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout((timeoutMs ?? 15_000) + 5_000),
    });
  } catch (err) {
    throw ApplicationFailure.retryable(`OCPP process unreachable: ${(err as Error).message}`, 'OcppUnreachable');
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.status === 404) throw ApplicationFailure.nonRetryable(`charger ${deviceNumber} is not connected`, 'ChargerOffline');
  if (res.status === 504) throw ApplicationFailure.nonRetryable(`charger ${deviceNumber} did not answer ${action}`, 'ChargerTimeout');
  if (!res.ok) throw ApplicationFailure.nonRetryable(`charger ${deviceNumber} failed ${action}: ${String(body.error ?? res.status)}`, 'ChargerCallFailed');
  return body;
}
