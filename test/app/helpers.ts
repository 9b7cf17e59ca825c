import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { sql as dbSql } from '../support/db';
import { testRandom } from '../support/random';
import { adminToken, customerToken, type TestStack } from '../support/stack';

/** A real 1x1 PNG. */
export const PNG_1x1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

export interface TestUser {
  id: string;
  token: string;
  phone: string;
  username: string;
}

/** Inserts a user row directly (authentication is another module) and mints its token. */
export async function createUser(stack: TestStack, opts: { role?: 'customer' | 'admin'; email?: string; username?: string } = {}): Promise<TestUser> {
  const id = randomUUID();
  const phone = `98${testRandom().digits(8)}`;
  const username = opts.username ?? `u_${id.slice(0, 8)}`;
  await stack.orm.em
    .getConnection()
    .execute(`insert into users (id, phone, email, username, role) values (?, ?, ?, ?, ?)`, [id, phone, opts.email ?? null, username, opts.role ?? 'customer']);
  const token = opts.role === 'admin' ? await adminToken(stack.config, id) : await customerToken(stack.config, id);
  return { id, token, phone, username };
}

/** supertest bound to the stack with a bearer token. */
export function as(stack: TestStack, token?: string) {
  const auth = (r: request.Test) => (token ? r.set('Authorization', `Bearer ${token}`) : r);
  const agent = request(stack.baseUrl);
  return {
    get: (p: string) => auth(agent.get(p)),
    post: (p: string, body?: object) => auth(agent.post(p)).send(body ?? {}),
    put: (p: string, body?: object) => auth(agent.put(p)).send(body ?? {}),
    patch: (p: string, body?: object) => auth(agent.patch(p)).send(body ?? {}),
    delete: (p: string) => auth(agent.delete(p)),
    upload: (buffer: Buffer, filename = 'file.png', purpose?: string) => {
      const r = auth(agent.post('/api/app/upload')).attach('file', buffer, filename);
      return purpose ? r.field('purpose', purpose) : r;
    },
  };
}

export async function uploadPng(stack: TestStack, token: string, purpose = 'other'): Promise<string> {
  const res = await as(stack, token).upload(PNG_1x1, 'photo.png', purpose);
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.url as string;
}

/** Raw SQL through the stack (test/support/db.ts), rows typed `unknown` unless told. */
export const sql: <T = Record<string, unknown>>(stack: TestStack, text: string, params?: unknown[]) => Promise<T[]> = dbSql;
