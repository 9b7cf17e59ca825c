/** `major.minor.patch` with optional further numeric parts; pre-release/build suffixes are not accepted. */
export const VERSION_PATTERN = /^\d{1,5}(\.\d{1,5}){0,3}$/;

/** Numeric, part by part, missing parts are 0: 1.2 == 1.2.0 < 1.10.0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** Below the minimum: the app must update; below the latest: an update is offered. */
export function versionVerdict(current: string, latest: string, minimum: string) {
  return {
    update_required: compareVersions(current, minimum) < 0,
    update_available: compareVersions(current, latest) < 0,
  };
}
