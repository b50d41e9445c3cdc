'use strict';
// The events of one WebSocket connection, awaited one at a time and in order, each within a timeout.
// Shared by client.js (CommonJS) and the browser page (loaded as a script, defining a global).

class EventQueue {
  constructor(timeoutMs) {
    this.timeoutMs = timeoutMs;
    this.queue = [];
    this.waiter = null;
  }

  push(event) {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w(event);
    } else {
      this.queue.push(event);
    }
  }

  next() {
    if (this.queue.length) return Promise.resolve(this.queue.shift());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no event within ' + this.timeoutMs + ' ms')), this.timeoutMs);
      this.waiter = (event) => { clearTimeout(timer); resolve(event); };
    });
  }

  /** The next event, which must be of the given type. */
  async nextOf(type) {
    const event = await this.next();
    if (event.type !== type) throw new Error('expected ' + type + ', got ' + JSON.stringify(event).slice(0, 200));
    return event;
  }
}

if (typeof module !== 'undefined') module.exports = EventQueue;
