import type { Payload } from '@temporalio/common';
import { otpWorkflowId } from '../../src/modules/identity';
import { AesGcmPayloadCodec } from '../../src/kernel/payload-codec';
import { useMessagingStack } from '../support/fixtures';
import { clientIp, randomPhone, readOtp } from '../support/messaging';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');
const TOKEN = 'operator-codec-token-of-32-characters-at-least';
const UI = 'http://temporal-ui.internal:8233';
const json = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

/** Payloads encrypted with AES-GCM on the real Temporal server, and the codec endpoint the Temporal UI decodes them through. */
describe('Temporal payload encryption and the codec endpoint', () => {
  const fx = useMessagingStack({
    bridge: false,
    env: {
      TEMPORAL_PAYLOAD_KEY: key(2),
      TEMPORAL_PAYLOAD_KEY_ID: 'k2',
      TEMPORAL_PAYLOAD_OLD_KEYS: `k1:${key(1)}`,
      CODEC_SERVER_TOKEN: TOKEN,
      TEMPORAL_UI_ORIGIN: UI,
    },
  });
  const codec = (op: 'encode' | 'decode', payloads: object[], token: string | null = TOKEN) => {
    const req = fx.api().post(`/codec/${op}`).set('Origin', UI).set('X-Namespace', 'default');
    return (token ? req.set('Authorization', `Bearer ${token}`) : req).send({ payloads });
  };

  /** An OTP challenge run end to end on this stack (client and worker both with the codec). */
  async function otpRun() {
    const phone = randomPhone();
    const sent = await fx.api().post('/api/auth/get-otp').set('X-Forwarded-For', clientIp()).send({ identifier: phone });
    const code = await readOtp(fx.boxes, phone);
    const verified = await fx.api().post('/api/auth/otp/verify').set('X-Forwarded-For', clientIp()).send({ challenge_id: sent.body.data.challenge_id, code });
    expect(verified.status).toBe(200);
    const handle = fx.stack.temporal.workflow.getHandle(otpWorkflowId(sent.body.data.challenge_id));
    expect(await handle.result()).toEqual({ state: 'verified', attempts: 1 });
    return { phone, history: await handle.fetchHistory() };
  }

  it('when a workflow runs with a payload key, then every payload the server stores is encrypted under the key id and holds no phone number', async () => {
    // fetchHistory gives the payloads as the server stores them (undecoded).
    const { phone, history } = await otpRun();
    const payloads: Payload[] = [];
    const plainByDesign: string[] = [];
    const walk = (v: unknown, at: string) => {
      if (!v || typeof v !== 'object' || v instanceof Uint8Array) return;
      if ('metadata' in v && 'data' in v) {
        // Search attributes are indexed by the server and patch markers are written by the SDK's core: never encoded.
        if (/searchAttributes|markerRecorded/.test(at)) plainByDesign.push(Buffer.from((v as Payload).data ?? []).toString());
        else payloads.push(v as Payload);
      } else for (const [k, child] of Object.entries(v)) walk(child, `${at}.${k}`);
    };
    walk(history.events, 'events');
    expect(plainByDesign.join()).not.toContain(phone);
    expect(payloads.length).toBeGreaterThan(5);
    for (const p of payloads) {
      expect(Buffer.from(p.metadata!.encoding!).toString()).toBe('binary/encrypted');
      expect(Buffer.from(p.metadata!['encryption-key-id']!).toString()).toBe('k2');
      expect(Buffer.from(p.data!).includes(phone)).toBe(false);
    }
  });

  it('when an operator posts the history input to /codec/decode with the token, then the Temporal UI gets the clear payload; without it 401', async () => {
    const { phone, history } = await otpRun();
    const input = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads!;
    const decoded = await codec('decode', input.map(json));
    expect(decoded.status).toBe(200);
    expect(decoded.headers['access-control-allow-origin']).toBe(UI);
    expect(decoded.headers['cache-control']).toBe('no-store');
    const clear = Buffer.from(decoded.body.payloads[0].data, 'base64').toString();
    expect(JSON.parse(clear)).toMatchObject({ identifier: phone, channel: 'sms' });
    expect(Buffer.from(decoded.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('json/plain');

    for (const token of [null, 'wrong-token-wrong-token-wrong-token']) {
      const refused = await codec('decode', input.map(json), token);
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual({ success: false, error: { code: 'UNAUTHORIZED', message: 'Operator token required' } });
    }
  });

  it('when the UI preflights, encodes, or sends a payload of a rotated or unknown key, then CORS admits only its origin, old keys decode and bad input is a 400', async () => {
    const preflight = await fx.api().options('/codec/decode').set('Origin', UI).set('Access-Control-Request-Headers', 'authorization,content-type,x-namespace');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toContain('Authorization');
    const elsewhere = await fx.api().options('/codec/decode').set('Origin', 'https://evil.example');
    expect(elsewhere.headers['access-control-allow-origin']).toBeUndefined();

    const clear = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"name":"Sita"}') };
    const encoded = await codec('encode', [json(clear)]);
    expect(Buffer.from(encoded.body.payloads[0].metadata['encryption-key-id'], 'base64').toString()).toBe('k2');
    const [rotated] = await new AesGcmPayloadCodec({ id: 'k1', key: Buffer.alloc(32, 1) }).encode([clear]);
    for (const p of [encoded.body.payloads[0], json(rotated)]) {
      const back = await codec('decode', [p]);
      expect(Buffer.from(back.body.payloads[0].data, 'base64').toString()).toBe('{"name":"Sita"}');
    }
    const [foreign] = await new AesGcmPayloadCodec({ id: 'k9', key: Buffer.alloc(32, 9) }).encode([clear]);
    const unknown = await codec('decode', [json(foreign)]);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('UNDECODABLE');
    const malformed = await codec('decode', [{ data: 42 }]);
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR' } });
  });
});
