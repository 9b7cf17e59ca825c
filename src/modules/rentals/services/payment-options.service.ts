import { AppError, Errors } from '../../../kernel/errors';
import { formatMinor } from '../../../kernel/money';
import { splitPayment, type LedgerService, type PaymentMode } from '../../ledger';

/** Outstanding amount of a post-payment rental (RentalDuesService). */
export interface RentalDuesReader {
  dueFor(rentalId: string, userId: string): Promise<{ amountMinor: number } | null>;
}

export type Scenario = 'wallet_topup' | 'pre_payment' | 'post_payment';

export interface OptionsInput {
  userId: string;
  scenario: Scenario;
  paymentMode: PaymentMode;
  packageId?: string;
  amountMinor?: number;
  rentalId?: string;
  /** Smallest top-up a gateway takes, for `suggested_topup`. */
  minTopupMinor: number;
}

/**
 * `POST /api/payment/calculate-options`: how much is owed in the scenario and how points
 * (first) and wallet cover it. Pre-payment prices a package; post-payment a rental's due (or the
 * user's outstanding dues); wallet top-up tells how much to top up for an amount or package.
 */
export class PaymentOptionsService {
  /** `currency`: the product's wallet currency. */
  constructor(
    private readonly ledger: LedgerService,
    private readonly dues: RentalDuesReader,
    private readonly currency: string,
  ) {}

  private async resolveAmount(input: OptionsInput, walletMinor: number) {
    if (input.packageId) {
      const [pkg] = await this.ledger.orm.em
        .getConnection()
        .execute(`select id, code, name, duration_minutes, price_minor, currency, payment_model from rental_packages where id = ? and active`, [
          input.packageId,
        ]);
      if (!pkg) throw Errors.notFound('Package');
      return {
        amountMinor: Number(pkg.price_minor),
        pkg: { id: pkg.id, code: pkg.code, name: pkg.name, duration_minutes: pkg.duration_minutes, payment_model: pkg.payment_model },
      };
    }
    if (input.rentalId) {
      const due = await this.dues.dueFor(input.rentalId, input.userId);
      if (!due) throw Errors.notFound('Rental');
      return { amountMinor: due.amountMinor };
    }
    if (input.amountMinor !== undefined) {
      const amountMinor = input.amountMinor;
      if (amountMinor <= 0) throw Errors.validation([{ field: 'body.amount', message: 'must be greater than 0' }]);
      return { amountMinor };
    }
    if (input.scenario === 'post_payment') return { amountMinor: Math.max(0, -walletMinor) };
    throw Errors.validation([{ field: 'body', message: 'one of package_id, amount or rental_id is required' }]);
  }

  async calculate(input: OptionsInput) {
    if (input.scenario === 'pre_payment' && !input.packageId && input.amountMinor === undefined) {
      throw Errors.validation([{ field: 'body.package_id', message: 'pre_payment needs a package_id' }]);
    }
    const { walletMinor, points } = await this.ledger.balances(input.userId, this.currency);
    const { amountMinor, pkg } = await this.resolveAmount(input, walletMinor);
    if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) throw new AppError('INVALID_AMOUNT', 'Amount is not payable', 400);
    const split = splitPayment(amountMinor, walletMinor, points, input.paymentMode);
    const topup = split.sufficient ? 0 : Math.max(input.minTopupMinor, Math.ceil(split.shortfallMinor / 100) * 100);
    return {
      scenario: input.scenario,
      payment_mode: input.paymentMode,
      currency: this.currency,
      amount: formatMinor(amountMinor),
      amount_minor: amountMinor,
      is_sufficient: split.sufficient,
      shortfall: formatMinor(split.shortfallMinor),
      shortfall_minor: split.shortfallMinor,
      breakdown: {
        points_used: split.pointsUsed,
        points_value: formatMinor(split.pointsValueMinor),
        points_value_minor: split.pointsValueMinor,
        wallet_used: formatMinor(split.walletUsedMinor),
        wallet_used_minor: split.walletUsedMinor,
      },
      balances: { wallet: formatMinor(Math.max(0, walletMinor)), wallet_minor: walletMinor, due_minor: Math.max(0, -walletMinor), points },
      suggested_topup: formatMinor(topup),
      suggested_topup_minor: topup,
      ...(pkg ? { package: pkg } : {}),
    };
  }
}
