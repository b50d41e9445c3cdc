/**
 * The event loop machinery: one selector thread per {@link io.duplex.nio.loop.EventLoop} with its task queue
 * (one coalesced wakeup), its {@link io.duplex.nio.loop.TimerWheel} and its buffers. Internal: not exported.
 */
package io.duplex.nio.loop;
