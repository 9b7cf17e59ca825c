import type { Config } from '../../../config';
import { QpayClient } from '../qpay/qpay.client';

/** QPAY_BASE_URL, or the local sandbox on QPAY_SANDBOX_PORT. */
export const qpayBaseUrl = (c: Config) => c.QPAY_BASE_URL ?? `http://127.0.0.1:${c.QPAY_SANDBOX_PORT}/v2`;

export const qpayClient = (c: Config) => new QpayClient({ baseUrl: qpayBaseUrl(c), username: c.QPAY_USERNAME, password: c.QPAY_PASSWORD });

/** Where QPay calls back (our token is appended per invoice). */
export const qpayCallbackUrl = (c: Config) =>
  c.QPAY_CALLBACK_URL ?? `${(c.PUBLIC_BASE_URL ?? `http://127.0.0.1:${c.PORT}`).replace(/\/+$/, '')}/ev/api/qpay/callback`;
