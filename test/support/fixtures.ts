import request from 'supertest';
import { startMessagingSandboxes, type MessagingSandboxes } from './messaging';
import { startTestStack, type TestStack } from './stack';
import { createTimeSkippingEnv, type TimeSkippingEnv } from './time-skipping';

/**
 * Set-up shared by a describe block (or a file): what a fixture's setup starts, it registers here
 * with how to undo it. The undoing runs in afterAll in reverse order, so whatever was started on
 * top of something is stopped before it (kiosk before stack, stack before its sandboxes).
 */
export interface FixtureScope {
  /** Awaits `started` and registers `stop` for the value. */
  use<T>(started: Promise<T> | T, stop: (value: T) => unknown): Promise<T>;
  /** Registers a clean-up step, run in reverse order with the stops. */
  defer(cleanup: () => unknown): void;
}

export interface Fixture<T extends object> {
  /** Runs the set-up once; on failure what it had started stays registered for tearDown. */
  setUp(): Promise<void>;
  /** Undoes, in reverse order, what the set-up started; every step runs even when one fails. */
  tearDown(): Promise<void>;
  /** Reads what the set-up returned (`fx.stack`); throws a clear error before or after a failed set-up. */
  value: Readonly<T>;
}

/** The set-up and tear-down of a fixture, without the jest hooks (useFixture registers them). */
export function createFixture<T extends object>(setup: (scope: FixtureScope) => Promise<T>): Fixture<T> {
  const cleanups: (() => unknown)[] = [];
  let state: { ready: true; value: T } | { ready: false; error?: unknown } = { ready: false };
  let tornDown = false;
  const scope: FixtureScope = {
    async use(started, stop) {
      const value = await started;
      scope.defer(() => stop(value));
      return value;
    },
    defer(cleanup) {
      if (!tornDown) {
        cleanups.push(cleanup);
        return;
      }
      // The set-up outlived its hook (a timeout) and the tear-down already ran: undo this at once.
      void Promise.resolve()
        .then(cleanup)
        .catch(() => undefined);
      throw new Error('fixture set-up went on after its tear-down; stopped what it started');
    },
  };
  return {
    async setUp() {
      try {
        state = { ready: true, value: await setup(scope) };
      } catch (error) {
        state = { ready: false, error };
        throw error;
      }
    },
    async tearDown() {
      tornDown = true;
      const errors: unknown[] = [];
      for (let c = cleanups.pop(); c; c = cleanups.pop()) {
        try {
          await c();
        } catch (err) {
          errors.push(err);
        }
      }
      if (errors.length === 1) throw errors[0];
      if (errors.length > 1) throw new AggregateError(errors, `${errors.length} fixture clean-up steps failed`);
    },
    value: new Proxy({} as T, {
      get(_, key) {
        if (state.ready) return Reflect.get(state.value, key);
        if (typeof key === 'symbol' || key === 'then') return undefined;
        if ('error' in state)
          throw new Error(`fixture value "${key}" is missing: its set-up failed (${(state.error as Error)?.message ?? String(state.error)})`);
        throw new Error(`fixture value "${key}" read before its set-up ran: read it inside a test or a hook`);
      },
      has: (_, key) => state.ready && key in state.value,
    }),
  };
}

/**
 * Registers one beforeAll and one afterAll in the calling describe (or file). `setup` runs in the
 * beforeAll; the returned object reads what it returned (`fx.stack`), from tests and later hooks.
 * A set-up that fails half-way is reported once: afterAll stops only what had started (no second
 * "cannot read properties of undefined"), and reading the fixture says that its set-up failed.
 */
export function useFixture<T extends object>(setup: (scope: FixtureScope) => Promise<T>, opts: { timeoutMs?: number } = {}): Readonly<T> {
  const fixture = createFixture(setup);
  beforeAll(() => fixture.setUp(), opts.timeoutMs);
  afterAll(() => fixture.tearDown(), opts.timeoutMs);
  return fixture.value;
}

export type StackOptions = NonNullable<Parameters<typeof startTestStack>[0]>;

/** In a fixture's setup: a test stack, closed in afterAll. */
export const stackIn = (scope: FixtureScope, opts: StackOptions = {}): Promise<TestStack> => scope.use(startTestStack(opts), (s) => s.close());

/** In a fixture's setup: the Sparrow SMS and SMTP sandboxes (pass `.env` to the stack), stopped in afterAll. */
export const messagingIn = (scope: FixtureScope): Promise<MessagingSandboxes> => scope.use(startMessagingSandboxes(), (b) => b.stop());

/** In a fixture's setup: Temporal's time-skipping test server, torn down in afterAll. */
export const timeSkippingIn = (scope: FixtureScope): Promise<TimeSkippingEnv> => scope.use(createTimeSkippingEnv(), (e) => e.teardown());

/** The stack options that run a stack's client and worker on the time-skipping server. */
export const onTimeSkipping = (env: TimeSkippingEnv): StackOptions => ({
  temporalServer: { client: env.client, nativeConnection: env.nativeConnection },
  // Kiosks report times on the workflows' clock, which the server moves.
  deviceClock: () => env.currentTimeMs(),
});

export interface StackFixture {
  stack: TestStack;
  /** supertest at the stack's base URL. */
  api(): ReturnType<typeof request>;
}

export const withApi = (stack: TestStack): StackFixture => ({ stack, api: () => request(stack.baseUrl) });

/**
 * One fixture from a ready-made start (`base`: a stack, sandboxes...) and the describe block's own
 * additions (`more`: users, services, stations), run right after it in the same beforeAll; the
 * fixture reads the values of both.
 */
export function useComposedFixture<B extends object, X extends object = object>(
  base: (scope: FixtureScope) => Promise<B>,
  more?: (base: B, scope: FixtureScope) => Promise<X> | X,
  opts: { timeoutMs?: number } = {},
): Readonly<B & X> {
  return useFixture(async (scope) => {
    const b = await base(scope);
    return { ...b, ...(more ? await more(b, scope) : ({} as X)) };
  }, opts);
}

/** A test stack for the calling describe: started in beforeAll, closed in afterAll. */
export function useTestStack<X extends object = object>(
  opts: StackOptions = {},
  more?: (base: StackFixture, scope: FixtureScope) => Promise<X> | X,
): Readonly<StackFixture & X> {
  return useComposedFixture(async (scope) => withApi(await stackIn(scope, opts)), more);
}

export interface MessagingStackFixture extends StackFixture {
  boxes: MessagingSandboxes;
}

/**
 * The Sparrow SMS and SMTP sandboxes, then a test stack that sends through them (`opts.env` is
 * added to theirs). The stack closes before the sandboxes stop.
 */
export function useMessagingStack<X extends object = object>(
  opts: StackOptions = {},
  more?: (base: MessagingStackFixture, scope: FixtureScope) => Promise<X> | X,
): Readonly<MessagingStackFixture & X> {
  return useComposedFixture(async (scope) => {
    const boxes = await messagingIn(scope);
    return { boxes, ...withApi(await stackIn(scope, { ...opts, env: { ...boxes.env, ...opts.env } })) };
  }, more);
}
