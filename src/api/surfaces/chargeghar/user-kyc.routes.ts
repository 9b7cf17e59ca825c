import { z } from 'zod';
import { CITIZENSHIP_NUMBER_PATTERN, KYC_STATUSES, KycService } from '../../../modules/identity';
import { PaginationQuery, paginated } from '../../http/pagination';
import { PrivateMediaLinks } from '../../../modules/engagement';
import type { ApiDeps } from '../../deps';
import type { SurfaceRoutes } from '../../http/route';
import type { SurfaceModule } from '../types';
import { notificationServiceFor } from './engagement-deps';

const KycSubmissionSchema = z
  .object({
    id: z.string(),
    user_id: z.string(),
    document_type: z.string(),
    citizenship_number: z.string(),
    full_name: z.string().nullable(),
    issued_district: z.string().nullable(),
    issued_date: z.string().nullable(),
    document_front_url: z.string(),
    document_back_url: z.string(),
    status: z.enum(KYC_STATUSES),
    rejection_reason: z.string().nullable(),
    reviewed_at: z.string().nullable(),
    submitted_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('KycSubmission');
const AdminKycSchema = KycSubmissionSchema.extend({
  user: z.object({ id: z.string(), username: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable() }),
}).openapi('AdminKycSubmission');
const KycStatusSchema = z
  .object({
    status: z.enum(['not_submitted', ...KYC_STATUSES]),
    rejection_reason: z.string().nullable(),
    submission: KycSubmissionSchema.nullable(),
  })
  .openapi('KycStatus');

const docUrl = z.string().min(1).max(1024).openapi({ description: 'A URL returned by /app/upload (image or PDF) for this account' });
const citizenship = z
  .string()
  .regex(
    CITIZENSHIP_NUMBER_PATTERN,
    'Not a citizenship certificate number: digit groups separated by "-", "/" or a space, 5 to 16 digits (e.g. 27-01-71-05846)',
  )
  .openapi({ description: 'Nepali citizenship certificate number, e.g. 27-01-71-05846 (Devanagari digits accepted)', example: '27-01-71-05846' });
const optionalFields = {
  full_name: z.string().trim().min(1).max(120).nullable().optional().openapi({ description: 'Name as printed on the certificate' }),
  issued_district: z.string().trim().min(1).max(100).nullable().optional(),
  issued_date: z.iso.date().nullable().optional(),
};
const KycPostBody = z
  .object({ citizenship_number: citizenship, document_front_url: docUrl, document_back_url: docUrl, ...optionalFields })
  .strict()
  .openapi('KycSubmit');
const KycPatchBody = z
  .object({ citizenship_number: citizenship.optional(), document_front_url: docUrl.optional(), document_back_url: docUrl.optional(), ...optionalFields })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'Give at least one field')
  .openapi('KycAmend', { minProperties: 1 });
const IdParams = z.object({ id: z.uuid() });

const tags = ['KYC'];
const adminTags = ['Admin: KYC'];

/** The services the routes below call. */
function ctxOf(deps: ApiDeps) {
  const kyc = new KycService({ orm: deps.orm, notifications: notificationServiceFor(deps), mediaLinks: new PrivateMediaLinks(deps.config) });
  return { kyc };
}
type Ctx = ReturnType<typeof ctxOf>;

/** The user submits or corrects a submission, and reads its status. */
function userKycSubmissionRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { kyc }: Ctx) {
  for (const path of ['/auth/kyc', '/users/kyc']) {
    routes.route({
      method: 'post',
      path,
      tags,
      auth: 'user',
      body: KycPostBody,
      response: KycSubmissionSchema,
      status: 201,
      summary: 'Submit the Nepali citizenship certificate (number + front and back images) for verification',
      errors: {
        404: 'No account for this token, or a document URL that is no upload of this account (UPLOAD_NOT_FOUND)',
        409: 'A submission is pending (KYC_ALREADY_PENDING), KYC already approved (a number verified for another account is refused at approval, not here), or a document upload that is public or not an image/PDF (UPLOAD_UNSUITABLE)',
      },
      handler: ({ user, body }) => kyc.submit(user!.id, body),
    });
    routes.route({
      method: 'patch',
      path,
      tags,
      auth: 'user',
      body: KycPatchBody,
      response: KycSubmissionSchema,
      summary: 'Correct the pending submission, or resubmit a rejected one with these changes',
      errors: { 404: 'Nothing submitted yet (KYC_NOT_FOUND), or UPLOAD_NOT_FOUND', 409: 'Already approved, or UPLOAD_UNSUITABLE' },
      handler: ({ user, body }) => kyc.amend(user!.id, body),
    });
  }
  for (const path of ['/auth/kyc-status', '/users/kyc/status']) {
    routes.route({
      method: 'get',
      path,
      tags,
      auth: 'user',
      response: KycStatusSchema,
      summary: 'KYC status: not_submitted, pending, approved or rejected (with the reason)',
      handler: ({ user }) => kyc.status(user!.id),
    });
  }
}

/** Admins review the submissions: list, read, approve, reject. */
function adminKycRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { kyc }: Ctx) {
  routes.route({
    method: 'get',
    path: '/admin/kyc',
    tags: adminTags,
    auth: 'admin',
    response: paginated(AdminKycSchema),
    summary: 'KYC submissions to review (oldest first by default)',
    query: PaginationQuery.extend({
      status: z.enum(KYC_STATUSES).optional(),
      search: z.string().trim().min(1).max(100).optional().openapi({ description: 'Citizenship number, phone, email, username or name contains' }),
      ordering: z.enum(['oldest', 'newest']).default('oldest'),
    }),
    handler: ({ query }) => kyc.list(query),
  });
  routes.route({
    method: 'get',
    path: '/admin/kyc/:id',
    tags: adminTags,
    auth: 'admin',
    params: IdParams,
    response: AdminKycSchema,
    summary: 'One KYC submission',
    errors: { 404: 'Unknown submission' },
    handler: ({ params }) => kyc.get(params.id),
  });
  routes.route({
    method: 'post',
    path: '/admin/kyc/:id/approve',
    tags: adminTags,
    auth: 'admin',
    params: IdParams,
    response: AdminKycSchema,
    summary: 'Approve a pending submission; the user is notified in-app and by push',
    errors: { 404: 'Unknown submission', 409: 'Not pending (KYC_NOT_PENDING) or number verified for another account' },
    handler: ({ params, user }) => kyc.approve(params.id, user!.id),
  });
  routes.route({
    method: 'post',
    path: '/admin/kyc/:id/reject',
    tags: adminTags,
    auth: 'admin',
    params: IdParams,
    body: z.object({ reason: z.string().trim().min(3).max(500).openapi({ example: 'The back side photo is blurred' }) }).strict(),
    response: AdminKycSchema,
    summary: 'Reject a pending submission with a reason the user sees; the user is notified in-app and by push',
    errors: { 404: 'Unknown submission', 409: 'Not pending (KYC_NOT_PENDING)' },
    handler: ({ params, body, user }) => kyc.reject(params.id, user!.id, body.reason),
  });
}

/** KYC (Nepali citizenship) at 001's /auth/kyc and 003's /users/kyc, and the admin review queue. */
export const userKycRoutes: SurfaceModule = (routes, deps) => {
  const ctx = ctxOf(deps);
  userKycSubmissionRoutes(routes, deps, ctx);
  adminKycRoutes(routes, deps, ctx);
};
