/** The NATS subject an app user listens on: `<prefix>.<userId>`. Pure. */
export const userTopic = (prefix: string, userId: string) => `${prefix}.${userId}`;
