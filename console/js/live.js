// Live updates: the admin API's server-sent events, read with fetch so the bearer token goes in a
// header like every other call (EventSource cannot send one). A page re-renders on `change`; when the
// stream cannot be opened or breaks, the page falls back to polling every refresh_seconds.
import { apiBase, session } from './api.js';

/** Parses `event:` blocks of a text/event-stream body; calls onEvent(name) for each. */
async function read(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += value;
    let cut;
    while ((cut = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      const name = block.split('\n').find((l) => l.startsWith('event: '));
      if (name) onEvent(name.slice(7));
    }
  }
}

/**
 * Opens the stream at `path` of the chargeghar admin API. `onChange` runs on each change; `onLost`
 * once when the stream fails (the caller polls then). Returns a function that closes it. A stream the
 * server ends on its own (its 5-minute limit) is opened again.
 */
export function subscribe(path, { onChange, onLive, onLost }) {
  const abort = new AbortController();
  let lost = false;
  const lose = () => {
    if (lost || abort.signal.aborted) return;
    lost = true;
    onLost();
  };
  const open = async () => {
    const s = session.get();
    const res = await fetch(apiBase() + path, { headers: { Authorization: `Bearer ${s?.access_token}`, Accept: 'text/event-stream' }, signal: abort.signal });
    if (!res.ok || !res.body || !(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) return lose();
    await read(res.body, (name) => (name === 'ready' ? onLive() : name === 'change' ? onChange() : undefined));
    if (!abort.signal.aborted) open().catch(lose);
  };
  if (typeof TextDecoderStream === 'undefined') lose();
  else open().catch(lose);
  return () => abort.abort();
}
