// A small client of the graphql-ws protocol (subprotocol graphql-transport-ws): connection_init with the token,
// connection_ack, subscribe / next / error / complete, ping / pong. It reconnects after a dropped connection
// (then re-subscribes and reports `reconnected`, since events may have been missed), but not after 4403: the
// server refused the token, and the page must sign in again.

const FORBIDDEN = 4403;
/** Codes after which retrying cannot help: bad request, unauthorized, forbidden, subscriber already exists. */
const FINAL_CODES = new Set([4400, 4401, FORBIDDEN, 4409, 4429]);

export function createLiveClient({ url, token, onStatus, onRefused }) {
  const subscriptions = new Map();
  let socket = null;
  let acknowledged = false;
  let closedByUs = false;
  let attempt = 0;
  let retryTimer = null;
  let nextId = 1;

  const send = (message) => {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  };
  const sendSubscribe = (id, sub) => send({ id, type: 'subscribe', payload: sub.payload });

  function connect() {
    acknowledged = false;
    onStatus(attempt === 0 ? 'connecting' : 'reconnecting');
    const ws = new WebSocket(url, 'graphql-transport-ws');
    socket = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    ws.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        ws.close(4400, 'Invalid message');
        return;
      }
      switch (message.type) {
        case 'connection_ack': {
          const reconnected = attempt > 0;
          acknowledged = true;
          attempt = 0;
          for (const [id, sub] of subscriptions) sendSubscribe(id, sub);
          onStatus('live', { reconnected });
          break;
        }
        case 'ping':
          ws.send(JSON.stringify({ type: 'pong' }));
          break;
        case 'next':
          subscriptions.get(message.id)?.sink.next(message.payload);
          break;
        case 'error':
          subscriptions.get(message.id)?.sink.error(message.payload);
          subscriptions.delete(message.id);
          break;
        case 'complete':
          subscriptions.get(message.id)?.sink.complete?.();
          subscriptions.delete(message.id);
          break;
        default:
          break;
      }
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      if (closedByUs) return;
      if (FINAL_CODES.has(event.code)) {
        onStatus('refused');
        onRefused({ code: event.code, reason: event.reason || `closed with ${event.code}` });
        return;
      }
      attempt += 1;
      const delay = Math.min(10_000, 500 * 2 ** Math.min(attempt - 1, 5));
      onStatus('reconnecting', { delay });
      retryTimer = setTimeout(connect, delay);
    };
  }

  connect();

  return {
    /** Starts a subscription; returns a function that ends it. */
    subscribe(payload, sink) {
      const id = String(nextId++);
      subscriptions.set(id, { payload, sink });
      if (acknowledged) sendSubscribe(id, subscriptions.get(id));
      return () => {
        if (subscriptions.delete(id) && acknowledged) send({ id, type: 'complete' });
      };
    },
    close() {
      closedByUs = true;
      clearTimeout(retryTimer);
      subscriptions.clear();
      if (socket) socket.close(1000, 'Signed out');
      socket = null;
    },
  };
}
