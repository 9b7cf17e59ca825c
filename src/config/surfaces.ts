import { z } from 'zod';

export const SURFACE_NAMES = ['chargeghar', 'ev', 'water', 'fleet'] as const;
export type SurfaceName = (typeof SURFACE_NAMES)[number];

/** What a product calls itself and the currency its wallets, prices and payments are in. */
export interface SurfaceProfile {
  brand: string;
  currency: string;
}

const brand = (fallback: string) => z.string().trim().min(1).max(40).default(fallback);
const currency = (fallback: string) =>
  z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code in capitals')
    .default(fallback);

/**
 * Each product's brand (in SMS, emails, gateway descriptions) and currency. Shared code names no
 * product: it reads these through surfaceProfile(config, surface).
 */
export const surfaceProfileShape = {
  CHARGEGHAR_BRAND: brand('ChargeGhar'),
  CHARGEGHAR_CURRENCY: currency('NPR'),
  EV_BRAND: brand('EV Charge'),
  EV_CURRENCY: currency('MNT'),
  WATER_BRAND: brand('Water Station'),
  WATER_CURRENCY: currency('KES'),
  FLEET_BRAND: brand('Ienerzy'),
  FLEET_CURRENCY: currency('INR'),
};

type ProfileKeys = { [K in keyof typeof surfaceProfileShape]: string };

export function surfaceProfile(config: ProfileKeys, surface: SurfaceName): SurfaceProfile {
  const prefix = surface.toUpperCase() as 'CHARGEGHAR' | 'EV' | 'WATER' | 'FLEET';
  return { brand: config[`${prefix}_BRAND`], currency: config[`${prefix}_CURRENCY`] };
}
