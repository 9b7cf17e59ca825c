import { loadConfig } from '../../src/config';
import { configRefusal, VALID_ENV } from '../support/config';
import { spawnTsx } from '../support/processes';

/** One zod-validated config: a bad or missing variable stops the process with a message naming it. */
describe('configuration', () => {
  const valid = VALID_ENV;
  const failure = configRefusal;

  it('when the required variables are valid, then defaults fill the rest', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({
      PORT: 3000,
      BODY_LIMIT: '100kb',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'stationflow',
      NODE_ENV: 'development',
      WORKER_MAX_CACHED_WORKFLOWS: 500,
    });
    expect(config.SURFACES).toEqual([
      { name: 'chargeghar', mount: '/api' },
      { name: 'ev', mount: '/ev/api' },
      { name: 'water', mount: '/water/api' },
      { name: 'fleet', mount: '/fleet/api' },
    ]);
  });

  it('when DATABASE_URL is missing, then ConfigError names it', () => {
    expect(failure({ ...valid, DATABASE_URL: undefined })).toMatch(/^\s+DATABASE_URL: /m);
  });

  it('when DATABASE_URL is not a postgres URL, then ConfigError says so', () => {
    expect(failure({ ...valid, DATABASE_URL: 'mysql://x@y/z' })).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
  });

  it('when TEMPORAL_ADDRESS has no port, then ConfigError names it and the expected form', () => {
    expect(failure({ ...valid, TEMPORAL_ADDRESS: 'temporal.internal' })).toMatch(/TEMPORAL_ADDRESS: must be host:port/);
  });

  it('when SURFACES names an unknown surface or lacks a mount, then ConfigError names SURFACES and the bad part', () => {
    expect(failure({ ...valid, SURFACES: 'chargeghar:/api,moon:/moon' })).toMatch(/SURFACES: "moon:\/moon" is not <surface>:\/<mount>/);
    expect(failure({ ...valid, SURFACES: 'water' })).toMatch(/SURFACES: "water" is not/);
  });

  it('when SURFACES is custom, then the mounts are taken as given (trailing slash dropped)', () => {
    expect(loadConfig({ ...valid, SURFACES: 'water:/w/' }).SURFACES).toEqual([{ name: 'water', mount: '/w' }]);
  });

  it('when MQTT_TOPIC_PREFIX is unset, then it is empty; plain segments are taken and wildcards or outer slashes are refused', () => {
    expect(loadConfig(valid).MQTT_TOPIC_PREFIX).toBe('');
    for (const ok of ['site-a', 'site_a/test-1', 'a/b/c']) expect(loadConfig({ ...valid, MQTT_TOPIC_PREFIX: ok }).MQTT_TOPIC_PREFIX).toBe(ok);
    for (const bad of ['#', 'a/+', '/a', 'a/', 'a//b', '$SYS', 'a b'])
      expect(failure({ ...valid, MQTT_TOPIC_PREFIX: bad })).toMatch(/MQTT_TOPIC_PREFIX: must be empty or segments/);
  });

  it('when several variables are bad, then every one is named in one message', () => {
    const message = failure({ ...valid, MQTT_URL: 'http://broker', JWT_SECRET: 'short', PORT: 'eighty', BODY_LIMIT: 'huge' });
    for (const name of ['MQTT_URL', 'JWT_SECRET', 'PORT', 'BODY_LIMIT']) expect(message).toContain(`${name}:`);
  });

  it.each([
    ['API', 'src/workers/api.ts'],
    ['MQTT bridge', 'src/workers/mqtt-bridge.ts'],
  ])(
    'when the %s process starts with a bad environment, then it exits 78 naming the variables, without a stack trace',
    async (_name, file) => {
      const env: NodeJS.ProcessEnv = { ...process.env, ...valid, TEMPORAL_ADDRESS: 'no-port-here', LOG_LEVEL: 'info' };
      delete env.DATABASE_URL;
      const child = spawnTsx(file, [], env);
      expect(await child.exited).toBe(78);
      const stderr = child.stderr();
      expect(stderr).toMatch(/^Invalid configuration:/);
      expect(stderr).toMatch(/DATABASE_URL: /);
      expect(stderr).toMatch(/TEMPORAL_ADDRESS: must be host:port/);
      expect(stderr).not.toMatch(/\n\s+at |Error:|node_modules/);
      expect(child.stdout()).toBe('');
    },
    20_000,
  );
});
