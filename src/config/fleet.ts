import { z } from 'zod';
import { refuseDevDefaults, schemaDefaults } from './product-defaults';

/** Where `npm run dev` and the config defaults put the local MSG91 and NBFC sandboxes. */
export const DEV_MSG91_SANDBOX_PORT = 4014;
export const DEV_NBFC_SANDBOX_PORT = 7411;
export const DEV_RAZORPAY_SANDBOX_PORT = 7412;

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * The fleet product (seed 004, India): MSG91 for SMS to +91 numbers, the NBFC partner (lender)
 * API and its webhook secret, and the EMI rules (late fee, grace, auto-disable threshold).
 */
export const fleetConfigShape = {
  MSG91_BASE_URL: z.string().url().default(`http://127.0.0.1:${DEV_MSG91_SANDBOX_PORT}`),
  MSG91_AUTH_KEY: z.string().min(1).default('sandbox-authkey'),
  /** The DLT-approved flow template with one variable `text` (the whole message). */
  MSG91_TEMPLATE_ID: z.string().min(1).default('sandbox-template'),
  NBFC_BASE_URL: z.string().url().default(`http://127.0.0.1:${DEV_NBFC_SANDBOX_PORT}`),
  NBFC_API_KEY: z.string().min(1).default('sandbox-nbfc-key'),
  /** HMAC-SHA256 key of the NBFC's status webhooks (X-NBFC-Signature, hex, over the raw body). */
  NBFC_WEBHOOK_SECRET: z.string().min(16).default('sandbox-nbfc-webhook-secret'),
  /** Razorpay (EMI payment links): API keys (Basic auth) and the webhook secret (X-Razorpay-Signature); default its local sandbox. */
  RAZORPAY_BASE_URL: z.string().url().default(`http://127.0.0.1:${DEV_RAZORPAY_SANDBOX_PORT}/v1`),
  RAZORPAY_KEY_ID: z.string().min(1).default('rzp_test_sandbox'),
  RAZORPAY_KEY_SECRET: z.string().min(1).default('sandbox-key-secret'),
  RAZORPAY_WEBHOOK_SECRET: z.string().min(8).default('sandbox-razorpay-webhook-secret'),
  /** How long a loan application waits for a decision (NBFC webhook or finance approval) before it expires. */
  FLEET_DECISION_TIMEOUT_SECONDS: seconds(14 * 24 * 3600),
  /** Days after the due date before the late fee starts. */
  FLEET_GRACE_DAYS: z.coerce.number().int().min(0).max(30).default(3),
  /** Late fee per overdue day, paise, and its cap per instalment. */
  FLEET_LATE_FEE_PER_DAY_PAISE: z.coerce.number().int().min(0).default(5000),
  FLEET_LATE_FEE_CAP_PAISE: z.coerce.number().int().min(0).default(50000),
  /** Service tickets: an unassigned ticket escalates to the admins after this, an unresolved one after the second. */
  FLEET_TICKET_ASSIGN_SLA_SECONDS: seconds(2 * 3600),
  FLEET_TICKET_RESOLVE_SLA_SECONDS: seconds(48 * 3600),
  /** Days overdue after which the EMI schedule disables the battery. */
  FLEET_OVERDUE_DISABLE_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  /** Foreclosure fee in basis points of the outstanding principal (200 = 2 %; 0 waives it). */
  FLEET_FORECLOSURE_FEE_BPS: z.coerce.number().int().min(0).max(1000).default(200),
  /** A battery whose heartbeat reports another status than its row's is sent that status again, at most this often. */
  FLEET_STATUS_RESEND_SECONDS: seconds(300),
};

/** Production with the fleet surface served refuses the sandboxes' keys and URLs (MSG91, the NBFC, Razorpay). */
export const checkFleetProductionConfig = refuseDevDefaults(
  'fleet',
  schemaDefaults(fleetConfigShape, [
    'MSG91_BASE_URL',
    'MSG91_AUTH_KEY',
    'MSG91_TEMPLATE_ID',
    'NBFC_BASE_URL',
    'NBFC_API_KEY',
    'NBFC_WEBHOOK_SECRET',
    'RAZORPAY_BASE_URL',
    'RAZORPAY_KEY_ID',
    'RAZORPAY_KEY_SECRET',
    'RAZORPAY_WEBHOOK_SECRET',
  ]),
);
