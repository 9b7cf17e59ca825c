import { createFixture, type FixtureScope } from '../support/fixtures';

/** The set-up/tear-down rules every test file relies on through useFixture (test/support/fixtures.ts). */
describe('test fixtures: set-up and tear-down', () => {
  /** A pretend resource that records its start and stop. */
  const resource = (log: string[], name: string) => (scope: FixtureScope) =>
    scope.use(
      Promise.resolve({ name }).then((r) => {
        log.push(`start ${name}`);
        return r;
      }),
      (r) => {
        log.push(`stop ${r.name}`);
      },
    );

  it('when the set-up succeeds, then the fixture reads its values and the tear-down stops everything in reverse order', async () => {
    const log: string[] = [];
    const fixture = createFixture(async (s) => {
      const boxes = await resource(log, 'sandboxes')(s);
      const stack = await resource(log, 'stack')(s);
      s.defer(() => {
        log.push('stop kiosk');
      });
      return { boxes, stack };
    });
    await fixture.setUp();
    expect(fixture.value.stack).toEqual({ name: 'stack' });
    expect('boxes' in fixture.value).toBe(true);
    await fixture.tearDown();
    expect(log).toEqual(['start sandboxes', 'start stack', 'stop kiosk', 'stop stack', 'stop sandboxes']);
  });

  it('when the set-up fails half-way, then only what had started is stopped, the tear-down adds no error and reading the fixture names the failure', async () => {
    const log: string[] = [];
    const fixture = createFixture<{ stack: unknown }>(async (s) => {
      await resource(log, 'sandboxes')(s);
      await s.use(Promise.reject(new Error('port in use')), () => {
        log.push('stop stack');
      });
      return { stack: 'never' };
    });
    await expect(fixture.setUp()).rejects.toThrow('port in use');
    await expect(fixture.tearDown()).resolves.toBeUndefined();
    expect(log).toEqual(['start sandboxes', 'stop sandboxes']);
    expect(() => fixture.value.stack).toThrow('fixture value "stack" is missing: its set-up failed (port in use)');
  });

  it('when the fixture is read before its set-up ran, then the error says so', () => {
    const fixture = createFixture(async () => ({ stack: 1 }));
    expect(() => fixture.value.stack).toThrow('fixture value "stack" read before its set-up ran');
  });

  it('when a stop step throws, then the other steps still run and the tear-down reports that error', async () => {
    const log: string[] = [];
    const fixture = createFixture(async (s) => {
      await resource(log, 'sandboxes')(s);
      s.defer(() => {
        throw new Error('close failed');
      });
      await resource(log, 'kiosk')(s);
      return {};
    });
    await fixture.setUp();
    await expect(fixture.tearDown()).rejects.toThrow('close failed');
    expect(log).toEqual(['start sandboxes', 'start kiosk', 'stop kiosk', 'stop sandboxes']);
  });

  it('when the set-up goes on after the tear-down (a timed-out beforeAll), then what it starts later is stopped at once', async () => {
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const fixture = createFixture(async (s) => {
      await resource(log, 'sandboxes')(s);
      await gate;
      await resource(log, 'stack')(s);
      return {};
    });
    const setUp = fixture.setUp();
    await new Promise((r) => setImmediate(r));
    await fixture.tearDown();
    release();
    await expect(setUp).rejects.toThrow('fixture set-up went on after its tear-down');
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['start sandboxes', 'stop sandboxes', 'start stack', 'stop stack']);
  });
});
