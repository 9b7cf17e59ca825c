import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '../../../kernel/errors';
import { User, UserProfile } from '../entities';
import { missingProfileFields } from '../rules/profile-completeness';
import type { Gender } from '../entities/user-profile.entity';
import { assertOwnUploads, type NotificationService } from '../../engagement';
import { kycSummary, latestKyc } from './kyc-read';

export interface ProfileInput {
  full_name?: string | null;
  date_of_birth?: string | null;
  gender?: Gender | null;
  avatar_url?: string | null;
  preferred_language?: string;
  address?: {
    line?: string | null;
    city?: string | null;
    district?: string | null;
    province?: string | null;
    postal_code?: string | null;
    country_code?: string;
  };
}

/** Rentals require this (seed 001: "Profile completion is enforced before rental"). */
export async function isProfileComplete(orm: MikroORM | EntityManager, userId: string): Promise<boolean> {
  const em = 'em' in orm ? orm.em.fork() : orm;
  return missingProfileFields(await em.findOne(UserProfile, { userId })).length === 0;
}

export class ProfileService {
  constructor(private readonly deps: { orm: MikroORM; notifications: NotificationService }) {}

  private async user(em: EntityManager, userId: string): Promise<User> {
    const user = await em.findOne(User, { id: userId });
    if (!user) throw new AppError('USER_NOT_FOUND', 'No account for this token', 404);
    return user;
  }

  async get(userId: string) {
    const em = this.deps.orm.em.fork();
    const user = await this.user(em, userId);
    const profile = await em.findOne(UserProfile, { userId });
    const dto = await this.dto(em, user, profile);
    if (!dto.is_complete) await this.remindToComplete(userId, dto.missing_fields);
    return dto;
  }

  /** PUT replaces the profile (fields left out become empty); PATCH changes only the fields given. */
  async update(userId: string, input: ProfileInput, mode: 'put' | 'patch') {
    const em = this.deps.orm.em.fork();
    const user = await this.user(em, userId);
    if (input.avatar_url) await assertOwnUploads(em, userId, { 'body.avatar_url': input.avatar_url }, ['image']);
    const profile = (await em.findOne(UserProfile, { userId })) ?? Object.assign(new UserProfile(), { userId });
    const put = mode === 'put';
    const pick = <T>(value: T | undefined, current: T) => (value !== undefined ? value : put ? (null as T) : current);
    const a = input.address ?? {};
    Object.assign(profile, {
      fullName: pick(input.full_name?.trim(), profile.fullName),
      dateOfBirth: pick(input.date_of_birth, profile.dateOfBirth),
      gender: pick(input.gender, profile.gender),
      avatarUrl: pick(input.avatar_url, profile.avatarUrl),
      addressLine: pick(a.line, profile.addressLine),
      city: pick(a.city, profile.city),
      district: pick(a.district, profile.district),
      province: pick(a.province, profile.province),
      postalCode: pick(a.postal_code, profile.postalCode),
      countryCode: a.country_code ?? (put ? 'NP' : profile.countryCode),
      preferredLanguage: input.preferred_language ?? (put ? 'en' : profile.preferredLanguage),
    });
    await em.persistAndFlush(profile);
    return this.dto(em, user, profile);
  }

  /** The in-app "complete your profile" reminder of seed 001, at most once a day per user. */
  private async remindToComplete(userId: string, missing: string[]) {
    const day = new Date().toISOString().slice(0, 10);
    await this.deps.notifications.notify(
      userId,
      {
        type: 'profile_reminder',
        title: 'Complete your profile',
        body: 'Add your name, date of birth, gender and address to start renting power banks.',
        data: { missing_fields: missing, action: 'open_profile' },
      },
      ['in_app'],
      { dedupeKey: `profile-reminder:${userId}:${day}` },
    );
  }

  private async dto(em: EntityManager, user: User, p: UserProfile | null) {
    const kyc = kycSummary(await latestKyc(em, user.id));
    const missing = missingProfileFields(p);
    return {
      id: user.id,
      username: user.username ?? null,
      phone: user.phone ?? null,
      email: user.email ?? null,
      role: user.role,
      status: user.status,
      full_name: p?.fullName ?? null,
      date_of_birth: p?.dateOfBirth ?? null,
      gender: p?.gender ?? null,
      avatar_url: p?.avatarUrl ?? null,
      preferred_language: p?.preferredLanguage ?? 'en',
      address: {
        line: p?.addressLine ?? null,
        city: p?.city ?? null,
        district: p?.district ?? null,
        province: p?.province ?? null,
        postal_code: p?.postalCode ?? null,
        country_code: p?.countryCode ?? 'NP',
      },
      kyc,
      is_complete: missing.length === 0,
      missing_fields: missing as string[],
      rental_eligibility: { profile_complete: missing.length === 0, kyc_approved: kyc.status === 'approved' },
      created_at: user.createdAt.toISOString(),
      updated_at: (p?.updatedAt ?? user.updatedAt).toISOString(),
    };
  }
}
