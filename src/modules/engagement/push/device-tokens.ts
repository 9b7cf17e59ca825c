import type { EntityManager } from '@mikro-orm/postgresql';

/** The FCM registration tokens of a user's devices (identity keeps the device registry; the composition root wires it). */
export type DeviceTokenSource = (em: EntityManager, userId: string) => Promise<string[]>;
