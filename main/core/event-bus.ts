// A typed event bus whose subscriptions hand back their own unsubscribe.
import { EventEmitter } from 'node:events';

import type { EngineEventMap, EngineEventName } from '../shared/events.js';
import { createLogger } from './logger.js';

const log = createLogger('events');

export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Many followers of many executions are normal for a desktop app with several windows.
    this.emitter.setMaxListeners(0);
  }

  on<K extends EngineEventName>(name: K, listener: (payload: EngineEventMap[K]) => void) {
    const safe = (payload: EngineEventMap[K]) => {
      try {
        listener(payload);
      } catch (error) {
        // A broken subscriber must not break the runner that emitted the event.
        log.error(`a listener of ${name} threw`, error);
      }
    };
    this.emitter.on(name, safe);
    return () => {
      this.emitter.off(name, safe);
    };
  }

  emit<K extends EngineEventName>(name: K, payload: EngineEventMap[K]): void {
    this.emitter.emit(name, payload);
  }
}
