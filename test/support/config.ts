import { ConfigError, loadConfig } from '../../src/config';

/** The required variables, valid, with nothing else set: what config tests start from. */
export const VALID_ENV: Readonly<Record<string, string>> = {
  DATABASE_URL: 'postgres://app:secret@db.internal:5432/stationflow',
  TEMPORAL_ADDRESS: 'temporal.internal:7233',
  MQTT_URL: 'mqtt://broker.internal:1883',
  JWT_SECRET: 'a-secret-of-sixteen-plus',
};

/** The message of the ConfigError that loadConfig throws for this environment; fails the test when it accepts it. */
export function configRefusal(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env as NodeJS.ProcessEnv);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('loadConfig accepted an environment it should refuse');
}
