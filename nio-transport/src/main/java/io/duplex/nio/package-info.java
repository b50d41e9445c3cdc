/**
 * Duplex over java.nio: {@link io.duplex.nio.WebSocketServer} and {@link io.duplex.nio.WebSocketClient} run
 * the sans-I/O core on selector event loops ({@link io.duplex.nio.EventLoopGroup}).
 *
 * <p>Threading: each connection belongs to one loop for life and its handler's callbacks run on that loop's
 * thread, so they must not block. The {@link io.duplex.core.WebSocket} a handler receives may be used from any
 * thread: sends from other threads are queued to the loop, each message stays whole and each thread's messages
 * keep their order. Futures complete once the bytes reached the socket.
 *
 * <p>Backpressure: {@code bufferedAmount()}, {@code onWritabilityChanged} at the high and low watermarks, a
 * hard limit with an {@link io.duplex.nio.OverflowPolicy}, and {@code pauseReading()}/{@code resumeReading()}.
 *
 * <p>Client extras: an HTTP CONNECT proxy for ws:// and wss:// ({@link io.duplex.nio.ProxySettings}), and a
 * {@link io.duplex.nio.ReconnectingWebSocket} that reconnects with {@link io.duplex.nio.Backoff}.
 */
package io.duplex.nio;
