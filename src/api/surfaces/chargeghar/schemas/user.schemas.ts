import { z } from 'zod';
import '../../../http/openapi';
import { PaginationQuery, QueryBool } from '../../../http/pagination';
import { QueryDate } from '../../../http/query';
import { COUNTRY_CODES } from '../../../../modules/engagement';
import { ageOn, MIN_AGE_YEARS, REQUIRED_PROFILE_FIELDS, GENDERS } from '../../../../modules/identity';
const KycState = z.enum(['not_submitted', 'pending', 'approved', 'rejected']);

export const KycSummarySchema = z.object({
  status: KycState,
  submission_id: z.string().nullable(),
  rejection_reason: z.string().nullable(),
  submitted_at: z.string().nullable(),
  reviewed_at: z.string().nullable(),
});

const AddressOut = z.object({
  line: z.string().nullable(),
  city: z.string().nullable(),
  district: z.string().nullable(),
  province: z.string().nullable(),
  postal_code: z.string().nullable(),
  country_code: z.string(),
});

export const ProfileSchema = z
  .object({
    id: z.string(),
    username: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    role: z.string(),
    status: z.string(),
    full_name: z.string().nullable(),
    date_of_birth: z.string().nullable(),
    gender: z.enum(GENDERS).nullable(),
    avatar_url: z.string().nullable(),
    preferred_language: z.string(),
    address: AddressOut,
    kyc: KycSummarySchema,
    is_complete: z.boolean().openapi({ description: `All of ${REQUIRED_PROFILE_FIELDS.join(', ')} are filled; rentals require it` }),
    missing_fields: z.array(z.string()),
    rental_eligibility: z.object({ profile_complete: z.boolean(), kyc_approved: z.boolean() }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Profile');

const text = (max: number) => z.string().trim().min(1).max(max);
const dateOfBirth = z.iso.date().refine((d) => {
  const age = ageOn(d, new Date().toISOString().slice(0, 10));
  return age >= MIN_AGE_YEARS && age <= 120;
}, `Must be a date of birth of someone aged ${MIN_AGE_YEARS} to 120`);
const countryCode = z
  .string()
  .length(2)
  .transform((c) => c.toUpperCase())
  .refine((c) => COUNTRY_CODES.has(c), 'Unknown ISO 3166-1 alpha-2 country code')
  .openapi('CountryCode', { enum: [...COUNTRY_CODES].flatMap((c) => [c, c.toLowerCase()]), description: 'ISO 3166-1 alpha-2, either case' });
const language = z.enum(['en', 'ne']).openapi({ description: 'App language: en or ne (Nepali)' });

const AddressPatch = z
  .object({
    line: text(255).nullable().optional(),
    city: text(100).nullable().optional(),
    district: text(100).nullable().optional(),
    province: text(64).nullable().optional(),
    postal_code: z
      .string()
      .regex(/^\d{5}$/, 'Nepali postal codes have 5 digits')
      .nullable()
      .optional(),
    country_code: countryCode.optional(),
  })
  .strict();

/** PATCH: any subset; null clears a field. */
export const ProfilePatchBody = z
  .object({
    full_name: text(120).nullable().optional(),
    date_of_birth: dateOfBirth.nullable().optional(),
    gender: z.enum(GENDERS).nullable().optional(),
    avatar_url: z.string().max(1024).nullable().optional().openapi({ description: 'A URL returned by /app/upload (image)' }),
    preferred_language: language.optional(),
    address: AddressPatch.optional(),
  })
  .strict()
  .openapi('ProfilePatch');

/** PUT: the whole profile; the fields rentals need are required, the others are cleared when left out. */
export const ProfilePutBody = ProfilePatchBody.extend({
  full_name: text(120),
  date_of_birth: dateOfBirth,
  gender: z.enum(GENDERS),
  address: AddressPatch.extend({ line: text(255), city: text(100) }),
})
  .strict()
  .openapi('ProfilePut');

export const WalletSchema = z
  .object({
    currency: z.literal('NPR'),
    balance: z.string().openapi({ example: '120.50' }),
    balance_minor: z.number().int(),
    points: z.number().int(),
  })
  .openapi('Wallet');

export const UsageStatsSchema = z
  .object({
    rentals: z.object({ total: z.number().int() }),
    topups: z.object({ count: z.number().int(), total_minor: z.number().int(), currency: z.literal('NPR') }),
    points: z.object({ balance: z.number().int(), earned: z.number().int() }),
    stations: z.object({ favorites: z.number().int(), issue_reports: z.number().int() }),
    notifications: z.object({ unread: z.number().int() }),
    member_since: z.string().nullable(),
  })
  .openapi('UsageStats');

export const UserListItem = z
  .object({
    id: z.string(),
    username: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    role: z.string(),
    status: z.string(),
    full_name: z.string().nullable(),
    city: z.string().nullable(),
    kyc_status: KycState,
    profile_complete: z.boolean(),
    created_at: z.string(),
  })
  .openapi('UserListItem');

export { KycState };

/** The admin user list's filters (`GET /users`, `GET /admin/users`). */
export const UserListQueryParams = PaginationQuery.extend({
  role: z.string().max(16).optional(),
  status: z.string().max(16).optional().openapi({ description: 'active, banned, suspended, deleted' }),
  kyc_status: KycState.optional(),
  profile_complete: QueryBool.optional(),
  search: z.string().trim().min(1).max(100).optional().openapi({ description: 'Phone, email, username or full name contains' }),
  created_from: QueryDate.optional().openapi({ description: 'Registered at or after' }),
  created_to: QueryDate.optional().openapi({ description: 'Registered before' }),
  ordering: z.enum(['newest', 'oldest', 'username']).default('newest'),
});
