import { LockMode } from '@mikro-orm/core';
import { UniqueConstraintViolationException, type EntityManager, type MikroORM } from '@mikro-orm/postgresql';
import { AppError, Errors } from '../../../kernel/errors';
import { likeContains, offsetOf, pageOf, type Pagination } from '../../../kernel/paging';
import { KycSubmission, User } from '../entities';
import { isValidCitizenshipNumber, normaliseCitizenshipNumber } from '../rules/citizenship';
import type { KycStatus } from '../entities/kyc-submission.entity';
import { assertOwnUploads, type NotificationService, type RecordedNotification } from '../../engagement';
import { latestKyc } from './kyc-read';

/** Turns a private file's stored URL into a short-lived signed link (engagement's PrivateMediaLinks). */
export interface MediaLinkSigner {
  sign(url: string): string;
}

export interface KycInput {
  citizenship_number?: string;
  full_name?: string | null;
  issued_district?: string | null;
  issued_date?: string | null;
  document_front_url?: string;
  document_back_url?: string;
}

export function kycDto(k: KycSubmission) {
  return {
    id: k.id,
    user_id: k.userId,
    document_type: k.documentType,
    citizenship_number: k.citizenshipNumber,
    full_name: k.fullName ?? null,
    issued_district: k.issuedDistrict ?? null,
    issued_date: k.issuedDate ?? null,
    document_front_url: k.documentFrontUrl,
    document_back_url: k.documentBackUrl,
    status: k.status,
    rejection_reason: k.rejectionReason ?? null,
    reviewed_at: k.reviewedAt?.toISOString() ?? null,
    submitted_at: k.createdAt.toISOString(),
    updated_at: k.updatedAt.toISOString(),
  };
}

const alreadyApproved = () => new AppError('KYC_ALREADY_APPROVED', 'Your KYC is already approved', 409);
const numberInUse = () => new AppError('CITIZENSHIP_NUMBER_IN_USE', 'This citizenship number is already verified for another account', 409);

/** KYC by Nepali citizenship certificate: users submit, admins approve or reject, users are notified. */
export class KycService {
  constructor(private readonly deps: { orm: MikroORM; notifications: NotificationService; mediaLinks?: MediaLinkSigner }) {}

  /** The submission as its owner or an admin sees it: the documents as short-lived signed links. */
  private dto(k: KycSubmission) {
    const sign = (url: string) => this.deps.mediaLinks?.sign(url) ?? url;
    return { ...kycDto(k), document_front_url: sign(k.documentFrontUrl), document_back_url: sign(k.documentBackUrl) };
  }

  /** POST: a new submission. Refused while one is pending (PATCH it) or once approved. */
  async submit(userId: string, input: Required<Pick<KycInput, 'citizenship_number' | 'document_front_url' | 'document_back_url'>> & KycInput) {
    const em = this.deps.orm.em.fork();
    if (!(await em.findOne(User, { id: userId }))) throw new AppError('USER_NOT_FOUND', 'No account for this token', 404);
    const latest = await latestKyc(em, userId);
    if (latest?.status === 'pending') throw new AppError('KYC_ALREADY_PENDING', 'A KYC submission is already under review; update it with PATCH', 409);
    if (latest?.status === 'approved') throw alreadyApproved();
    return this.save(em, Object.assign(new KycSubmission(), { userId }), input);
  }

  /** PATCH: edits the pending submission, or resubmits a rejected one with the changes applied. */
  async amend(userId: string, input: KycInput) {
    const em = this.deps.orm.em.fork();
    const latest = await latestKyc(em, userId);
    if (!latest) throw new AppError('KYC_NOT_FOUND', 'No KYC submission yet; submit one with POST', 404);
    if (latest.status === 'approved') throw alreadyApproved();
    const target =
      latest.status === 'pending'
        ? latest
        : Object.assign(new KycSubmission(), {
            userId,
            citizenshipNumber: latest.citizenshipNumber,
            fullName: latest.fullName,
            issuedDistrict: latest.issuedDistrict,
            issuedDate: latest.issuedDate,
            documentFrontUrl: latest.documentFrontUrl,
            documentBackUrl: latest.documentBackUrl,
          });
    return this.save(em, target, input);
  }

