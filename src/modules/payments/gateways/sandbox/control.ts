/**
 * A test's hand on a sandbox: `POST <url><path>` with a JSON body, as a payer's browser or the
 * gateway's back office would; a refusal (4xx/5xx, except the statuses in `accept`) throws.
 */
export function sandboxControl(gateway: string, url: string, accept: number[] = []) {
  return async <T>(path: string, body: object = {}): Promise<T> => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const json: unknown = await res.json();
    if (res.status >= 400 && !accept.includes(res.status)) throw new Error(`${gateway} sandbox ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json as T;
  };
}
