import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { temporalConnectionOptions, temporalDataConverter } from '../../src/workers/temporal-connection';
import { AesGcmPayloadCodec } from '../../src/kernel/payload-codec';
import { configRefusal } from '../support/config';

/** The Temporal connection's TLS / API-key options and the payload key, validated at boot. */
describe('Temporal connection and payload encryption settings', () => {
  const valid = {
    DATABASE_URL: 'postgres://app:secret@db.internal:5432/stationflow',
    TEMPORAL_ADDRESS: 'temporal.example.tmprl.cloud:7233',
    MQTT_URL: 'mqtt://broker.internal:1883',
    JWT_SECRET: 'a-secret-of-sixteen-plus',
  };
  const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');
  const failure = (env: Record<string, string>) => configRefusal({ ...valid, ...env });

  it.each([
    [{ TEMPORAL_TLS_CA_FILE: '/etc/ca.pem' }, 'TEMPORAL_TLS_CA_FILE: needs TEMPORAL_TLS=true'],
    [{ TEMPORAL_TLS: 'true', TEMPORAL_TLS_CERT_FILE: '/etc/c.pem' }, 'TEMPORAL_TLS_KEY_FILE: mTLS needs both'],
    [{ TEMPORAL_API_KEY: 'a-temporal-cloud-api-key' }, 'TEMPORAL_API_KEY: is sent as a bearer token: set TEMPORAL_TLS=true'],
    [{ TEMPORAL_TLS: 'yes' }, 'TEMPORAL_TLS'],
    [{ TEMPORAL_PAYLOAD_KEY: Buffer.alloc(16).toString('base64'), TEMPORAL_PAYLOAD_KEY_ID: 'k1' }, 'TEMPORAL_PAYLOAD_KEY: must be 32 random bytes'],
    [{ TEMPORAL_PAYLOAD_KEY: key(1) }, 'TEMPORAL_PAYLOAD_KEY_ID: must name the payload key'],
    [{ TEMPORAL_PAYLOAD_KEY: key(1), TEMPORAL_PAYLOAD_KEY_ID: 'k1', TEMPORAL_PAYLOAD_OLD_KEYS: `k1:${key(2)}` }, 'key ids must differ'],
    [{ TEMPORAL_PAYLOAD_KEY: key(1), TEMPORAL_PAYLOAD_KEY_ID: 'k2', TEMPORAL_PAYLOAD_OLD_KEYS: 'k1-no-key' }, 'TEMPORAL_PAYLOAD_OLD_KEYS'],
    [{ CODEC_SERVER_TOKEN: 'x'.repeat(40) }, 'CODEC_SERVER_TOKEN: the codec endpoint needs TEMPORAL_PAYLOAD_KEY'],
    [{ TEMPORAL_PAYLOAD_KEY: key(1), TEMPORAL_PAYLOAD_KEY_ID: 'k1', CODEC_SERVER_TOKEN: 'short' }, 'CODEC_SERVER_TOKEN: must be at least 32'],
  ])('when Temporal is configured with %j, then boot is refused naming %s', (env, message) => {
    expect(failure(env)).toContain(message);
  });

  it('when TLS with a CA, an mTLS pair, a server name and an API key are configured, then the client and worker connections carry them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-tls-'));
    const file = (name: string, text: string) => {
      fs.writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    const config = loadConfig({
      ...valid,
      TEMPORAL_TLS: 'true',
      TEMPORAL_TLS_CA_FILE: file('ca.pem', 'CA PEM'),
      TEMPORAL_TLS_CERT_FILE: file('client.pem', 'CERT PEM'),
      TEMPORAL_TLS_KEY_FILE: file('client.key', 'KEY PEM'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
      TEMPORAL_API_KEY: 'a-temporal-cloud-api-key',
    });
    const options = temporalConnectionOptions(config);
    expect(options.address).toBe('temporal.example.tmprl.cloud:7233');
    expect(options.apiKey).toBe('a-temporal-cloud-api-key');
    expect(options.tls).toMatchObject({ serverNameOverride: 'temporal.internal' });
    const tls = options.tls as { serverRootCACertificate: Buffer; clientCertPair: { crt: Buffer; key: Buffer } };
    expect(tls.serverRootCACertificate.toString()).toBe('CA PEM');
    expect(tls.clientCertPair.crt.toString()).toBe('CERT PEM');
    expect(tls.clientCertPair.key.toString()).toBe('KEY PEM');
  });

  it('when no TLS and no payload key are configured, then the connection is plain and payloads are not encoded', () => {
    const config = loadConfig(valid);
    expect(temporalConnectionOptions(config)).toEqual({ address: valid.TEMPORAL_ADDRESS, tls: undefined, apiKey: undefined });
    expect(temporalDataConverter(config)).toBeUndefined();
  });

  it('when a key and older keys are configured, then the data converter encrypts under the current key and decrypts under the older', async () => {
    const config = loadConfig({ ...valid, TEMPORAL_PAYLOAD_KEY: key(2), TEMPORAL_PAYLOAD_KEY_ID: 'k2', TEMPORAL_PAYLOAD_OLD_KEYS: `k1:${key(1)}` });
    const codec = temporalDataConverter(config)!.payloadCodecs![0];
    const plain = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"+9779800000001"') };
    const [sealed] = await codec.encode([plain]);
    expect(Buffer.from(sealed.metadata!['encryption-key-id']!).toString()).toBe('k2');
    expect(Buffer.from(sealed.data!).includes('+9779800000001')).toBe(false);
    const [old] = await new AesGcmPayloadCodec({ id: 'k1', key: Buffer.alloc(32, 1) }).encode([plain]);
    for (const p of [sealed, old]) expect(Buffer.from((await codec.decode([p]))[0].data!).toString()).toBe('"+9779800000001"');
    const tampered = { ...sealed, data: Buffer.from(sealed.data!).map((b, i) => (i === 20 ? b ^ 1 : b)) };
    await expect(codec.decode([tampered])).rejects.toThrow();
    const [unknown] = await new AesGcmPayloadCodec({ id: 'k0', key: Buffer.alloc(32, 9) }).encode([plain]);
    await expect(codec.decode([unknown])).rejects.toThrow(/unknown key "k0"/);
  });
});
