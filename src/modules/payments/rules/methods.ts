import { formatMinor } from '../../../kernel/money';

export const GATEWAY_NAMES = ['khalti', 'esewa', 'stripe'] as const;
export type Gateway = (typeof GATEWAY_NAMES)[number];

const INFO: Record<Gateway, { name: string; description: string }> = {
  khalti: { name: 'Khalti', description: 'Khalti wallet, e-banking, mobile banking and cards' },
  esewa: { name: 'eSewa', description: 'eSewa mobile wallet' },
  stripe: { name: 'Stripe', description: 'International debit and credit cards' },
};

/** How a gateway is named to customers ("eSewa"); the code itself for one we do not know. */
export const gatewayDisplayName = (gateway: string | null | undefined): string =>
  gateway && gateway in INFO ? INFO[gateway as Gateway].name : (gateway ?? 'payment');

export interface Limits {
  minMinor: number;
  maxMinor: number;
}

/** "khalti:1000-10000000,esewa:1000-5000000" → per-gateway limits in minor units. */
export function parseLimits(spec: string): Record<string, Limits> {
  return Object.fromEntries(
    spec.split(',').map((part) => {
      const [name, range] = part.split(':');
      const [min, max] = range.split('-').map(Number);
      return [name.trim(), { minMinor: min, maxMinor: max }];
    }),
  );
}

/** What `GET /api/payment/methods` lists, from configuration. */
export function paymentMethods(enabled: string[], limitsSpec: string, currency: string) {
  const limits = parseLimits(limitsSpec);
  return GATEWAY_NAMES.map((g) => {
    const l = limits[g] ?? { minMinor: 1000, maxMinor: 10_000_000 };
    return {
      gateway: g,
      name: INFO[g].name,
      description: INFO[g].description,
      enabled: enabled.includes(g),
      currency,
      min_amount: formatMinor(l.minMinor, currency),
      max_amount: formatMinor(l.maxMinor, currency),
      min_amount_minor: l.minMinor,
      max_amount_minor: l.maxMinor,
    };
  });
}
