import { loadConfig } from '../../src/config';
import { configRefusal, VALID_ENV } from '../support/config';
import { tokenKeys } from '../../src/modules/identity/services/jwt-keys';

/** The JWT key rings come from configuration: kid:secret pairs, the first signs, access and refresh apart. */
describe('JWT key configuration', () => {
  const valid = VALID_ENV;
  const long = (s: string) => `${s}-${'k'.repeat(32)}`;
  const failure = (env: Record<string, string>) => configRefusal({ ...valid, ...env });

  it('when no rings are configured, then access and refresh each get one key derived from JWT_SECRET, different from it and from each other', () => {
    const keys = tokenKeys(loadConfig(valid));
    expect([keys.access.signer.kid, keys.refresh.signer.kid]).toEqual(['access-0', 'refresh-0']);
    expect(keys.access.signer.secret).not.toBe(keys.refresh.signer.secret);
    expect([keys.access.signer.secret, keys.refresh.signer.secret]).not.toContain(valid.JWT_SECRET);
    expect(keys).toMatchObject({ issuer: 'stationflow', audience: 'stationflow-api' });
  });

  it('when rings are configured, then the first key signs and every listed key verifies', () => {
    const keys = tokenKeys(loadConfig({ ...valid, JWT_ACCESS_KEYS: `new:${long('n')}, old:${long('o')}`, JWT_REFRESH_KEYS: `r1:${long('r')}` }));
    expect(keys.access.signer).toEqual({ kid: 'new', secret: long('n') });
    expect([...keys.access.keys.keys()]).toEqual(['new', 'old']);
  });

  it('when a ring is malformed, has a short secret or a repeated kid, or shares a kid or secret with the other ring, then ConfigError names it', () => {
    for (const bad of [long('no-colon-at-all'), `a:short`, `a:${long('x')},a:${long('y')}`, `bad kid:${long('x')}`]) {
      expect(failure({ JWT_ACCESS_KEYS: bad })).toMatch(/^\s+JWT_ACCESS_KEYS: /m);
    }
    expect(failure({ JWT_ACCESS_KEYS: `a:${long('x')}`, JWT_REFRESH_KEYS: `a:${long('y')}` })).toMatch(/^\s+JWT_REFRESH_KEYS: must share no kid/m);
    expect(failure({ JWT_ACCESS_KEYS: `a:${long('x')}`, JWT_REFRESH_KEYS: `r:${long('x')}` })).toMatch(/^\s+JWT_REFRESH_KEYS: must share no kid/m);
  });
});
