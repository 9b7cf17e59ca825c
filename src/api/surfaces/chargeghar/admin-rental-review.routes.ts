import { z } from 'zod';
import { REVIEW_REASONS, REVIEW_RESOLUTIONS, RentalReviewService } from '../../../modules/rentals';
import { paginated, PaginationQuery, QueryBool } from '../../http/pagination';
import type { SurfaceModule } from '../types';

const ReviewItem = z
  .object({
    rental_id: z.string(),
    reason: z.enum(REVIEW_REASONS),
    flagged_at: z.string(),
    user: z.object({ id: z.string(), phone: z.string().nullable(), email: z.string().nullable() }),
    station_sn: z.string(),
    slot: z.number().int(),
    power_bank_sn: z.string(),
    rental_status: z.string(),
    payment_status: z.string(),
    failure_code: z.string().nullable(),
    power_bank: z.object({
      status: z.string().nullable().openapi({ description: 'Inventory status of the power bank now (rented = out of every bay)' }),
      out_with_this_rental: z.boolean().openapi({ description: "Out of its bay, and this rental's user was the last to take it" }),
    }),
    resolution: z
      .object({ resolution: z.enum(REVIEW_RESOLUTIONS), note: z.string().nullable(), resolved_at: z.string(), resolved_by: z.string() })
      .nullable()
      .openapi({ description: 'Set once an admin closed the review (POST /admin/rentals/{id}/review/resolve)' }),
    returned: z
      .object({ at: z.string(), station_sn: z.string().nullable(), slot: z.number().int().nullable(), return_id: z.string().nullable() })
      .nullable()
      .openapi({
        description: 'Set once the power bank came back to a station; `return_id` is its row in GET /admin/rentals/returns (outcome `after_failure`)',
      }),
  })
  .openapi('RentalReviewItem');

/** Rentals an admin should look at: failed ejects whose bay let the power bank go, or could not be confirmed. */
export const adminRentalReviewRoutes: SurfaceModule = (routes, deps) => {
  const reviews = new RentalReviewService({ orm: deps.orm });

  routes.route({
    method: 'get',
    path: '/admin/rentals/review',
    tags: ['Admin: Rentals'],
    auth: 'admin',
    query: PaginationQuery.extend({
      reason: z.enum(REVIEW_REASONS).optional().openapi({ description: 'ejected_after_failure or eject_unconfirmed' }),
      open: QueryBool.optional().openapi({ description: 'true: the power bank is not back yet; false: it is' }),
      resolved: QueryBool.optional().openapi({ description: 'false: still waiting for an admin (the work queue); true: closed' }),
    }),
    response: paginated(ReviewItem),
    summary: 'Failed rentals flagged for review: the eject timed out, then the bay reported the power bank gone (or never reported)',
    description:
      'After an eject timeout the rental fails and is refunded; the bay is then watched for RENTAL_EJECT_WATCH_MINUTES. `ejected_after_failure`: a later kiosk report showed the bay without the power bank, which now counts as out with this user (nothing charged; the user was asked to return it). `eject_unconfirmed`: the kiosk reported nothing about the bay in time. Newest first.',
    handler: ({ query }) => reviews.list(query),
  });

  routes.route({
    method: 'post',
    path: '/admin/rentals/:id/review/resolve',
    tags: ['Admin: Rentals'],
    auth: 'admin',
    params: z.object({ id: z.uuid() }),
    body: z.object({
      resolution: z.enum(REVIEW_RESOLUTIONS).openapi({ description: 'power_bank_recovered, written_off or no_issue' }),
      note: z.string().trim().min(1).max(500).optional(),
    }),
    response: ReviewItem,
    summary: "Closes a rental review with the admin's decision (recorded on the rental and its timeline; moves no money)",
    errors: { 404: 'No rental under review with this id', 409: 'Already resolved (REVIEW_ALREADY_RESOLVED): the first decision stands' },
    handler: ({ params, body, user }) => reviews.resolve(params.id, user!.id, body),
  });
};
