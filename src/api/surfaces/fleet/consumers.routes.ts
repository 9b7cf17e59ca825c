import { z } from 'zod';
import { AADHAAR_FORMAT, ConsumerService, PAN_FORMAT } from '../../../modules/loans';
import type { SurfaceModule } from '../types';
import { callerOf } from './caller';

export const Consumer = z
  .object({
    id: z.number().int(),
    dealer_id: z.string().uuid(),
    name: z.string(),
    phone: z.string(),
    kyc_status: z.enum(['pending', 'submitted', 'verified', 'rejected']),
    pan: z.string().nullable(),
    aadhaar: z.string().nullable().openapi({ description: 'Masked only: XXXX XXXX 1234' }),
    created_at: z.string(),
  })
  .openapi('Consumer');
const IdParams = z.object({ id: z.coerce.number().int().positive() });
const CreateBody = z
  .object({
    name: z.string().trim().min(1).max(120),
    phone: z.string().regex(/^\+91[6-9]\d{9}$/, 'must be +91 and 10 digits'),
    dealer_id: z.string().uuid().optional().openapi({ description: 'Admins only: the dealer of the consumer' }),
  })
  .openapi('CreateConsumer');
const KycBody = z
  .object({
    kyc_status: z.enum(['pending', 'submitted', 'verified', 'rejected']),
    pan: z.string().regex(PAN_FORMAT, 'PAN must look like AAAAA9999A').optional().openapi({ example: 'ABCDE1234F', description: 'Format AAAAA9999A' }),
    aadhaar: z.string().regex(AADHAAR_FORMAT, 'Aadhaar must be 12 digits').optional().openapi({ description: '12 digits; stored and returned masked only' }),
  })
  .openapi('UpdateKyc');
const DocumentBody = z
  .object({
    document_type: z.enum(['pan_card', 'aadhaar_card', 'photo', 'address_proof', 'bank_statement', 'other']),
    document_url: z.string().url().max(2048),
  })
  .openapi('ConsumerDocument');

/** Consumers: a dealer's own only (another dealer's consumer is 404); admins see all. */
export const fleetConsumerRoutes: SurfaceModule = (routes, deps) => {
  const consumers = new ConsumerService({ orm: deps.orm });
  routes.route({
    method: 'get',
    path: '/consumers',
    summary: 'List consumers with their KYC status',
    tags: ['Consumers'],
    auth: 'user',
    response: z.array(Consumer),
    errors: { 403: 'FORBIDDEN (technicians) / NOT_A_FLEET_MEMBER' },
    handler: async ({ user }) => consumers.list(await callerOf(deps, user)),
  });
  routes.route({
    method: 'post',
    path: '/consumers',
    summary: 'Onboard a consumer',
    tags: ['Consumers'],
    auth: 'user',
    status: 201,
    body: CreateBody,
    response: Consumer,
    errors: { 403: 'FORBIDDEN', 409: 'CONSUMER_EXISTS' },
    handler: async ({ user, body }) => consumers.create(await callerOf(deps, user), body),
  });
  routes.route({
    method: 'put',
    path: '/consumers/:id/kyc',
    summary: 'Update KYC (PAN validated, Aadhaar masked)',
    tags: ['Consumers'],
    auth: 'user',
    params: IdParams,
    body: KycBody,
    response: Consumer,
    errors: { 403: 'FORBIDDEN', 404: 'Consumer not found (or another dealer’s)', 409: 'PAN_REQUIRED: verifying needs a PAN, given here or stored' },
    handler: async ({ user, params, body }) => consumers.updateKyc(await callerOf(deps, user), params.id, body),
  });
  routes.route({
    method: 'post',
    path: '/consumers/:id/documents',
    summary: 'Attach a KYC document',
    tags: ['Consumers'],
    auth: 'user',
    status: 201,
    params: IdParams,
    body: DocumentBody,
    errors: { 403: 'FORBIDDEN', 404: 'Consumer not found' },
    handler: async ({ user, params, body }) => consumers.addDocument(await callerOf(deps, user), params.id, body),
  });
};