  private async save(em: EntityManager, k: KycSubmission, input: KycInput) {
    if (input.citizenship_number !== undefined) {
      const number = normaliseCitizenshipNumber(input.citizenship_number);
      if (!isValidCitizenshipNumber(number)) {
        throw Errors.validation([
          {
            field: 'body.citizenship_number',
            message: 'Not a citizenship certificate number: digits in groups separated by "-" or "/", 5 to 16 digits (e.g. 27-01-71-05846)',
          },
        ]);
      }
      k.citizenshipNumber = number;
    }
    // KYC documents must be private uploads (purpose kyc_document): never a publicly reachable file.
    await assertOwnUploads(
      em,
      k.userId,
      { 'body.document_front_url': input.document_front_url, 'body.document_back_url': input.document_back_url },
      ['image', 'document'],
      { privateOnly: true },
    );
    if (input.document_front_url) k.documentFrontUrl = input.document_front_url;
    if (input.document_back_url) k.documentBackUrl = input.document_back_url;
    if (input.full_name !== undefined) k.fullName = input.full_name;
    if (input.issued_district !== undefined) k.issuedDistrict = input.issued_district;
    if (input.issued_date !== undefined) k.issuedDate = input.issued_date;
    // A number already verified for another account is not refused here (that would confirm to anyone
    // that it belongs to a customer): the submission waits like any other and approving it is refused.
    try {
      await em.persistAndFlush(k);
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) throw new AppError('KYC_ALREADY_PENDING', 'A KYC submission is already under review', 409);
      throw err;
    }
    return this.dto(k);
  }

  async status(userId: string) {
    const k = await latestKyc(this.deps.orm.em.fork(), userId);
    if (!k) return { status: 'not_submitted' as const, submission: null, rejection_reason: null };
    return { status: k.status, submission: this.dto(k), rejection_reason: k.rejectionReason ?? null };
  }

  async list(q: Pagination & { status?: KycStatus; search?: string; ordering: 'oldest' | 'newest' }) {
    const conn = this.deps.orm.em.getConnection();
    const where: string[] = ['1=1'];
    const params: unknown[] = [];
    if (q.status) {
      where.push('k.status = ?');
      params.push(q.status);
    }
    if (q.search) {
      where.push(`(k.citizenship_number ilike ? or u.phone ilike ? or u.email ilike ? or u.username ilike ? or p.full_name ilike ? or k.full_name ilike ?)`);
      params.push(...Array(6).fill(likeContains(q.search)));
    }
    const from = `from kyc_submissions k join users u on u.id = k.user_id left join user_profiles p on p.user_id = k.user_id where ${where.join(' and ')}`;
    const [{ total }] = await conn.execute<{ total: number }[]>(`select count(*)::int as total ${from}`, params);
    const rows = await conn.execute<Record<string, unknown>[]>(
      `select k.id ${from} order by k.created_at ${q.ordering === 'newest' ? 'desc' : 'asc'}, k.id limit ? offset ?`,
      [...params, q.page_size, offsetOf(q)],
    );
    return pageOf(await this.withUsers(rows.map((r) => String(r.id))), total, q);
  }

  async get(id: string) {
    const [item] = await this.withUsers([id]);
    if (!item) throw Errors.notFound('KYC submission');
    return item;
  }

  private async withUsers(ids: string[]) {
    if (!ids.length) return [];
    const em = this.deps.orm.em.fork();
    const subs = await em.find(KycSubmission, { id: { $in: ids } });
    const users = new Map((await em.find(User, { id: { $in: subs.map((s) => s.userId) } })).map((u) => [u.id, u]));
    const byId = new Map(subs.map((s) => [s.id, s]));
    return ids
      .map((id) => byId.get(id)!)
      .filter(Boolean)
      .map((s) => {
        const u = users.get(s.userId);
        return { ...this.dto(s), user: { id: s.userId, username: u?.username ?? null, phone: u?.phone ?? null, email: u?.email ?? null } };
      });
  }

  approve(id: string, adminId: string) {
    return this.decide(id, adminId, 'approved');
  }

  reject(id: string, adminId: string, reason: string) {
    return this.decide(id, adminId, 'rejected', reason);
  }

  /** Pending → approved/rejected under a row lock; the user's notification is written in the same transaction. */
  private async decide(id: string, adminId: string, status: 'approved' | 'rejected', reason?: string) {
    let recorded: RecordedNotification | null = null;
    const k = await this.deps.orm.em.fork().transactional(async (em) => {
      const sub = await em.findOne(KycSubmission, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!sub) throw Errors.notFound('KYC submission');
      if (sub.status !== 'pending') throw new AppError('KYC_NOT_PENDING', `This submission is already ${sub.status}`, 409);
      Object.assign(sub, { status, rejectionReason: reason ?? null, reviewedBy: adminId, reviewedAt: new Date() });
      try {
        await em.flush();
      } catch (err) {
        if (err instanceof UniqueConstraintViolationException) throw numberInUse();
        throw err;
      }
      recorded = await this.deps.notifications.record(
        em,
        sub.userId,
        status === 'approved'
          ? { type: 'kyc_approved', title: 'KYC verified', body: 'Your identity is verified. You can now rent power banks.', data: { kyc_id: sub.id, status } }
          : {
              type: 'kyc_rejected',
              title: 'KYC rejected',
              body: `Your KYC was not approved: ${reason}. Please submit clear photos again.`,
              data: { kyc_id: sub.id, status, reason },
            },
        ['in_app', 'push'],
        { dedupeKey: `kyc-decision:${sub.id}` },
      );
      return sub;
    });
    if (recorded) await this.deps.notifications.dispatch(recorded);
    return (await this.withUsers([k.id]))[0];
  }
}
