import type { Execute } from '../../../kernel/sql';

/**
 * The next `limit` active customers after `after`, in id order (a keyset page the users' primary
 * key serves), optionally those registered in a period: the recipients of an admin broadcast.
 */
export async function broadcastRecipients(
  tx: Execute,
  after: string | null,
  limit: number,
  segment: { registered_from?: string; registered_to?: string },
): Promise<string[]> {
  const where = [`status = 'active'`, `role = 'customer'`];
  const params: unknown[] = [];
  const add = (condition: string, value: unknown) => {
    where.push(condition);
    params.push(value);
  };
  if (after) add('id > ?', after);
  if (segment.registered_from) add('created_at >= ?', segment.registered_from);
  if (segment.registered_to) add('created_at < ?', segment.registered_to);
  const rows = await tx(`select id from users where ${where.join(' and ')} order by id limit ?`, [...params, limit]);
  return rows.map((r) => String(r.id));
}
