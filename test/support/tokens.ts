import { randomUUID } from 'node:crypto';
import { signAccessToken } from '../../src/api/http/auth';
import { DEMO_ADMIN } from '../../src/db/seed';

/** An admin token for a stack that runs outside the test process (e.g. `npm run dev`). */
export const adminTokenFor = (secret: string, id: string = DEMO_ADMIN.id ?? randomUUID()) => signAccessToken(secret, { id, role: 'admin' });
