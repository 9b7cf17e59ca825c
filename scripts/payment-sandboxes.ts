/**
 * Runs the Khalti, eSewa and Stripe sandboxes on their configured ports (7401-7403 by default)
 * until Ctrl-C, for trying the payment pages by hand:  npx tsx scripts/payment-sandboxes.ts
 * (`npm run dev` starts them in-process through startPaymentSandboxes.)
 */
import { defaultPaymentConfig, startPaymentSandboxes } from '../src/modules/payments/gateways/registry';

async function main() {
  const config = { ...defaultPaymentConfig(process.env), PORT: Number(process.env.PORT ?? 3000) };
  const sandboxes = await startPaymentSandboxes({ config });
  process.stdout.write(
    `khalti ${sandboxes.khalti.url}\nesewa  ${sandboxes.esewa.url}\nstripe ${sandboxes.stripe.url} (webhooks → ${config.STRIPE_SANDBOX_WEBHOOK_URL ?? `http://127.0.0.1:${config.PORT}/api/payment/webhook/stripe`})\n`,
  );
  const stop = () => {
    void sandboxes.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
