// Engine events to WebSocket clients. Each client says which events it wants; log lines are
// gathered per client and sent every ~50 ms, one message per execution, never one per line.
// Before any other event goes out the gathered lines go first, so a client never sees an
// execution end before its last lines. A client that cannot keep up loses log batches
// rather than making the server hold them: its follower sees the gap in the sequence
// numbers and reads the missing lines from the store.
import type { WebSocket } from 'ws';

import type { Engine } from '../core/engine.js';
import { createLogger } from '../core/logger.js';
import {
  EVENT_NAMES,
  eventSubscriptionSchema,
  type EventMessage,
  type EventName,
} from '../shared/contract.js';
import type { LogLine } from '../shared/domain.js';
import type { EngineEventMap } from '../shared/events.js';

const log = createLogger('server-events');

export const LOG_FLUSH_MS = 50;
/** Bytes waiting in a socket beyond which log batches are dropped for that client. */
const SLOW_CLIENT_BYTES = 8 * 1024 * 1024;

class EventClient {
  private readonly subscriptions = new Set<EventName>();
  private readonly pendingLines = new Map<string, LogLine[]>();
  private timer: NodeJS.Timeout | null = null;
  private dropping = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly name: string,
  ) {
    socket.on('message', (data, isBinary) => this.receive(isBinary ? null : data.toString()));
  }

  push<K extends EventName>(event: K, payload: EngineEventMap[K]): void {
    if (!this.subscriptions.has(event)) return;
    if (event === 'logs.appended') {
      this.gather(payload as EngineEventMap['logs.appended']);
      return;
    }
    this.flush();
    this.send({ event, payload } as EventMessage);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pendingLines.clear();
  }

  private gather({ executionId, lines }: EngineEventMap['logs.appended']): void {
    if (this.socket.bufferedAmount > SLOW_CLIENT_BYTES) {
      if (!this.dropping) log.warn(`${this.name} is slow: log batches dropped until it catches up`);
      this.dropping = true;
      return;
    }
    this.dropping = false;
    const pending = this.pendingLines.get(executionId);
    if (pending) pending.push(...lines);
    else this.pendingLines.set(executionId, [...lines]);
    this.timer ??= setTimeout(() => this.flush(), LOG_FLUSH_MS);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const [executionId, lines] of this.pendingLines) {
      this.send({ event: 'logs.appended', payload: { executionId, lines } });
    }
    this.pendingLines.clear();
  }

  private send(message: EventMessage): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private receive(text: string | null): void {
    let parsed: unknown = null;
    try {
      parsed = text === null ? null : JSON.parse(text);
    } catch {
      // Not JSON: refused below like any other message that is not a subscription.
    }
    const result = eventSubscriptionSchema.safeParse(parsed);
    if (!result.success) {
      log.warn(`${this.name} sent a message that is not a subscription: closing it`);
      this.socket.close(1008, 'only subscriptions are accepted');
      return;
    }
    const { type, event } = result.data;
    if (type === 'subscribe') this.subscriptions.add(event);
    else this.subscriptions.delete(event);
    if (event === 'logs.appended' && type === 'unsubscribe') this.pendingLines.clear();
  }
}

/** Fans the engine's events out to the connected sockets; close() detaches it. */
export class EventHub {
  private readonly clients = new Set<EventClient>();
  private readonly unsubscribers: Array<() => void>;

  constructor(engine: Engine) {
    this.unsubscribers = EVENT_NAMES.map((event) =>
      engine.events.on(event, (payload) => {
        for (const client of this.clients) client.push(event, payload);
      }),
    );
  }

  add(socket: WebSocket, name: string): void {
    const client = new EventClient(socket, name);
    this.clients.add(client);
    log.info(`${name} connected (${this.clients.size} now)`);
    socket.on('close', () => {
      client.close();
      this.clients.delete(client);
      log.info(`${name} disconnected (${this.clients.size} now)`);
    });
    socket.on('error', (error) => log.warn(`${name}: ${error.message}`));
  }

  close(): void {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    for (const client of this.clients) client.close();
    this.clients.clear();
  }
}
