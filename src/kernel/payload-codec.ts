import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/**
 * Temporal payloads encrypted with AES-256-GCM before they leave the process (issue 10 item 3):
 * workflow inputs, results, activity arguments and update arguments hold phone numbers, emails and
 * names, and whoever reads the Temporal server's database or UI without the key sees ciphertext.
 * The whole payload (metadata and data) is encrypted; the envelope names the key, so payloads
 * written under a rotated key still decrypt while its key is kept in `previous`.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface PayloadKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keys: Map<string, Buffer>;

  constructor(
    private readonly current: PayloadKey,
    previous: PayloadKey[] = [],
  ) {
    for (const k of [current, ...previous]) if (k.key.length !== 32) throw new ValueError(`payload key ${k.id} must be 32 bytes`);
    this.keys = new Map([...previous, current].map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      cipher.setAAD(Buffer.from(this.current.id));
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID]: Buffer.from(this.current.id) }, data };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== ENCRYPTED_ENCODING) return payload;
      const id = Buffer.from(payload.metadata?.[KEY_ID] ?? []).toString();
      const key = this.keys.get(id);
      if (!key) throw new ValueError(`payload encrypted with unknown key "${id}"`);
      const data = Buffer.from(payload.data ?? []);
      if (data.length < IV_BYTES + TAG_BYTES) throw new ValueError('encrypted payload is truncated');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(id));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/** The codec of a configuration, or none when no payload key is set. */
export function payloadCodecFrom(settings: {
  TEMPORAL_PAYLOAD_KEY?: string;
  TEMPORAL_PAYLOAD_KEY_ID?: string;
  TEMPORAL_PAYLOAD_OLD_KEYS: { id: string; key: string }[];
}): AesGcmPayloadCodec | undefined {
  if (!settings.TEMPORAL_PAYLOAD_KEY || !settings.TEMPORAL_PAYLOAD_KEY_ID) return undefined;
  const toKey = (id: string, key: string): PayloadKey => ({ id, key: Buffer.from(key, 'base64') });
  return new AesGcmPayloadCodec(
    toKey(settings.TEMPORAL_PAYLOAD_KEY_ID, settings.TEMPORAL_PAYLOAD_KEY),
    settings.TEMPORAL_PAYLOAD_OLD_KEYS.map((k) => toKey(k.id, k.key)),
  );
}
