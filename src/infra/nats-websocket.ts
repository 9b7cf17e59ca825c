import { WebSocket as NodeWebSocket } from 'ws';

/**
 * A WebSocket for the NATS browser client (`wsconnect` of @nats-io/nats-core): the platform's own
 * where it has one (browsers, Node 22), else the `ws` package's (Node 20 keeps it behind a flag).
 */
export async function appWebSocket(url: string): Promise<{ socket: WebSocket; encrypted: boolean }> {
  const Impl = (globalThis as { WebSocket?: typeof WebSocket }).WebSocket ?? (NodeWebSocket as unknown as typeof WebSocket);
  const socket = new Impl(url);
  socket.binaryType = 'arraybuffer';
  return { socket, encrypted: url.startsWith('wss:') };
}
