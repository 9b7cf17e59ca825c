import request from 'supertest';
import { clientIp, randomPhone, readOtp, type MessagingSandboxes } from '../support/messaging';
import { testRandom } from '../support/random';
import type { TestStack } from '../support/stack';

/** Requests and verifies an OTP over HTTP, reading the code from the sandbox inbox. */
export async function verifyOverHttp(stack: TestStack, boxes: MessagingSandboxes, identifier: string, ip = clientIp()) {
  const nth = (identifier.includes('@') ? boxes.smtp.messages(identifier) : boxes.sms.messages(identifier)).length + 1;
  const sent = await request(stack.baseUrl).post('/api/auth/get-otp').set('X-Forwarded-For', ip).send({ identifier });
  if (sent.status !== 200) throw new Error(`get-otp: ${sent.status} ${JSON.stringify(sent.body)}`);
  const code = await readOtp(boxes, identifier, nth);
  const verified = await request(stack.baseUrl)
    .post('/api/auth/verify-otp')
    .set('X-Forwarded-For', ip)
    .send({ challenge_id: sent.body.data.challenge_id, code });
  if (verified.status !== 200) throw new Error(`verify-otp: ${verified.status} ${JSON.stringify(verified.body)}`);
  return verified.body.data.verification_token as string;
}

/** A new customer registered through the real OTP flow; returns its first token pair and user. */
export async function registerOverHttp(stack: TestStack, boxes: MessagingSandboxes, identifier = randomPhone()) {
  const verification_token = await verifyOverHttp(stack, boxes, identifier);
  const res = await request(stack.baseUrl)
    .post('/api/auth/register')
    .send({ verification_token, username: `u${testRandom().text(10)}` });
  if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...res.body.data, identifier } as { access_token: string; refresh_token: string; session_id: string; user: { id: string }; identifier: string };
}
