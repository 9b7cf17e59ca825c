import type { Execute } from '../../../kernel/sql';

/** How other modules see a user: who it is and how to reach them (null fields once erased). */
export interface UserContact {
  id: string;
  username: string | null;
  email: string | null;
  phone: string | null;
  createdAt: Date;
}

/** The contacts of some users, by id (users that do not exist are absent). */
export async function userContacts(tx: Execute, ids: readonly string[]): Promise<Map<string, UserContact>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await tx(`select id, username, email, phone, created_at from users where id in (?)`, [unique]);
  return new Map(
    rows.map((r) => [
      String(r.id),
      { id: String(r.id), username: r.username ?? null, email: r.email ?? null, phone: r.phone ?? null, createdAt: new Date(r.created_at) },
    ]),
  );
}

export async function userContact(tx: Execute, id: string): Promise<UserContact | null> {
  return (await userContacts(tx, [id])).get(id) ?? null;
}
