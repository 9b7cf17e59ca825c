import type { z } from 'zod';

/** What each key is when left unset: its schema default (a development key or a local sandbox's URL). */
export function schemaDefaults(shape: Record<string, z.ZodTypeAny>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, shape[k].safeParse(undefined).data]));
}

export type ProductionKeys = { NODE_ENV: string; PAYMENT_SANDBOX?: boolean; SURFACES: { name: string }[] } & Record<string, unknown>;

/** Production serves this surface with real gateways (PAYMENT_SANDBOX=true asks for the sandboxes knowingly, as the bench does). */
export function servedInProduction(c: ProductionKeys, surface: string): boolean {
  return c.NODE_ENV === 'production' && c.PAYMENT_SANDBOX !== true && c.SURFACES.some((s) => s.name === surface);
}

/**
 * NODE_ENV=production with the product's surface served: none of these keys may stay at its
 * development default, unless PAYMENT_SANDBOX=true asks for the sandboxes knowingly (as the bench does).
 */
export function refuseDevDefaults(surface: string, defaults: Record<string, unknown>) {
  return (c: ProductionKeys, ctx: z.RefinementCtx): void => {
    if (!servedInProduction(c, surface)) return;
    for (const [key, dev] of Object.entries(defaults))
      if (c[key] === dev) ctx.addIssue({ code: 'custom', path: [key], message: `is a development value (the ${surface} surface is served)` });
  };
}
