/**
 * The event loop machinery: one selector thread per {@link io.duplex.nio.internal.loop.EventLoop} with its task queue
 * (one coalesced wakeup), its {@link io.duplex.nio.internal.loop.TimerWheel} and its buffers. Internal: not exported.
 */
package io.duplex.nio.internal.loop;
