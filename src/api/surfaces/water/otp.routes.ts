import { z } from 'zod';
import { OTP_STATUSES, presentOtp, TRANSACTION_REFERENCE, WaterOtpService } from '../../../modules/dispensing';
import type { SurfaceModule } from '../types';
import { sameStation, stationGuard, stationOrAdminGuard } from './station-guard';

const Ref = z.object({ transactionReference: z.string().regex(TRANSACTION_REFERENCE, 'must be a WS-... transaction reference') });
const StationId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -');
const OtpStatusSchema = z
  .object({
    exists: z.boolean(),
    status: z.enum(OTP_STATUSES),
    expiresAt: z.string(),
    attempts: z.number(),
    maxAttempts: z.number(),
    liters: z.number(),
    remainingAttempts: z.number(),
    valve: z
      .enum(['open', 'no_ack', 'closed'])
      .nullable()
      .openapi({ description: "The station's valve after the last verify: open (acked), no_ack (the OTP stayed usable), closed" }),
  })
  .passthrough()
  .openapi('WaterOtpStatus');
const errors = { 401: 'Station credentials missing or invalid', 403: 'stationId is not the signing station' };
const signed =
  'Signed by a water station: X-Station-Id, X-Timestamp (unix seconds), X-Nonce (new for every request: a reused one is refused 401) and X-Signature = hex HMAC-SHA256(station secret, timestamp\\nnonce\\nMETHOD\\npath\\nsha256(body)).';

/** Seed 002 OTP and station paths. */
export const otpRoutes: SurfaceModule = (routes, deps) => {
  const otps = new WaterOtpService(deps);
  routes.route({
    method: 'post',
    path: '/otp/generate',
    summary: 'Re-issue the OTP of a completed transaction (returned once)',
    description: `${signed} Or an admin's bearer token.`,
    tags: ['OTP'],
    status: 201,
    limits: [stationOrAdminGuard(deps)],
    body: z.object({ transactionReference: z.string().regex(TRANSACTION_REFERENCE), liters: z.number().positive().optional() }),
    errors: { ...errors, 404: 'Transaction not found', 409: 'TRANSACTION_NOT_COMPLETED (not paid yet) or OTP_USED (already dispensed)' },
    message: 'OTP generated successfully',
    handler: ({ body }) => otps.generate(body.transactionReference),
  });
  routes.route({
    method: 'get',
    path: '/otp/status/:transactionReference',
    summary: 'OTP status of a transaction',
    tags: ['OTP'],
    params: Ref,
    response: OtpStatusSchema,
    errors: { 404: 'OTP not found' },
    message: 'OTP status retrieved',
    handler: async ({ params }) => presentOtp(await otps.state(params.transactionReference)),
  });
  stationRoutes(routes, deps, otps);
};

/** The station's own paths: verify (then the valve command over MQTT) and status, each a signed request. */
function stationRoutes(routes: Parameters<SurfaceModule>[0], deps: Parameters<SurfaceModule>[1], otps: WaterOtpService) {
  const station = stationGuard(deps);
  routes.route({
    method: 'post',
    path: '/stations/otp/verify',
    summary: 'Verify an OTP at a station: locks it there, opens its valve (MQTT command, acked) and returns liters and pulses',
    description: `${signed} After the verify the backend sends \`open_valve\` ({id, type, transactionReference, pulses, liters}) on water/<stationId>/cmd and answers once the station acks it on water/<stationId>/ack; no ack within WATER_VALVE_ACK_SECONDS: 504 VALVE_NOT_OPENED and the OTP stays usable.`,
    tags: ['Stations'],
    limits: [station],
    body: z.object({
      transactionReference: z.string().regex(TRANSACTION_REFERENCE),
      otp: z.string().regex(/^\d{6}$/, 'must be 6 digits'),
      stationId: StationId,
    }),
    errors: {
      ...errors,
      404: 'OTP not found',
      409: 'OTP in use at a different station',
      504: 'The station did not ack open_valve in time: the OTP is still usable',
    },
    message: 'OTP verified successfully. Dispensing authorized.',
    handler: ({ body, req }) => otps.verify(body.transactionReference, body.otp, sameStation(req, body.stationId)),
  });
  routes.route({
    method: 'get',
    path: '/stations/otp/status/:transactionReference',
    summary: 'Whether an OTP can be used at this station',
    description: signed,
    tags: ['Stations'],
    limits: [station],
    params: Ref,
    query: z.object({ stationId: StationId }),
    errors: { ...errors, 404: 'OTP not found' },
    message: 'OTP status retrieved',
    handler: ({ params, query, req }) => otps.stationStatus(params.transactionReference, sameStation(req, query.stationId)),
  });
}
