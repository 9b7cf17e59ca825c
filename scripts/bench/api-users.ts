import { Secret, TOTP } from 'otpauth';
import { AuthTokenService } from '../../src/modules/identity/services/auth-token.service';
import { SecondFactorService } from '../../src/modules/identity/services/second-factor.service';
import type { BenchStack } from './stack';

/** An admin with a real session whose second factor is verified (TOTP enrolled and confirmed), as the admin app would. */
export async function benchAdmin(stack: BenchStack): Promise<string> {
  const id = crypto.randomUUID();
  await stack.orm.em.getConnection().execute(`insert into users (id, role, status) values (?, 'admin', 'active')`, [id]);
  const pair = await new AuthTokenService({ orm: stack.orm, config: stack.config }).startSession({ id, role: 'admin' });
  const factor = new SecondFactorService({ orm: stack.orm, config: stack.config });
  const caller = { userId: id, sid: pair.session_id };
  const { secret } = await factor.enrol(caller);
  await factor.confirm(caller, new TOTP({ secret: Secret.fromBase32(secret) }).generate());
  return pair.access_token;
}
