/**
 * Local sandboxes for outbound messages, for `npm run dev` and tests. Start them on the ports the
 * config defaults point at (DEV_SMS_SANDBOX_PORT, DEV_SMTP_SANDBOX_PORT) or on any port and pass
 * SPARROW_BASE_URL / SMTP_URL.
 */
export { startSmsSandbox, type SmsSandbox, type SandboxSms } from './sms/sparrow/sandbox';
export { startSmtpSandbox, type SmtpSandbox, type SandboxEmail } from './email/smtp-sandbox';
export { DEV_SMS_SANDBOX_PORT, DEV_SMTP_SANDBOX_PORT } from '../config/identity';
