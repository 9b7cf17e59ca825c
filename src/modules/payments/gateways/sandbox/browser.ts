/** What the sandbox saw when it played the payer's browser and followed a redirect itself. */
export interface FollowedRedirect {
  url: string;
  status: number;
  body: string;
  location?: string | null;
}

/** GETs `url` like a browser landing on a merchant's return page (one hop, no further redirects). */
export async function followRedirect(url: string, timeoutMs = 10_000): Promise<FollowedRedirect> {
  try {
    const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs), headers: { Accept: 'text/html,application/json' } });
    return { url, status: res.status, body: await res.text(), location: res.headers.get('location') };
  } catch (err) {
    return { url, status: 0, body: `request failed: ${(err as Error).message}` };
  }
}

/** True when the request came from an HTML form (the payment page) rather than a test's JSON call. */
export function isFormPost(contentType: string | undefined): boolean {
  return !!contentType && contentType.includes('application/x-www-form-urlencoded');
}
