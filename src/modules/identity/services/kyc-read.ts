import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { KycSubmission } from '../entities';

export type KycState = 'not_submitted' | 'pending' | 'approved' | 'rejected';

/** The user's current KYC submission: the newest one (an approved one is always the newest). */
export function latestKyc(em: EntityManager, userId: string): Promise<KycSubmission | null> {
  return em.findOne(KycSubmission, { userId }, { orderBy: { createdAt: 'desc' } });
}

export function kycSummary(k: KycSubmission | null) {
  return {
    status: (k?.status ?? 'not_submitted') as KycState,
    submission_id: k?.id ?? null,
    rejection_reason: k?.status === 'rejected' ? (k.rejectionReason ?? null) : null,
    submitted_at: k?.createdAt.toISOString() ?? null,
    reviewed_at: k?.reviewedAt?.toISOString() ?? null,
  };
}

/** Rentals require this (seed 001: "KYC is mandatory for rentals"). */
export async function isKycApproved(orm: MikroORM | EntityManager, userId: string): Promise<boolean> {
  const em = 'em' in orm ? orm.em.fork() : orm;
  return (await em.count(KycSubmission, { userId, status: 'approved' })) > 0;
}
