import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, Errors } from '../../../kernel/errors';
import { executor, isUniqueViolation } from '../../../kernel/sql';
import { maskAadhaar, PAN_FORMAT } from '../rules/kyc';
import { dealerScope, notYours, requireRole, type FleetCaller } from './access';

const COLUMNS = `c.id, c.dealer_id, c.name, c.phone, c.kyc_status, c.pan, c.aadhaar_masked, c.created_at, c.updated_at`;

export function presentConsumer(r: Record<string, unknown>) {
  return {
    id: Number(r.id),
    dealer_id: r.dealer_id as string,
    name: r.name as string,
    phone: r.phone as string,
    kyc_status: r.kyc_status as string,
    pan: (r.pan as string | null) ?? null,
    aadhaar: (r.aadhaar_masked as string | null) ?? null,
    created_at: new Date(r.created_at as string).toISOString(),
  };
}

/** Consumers (battery lessees) of a dealer: onboarding, KYC, documents. Dealers see their own only. */
export class ConsumerService {
  constructor(private readonly deps: { orm: MikroORM }) {}

  private get exec() {
    return executor(this.deps.orm);
  }

  async list(caller: FleetCaller) {
    requireRole(caller, 'dealer', 'admin');
    const scope = dealerScope(caller, 'c.dealer_id');
    const rows = await this.exec(`select ${COLUMNS} from fleet_consumers c where ${scope.sql} order by c.id`, scope.params);
    return rows.map(presentConsumer);
  }

  /** The consumer if the caller may see it (its dealer or an admin); 404 otherwise. */
  async get(caller: FleetCaller, id: number) {
    const scope = dealerScope(caller, 'c.dealer_id');
    const [row] = await this.exec(`select ${COLUMNS} from fleet_consumers c where c.id = ? and ${scope.sql}`, [id, ...scope.params]);
    if (!row || caller.userType === 'technician') throw notYours('Consumer');
    return presentConsumer(row);
  }

  async create(caller: FleetCaller, input: { name: string; phone: string; dealer_id?: string }) {
    requireRole(caller, 'dealer', 'admin');
    const dealerId = caller.userType === 'dealer' ? caller.memberId : input.dealer_id;
    if (!dealerId) throw Errors.validation([{ field: 'body.dealer_id', message: 'An admin names the dealer of the consumer', code: 'custom' }]);
    try {
      const [row] = await this.exec(`insert into fleet_consumers (dealer_id, name, phone) values (?, ?, ?) returning *`, [dealerId, input.name, input.phone]);
      return presentConsumer(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw Errors.conflict('CONSUMER_EXISTS', 'This dealer already has a consumer with this phone number');
      if ((err as { code?: string }).code === '23503') throw Errors.notFound('Dealer');
      throw err;
    }
  }

  async updateKyc(caller: FleetCaller, id: number, input: { kyc_status: string; pan?: string; aadhaar?: string }) {
    requireRole(caller, 'dealer', 'admin');
    await this.get(caller, id);
    if (input.pan !== undefined && !PAN_FORMAT.test(input.pan))
      throw Errors.validation([{ field: 'body.pan', message: 'PAN must look like AAAAA9999A', code: 'invalid_pan' }], 'Invalid PAN format');
    const masked = input.aadhaar === undefined ? undefined : maskAadhaar(input.aadhaar);
    if (masked === null) throw Errors.validation([{ field: 'body.aadhaar', message: 'Aadhaar must be 12 digits', code: 'invalid_aadhaar' }]);
    if (input.kyc_status === 'verified' && caller.userType !== 'admin' && input.pan === undefined) {
      const current = await this.get(caller, id);
      if (!current.pan) throw new AppError('PAN_REQUIRED', 'A PAN is required to verify KYC', 409);
    }
    const [row] = await this.exec(
      `update fleet_consumers set kyc_status = ?, pan = coalesce(?, pan), aadhaar_masked = coalesce(?, aadhaar_masked), updated_at = now() where id = ? returning *`,
      [input.kyc_status, input.pan ?? null, masked ?? null, id],
    );
    return presentConsumer(row);
  }

  async addDocument(caller: FleetCaller, id: number, input: { document_type: string; document_url: string }) {
    requireRole(caller, 'dealer', 'admin');
    await this.get(caller, id);
    const [row] = await this.exec(`insert into fleet_consumer_documents (consumer_id, document_type, document_url) values (?, ?, ?) returning *`, [
      id,
      input.document_type,
      input.document_url,
    ]);
    await this.exec(`update fleet_consumers set kyc_status = 'submitted', updated_at = now() where id = ? and kyc_status = 'pending'`, [id]);
    return {
      id: Number(row.id),
      consumer_id: id,
      document_type: row.document_type,
      document_url: row.document_url,
      created_at: new Date(row.created_at).toISOString(),
    };
  }
}
