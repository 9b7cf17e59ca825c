import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Config } from '../../../config';

export interface JwtKey {
  kid: string;
  secret: string;
}

/** One kind of token's keys: the first signs, all verify (the `kid` header picks one). */
export interface KeyRing {
  signer: JwtKey;
  keys: ReadonlyMap<string, string>;
}

/** Everything needed to sign and check this API's tokens: a ring per token kind, `iss` and `aud`. */
export interface TokenKeys {
  access: KeyRing;
  refresh: KeyRing;
  issuer: string;
  audience: string;
}

type KeyConfig = Pick<Config, 'JWT_SECRET' | 'JWT_ISSUER' | 'JWT_AUDIENCE' | 'JWT_ACCESS_KEYS' | 'JWT_REFRESH_KEYS'>;

/** Without a configured ring, one key derived from JWT_SECRET for this kind of token (never the secret itself). */
function derived(config: KeyConfig, kind: 'access' | 'refresh'): JwtKey[] {
  const secret = createHmac('sha256', config.JWT_SECRET).update(`stationflow ${kind} token key`).digest('base64url');
  return [{ kid: `${kind}-0`, secret }];
}

function ring(keys: JwtKey[]): KeyRing {
  return { signer: keys[0], keys: new Map(keys.map((k) => [k.kid, k.secret])) };
}

/** The token keys of a configuration (JWT_ACCESS_KEYS / JWT_REFRESH_KEYS, or derived from JWT_SECRET). */
export function tokenKeys(config: KeyConfig): TokenKeys {
  return {
    access: ring(config.JWT_ACCESS_KEYS ?? derived(config, 'access')),
    refresh: ring(config.JWT_REFRESH_KEYS ?? derived(config, 'refresh')),
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  };
}

/** Signs with the ring's first key: HS256, `kid` in the header, `iss` and `aud` in the claims. */
export function signWith(
  keys: TokenKeys,
  kind: 'access' | 'refresh',
  payload: object,
  options: { subject: string; expiresIn: number; jwtid?: string },
): string {
  const { signer } = keys[kind];
  return jwt.sign(payload, signer.secret, {
    ...options,
    algorithm: 'HS256',
    keyid: signer.kid,
    issuer: keys.issuer,
    audience: keys.audience,
  });
}

/**
 * Verifies a token against the ring of its kind: the `kid` must name one of its keys (a token of
 * the other kind, or without a kid, fails), HS256 only, `iss`, `aud` and expiry checked.
 */
export function verifyWith(keys: TokenKeys, kind: 'access' | 'refresh', token: string): jwt.JwtPayload | undefined {
  const decoded = jwt.decode(token, { complete: true });
  const kid = decoded?.header.kid;
  const secret = kid === undefined ? undefined : keys[kind].keys.get(kid);
  if (!secret) return undefined;
  try {
    const payload = jwt.verify(token, secret, { algorithms: ['HS256'], issuer: keys.issuer, audience: keys.audience });
    return typeof payload === 'string' ? undefined : payload;
  } catch {
    return undefined;
  }
}
