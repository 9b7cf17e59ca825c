import { ApplicationFailure } from '@temporalio/common';

/**
 * How a worker asks the OCPP process to send a charger a call: `POST <url>/commands/<deviceNumber>/<action>`
 * with the call's payload, Bearer OCPP_COMMAND_TOKEN; the answer is the charger's response. 404: the
 * charger is not connected; 502: it answered with a CALLERROR or not at all.
 */
export async function sendOcppCommand(
  opts: { url: string; token: string },
  deviceNumber: string,
  action: string,
  payload: object,
): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(`${opts.url.replace(/\/+$/, '')}/commands/${encodeURIComponent(deviceNumber)}/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token}` },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(20_000),
    });
  } catch (err) {
    throw ApplicationFailure.retryable(`OCPP process unreachable: ${(err as Error).message}`, 'OcppUnreachable');
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.status === 404) throw ApplicationFailure.nonRetryable(`charger ${deviceNumber} is not connected`, 'ChargerOffline');
  if (!res.ok) throw ApplicationFailure.nonRetryable(`charger ${deviceNumber} failed ${action}: ${String(body.error ?? res.status)}`, 'ChargerCallFailed');
  return body;
}
