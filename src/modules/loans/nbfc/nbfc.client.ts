import { callGateway } from '../../../kernel/http/gateway-call';

/**
 * The NBFC partner's loan-origination API (no industry standard: the common shape, see
 * docs/ARCHITECTURE.md "Fleet"): `POST {base}/v1/applications` with `X-API-Key`, the partner's
 * reference as idempotency key; answers `201 {application_id, status: "under_review"}` (the same
 * application again for a repeated reference). The decision comes later as a signed webhook.
 */
export interface NbfcApplicationRequest {
  partner_reference: string;
  applicant: { name: string; mobile: string; pan: string | null; aadhaar_last4: string | null };
  loan: { amount: number; tenure_months: number; purpose: string };
}

export class NbfcRefusedError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'NbfcRefusedError';
  }
}

export async function submitNbfcApplication(
  opts: { baseUrl: string; apiKey: string },
  body: NbfcApplicationRequest,
): Promise<{ application_id: string; status: string }> {
  const res = await callGateway(`${opts.baseUrl.replace(/\/+$/, '')}/v1/applications`, {
    method: 'POST',
    headers: { 'x-api-key': opts.apiKey, 'content-type': 'application/json', 'idempotency-key': body.partner_reference },
    body: JSON.stringify(body),
  });
  const payload = res.body as { application_id?: string; status?: string; error?: string };
  const ok = res.status >= 200 && res.status < 300;
  if (ok && payload.application_id) return { application_id: payload.application_id, status: payload.status ?? 'under_review' };
  if (res.status >= 400 && res.status < 500 && res.status !== 429)
    throw new NbfcRefusedError(`NBFC refused (${res.status}): ${payload.error ?? 'no reason given'}`, res.status);
  throw new Error(`NBFC unavailable (${res.status})`);
}
