import { dispenseOtpWorkflowId, waterPaymentWorkflowId, type DispenseOtpWorkflow, type WaterPaymentWorkflow } from '../../src/modules/dispensing';
import { onTimeSkipping } from '../support/fixtures';
import { createTimeSkippingEnv, type TimeSkippingEnv } from '../support/time-skipping';
import { eventually } from '../support/stack';
import { call, codeIn, createWaterStation, phone, startWaterStack, type WaterStack } from './support';

jest.setTimeout(60_000);

let env: TimeSkippingEnv;
let w: WaterStack;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
  w = await startWaterStack({}, onTimeSkipping(env));
});
afterAll(async () => {
  await w?.close();
  await env?.teardown();
});

describe('water payments and OTPs in skipped time', () => {
  it('when the customer never answers the STK prompt, then the payment is timeout after 30 minutes and no OTP exists', async () => {
    const r = await call(w.stack, 'POST', '/payments/mpesa/initiate', { phoneNumber: phone(), amount: 40 });
    const ref = r.body.data.transactionReference;
    const result = await w.stack.temporal.workflow.getHandle<WaterPaymentWorkflow>(waterPaymentWorkflowId(ref)).result();
    expect(result.status).toBe('timeout');
    expect((await call(w.stack, 'GET', `/payments/status/${ref}`)).body.data.status).toBe('timeout');
    expect((await call(w.stack, 'GET', `/otp/status/${ref}`)).status).toBe(404);
  });

  it('when nobody uses the code for 10 minutes, then it is expired and a station gets 400 OTP_EXPIRED', async () => {
    const to = phone();
    const r = await call(w.stack, 'POST', '/payments/mpesa/initiate', { phoneNumber: to, amount: 40 });
    const ref = r.body.data.transactionReference;
    await w.daraja.answer(r.body.data.checkoutRequestId, 0);
    const code = await eventually(async () => codeIn(w.sms, to));
    const result = await w.stack.temporal.workflow.getHandle<DispenseOtpWorkflow>(dispenseOtpWorkflowId(ref)).result();
    expect(result.status).toBe('expired');
    const st = await createWaterStation(w.stack);
    const late = await st.call('POST', '/stations/otp/verify', { transactionReference: ref, otp: code, stationId: st.id });
    expect(late).toMatchObject({ status: 400, body: { success: false, error: 'OTP_EXPIRED' } });
  });
});
