import type { MikroORM } from '@mikro-orm/postgresql';
import { formatMinor } from '../../../kernel/money';

/** `GET /payment/packages`: the active rental packages, cheapest first. */
export async function listRentalPackages(orm: MikroORM) {
  const rows = await orm.em
    .getConnection()
    .execute(`select id, code, name, duration_minutes, price_minor, currency, payment_model from rental_packages where active order by price_minor, code`);
  return rows.map((p: Record<string, unknown>) => ({
    id: p.id,
    code: p.code,
    name: p.name,
    duration_minutes: p.duration_minutes,
    price: formatMinor(Number(p.price_minor), String(p.currency)),
    price_minor: Number(p.price_minor),
    currency: p.currency,
    payment_model: p.payment_model,
  }));
}
