/**
 * The four surfaces as the default SURFACES mounts them, with how each renders an error
 * (DESIGN.md / seeds 000-004). Shared by the foundation tests.
 */
export interface SurfaceCase {
  name: 'chargeghar' | 'water' | 'fleet' | 'ev';
  mount: string;
  health: string;
  /** Asserts the body is exactly this surface's error envelope and returns its parts. */
  error(body: any): { code: string; message: string; details: unknown };
}

const keysWithin = (body: object, allowed: string[]) => {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length) throw new Error(`unexpected keys ${extra.join(', ')} in ${JSON.stringify(body)}`);
};

export const SURFACE_CASES: SurfaceCase[] = [
  {
    name: 'chargeghar',
    mount: '/api',
    health: '/api/app/health',
    error(body) {
      keysWithin(body, ['success', 'error']);
      expect(body.success).toBe(false);
      keysWithin(body.error, ['code', 'message', 'details']);
      return body.error;
    },
  },
  {
    name: 'water',
    mount: '/water/api',
    health: '/water/api/health',
    error(body) {
      keysWithin(body, ['success', 'message', 'error', 'details']);
      expect(body.success).toBe(false);
      expect(typeof body.error).toBe('string');
      return { code: body.error, message: body.message, details: body.details };
    },
  },
  {
    name: 'fleet',
    mount: '/fleet/api',
    health: '/fleet/api/health',
    error(body) {
      expect(Object.keys(body).sort()).toEqual(['code', 'details', 'error']);
      return { code: body.code, message: body.error, details: body.details };
    },
  },
  {
    name: 'ev',
    mount: '/ev/api',
    health: '/ev/api/health',
    error(body) {
      keysWithin(body, ['error', 'code', 'details']);
      expect(typeof body.error).toBe('string');
      return { code: body.code, message: body.error, details: body.details };
    },
  },
];

/** Fails when a response leaks internals: stack frames, error class names, file paths. */
export function expectNoInternals(text: string) {
  expect(text).not.toMatch(/\n\s*at |\bat [\w.<>]+ \(|Error:|node_modules|\.[jt]s:\d+|\/src\//);
}
