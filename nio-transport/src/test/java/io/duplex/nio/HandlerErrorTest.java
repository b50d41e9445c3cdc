package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue #12 §1: anything thrown while a connection is handled, an {@link Error} included, fails that
 * connection with 1011 and closes it, and the server counts it; the connection never stays open and silent.
 */
class HandlerErrorTest extends LoopbackFixture {

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("OutOfMemoryError", (Supplier<Throwable>) () -> new OutOfMemoryError("thrown by the handler")),
                Arguments.of("StackOverflowError", (Supplier<Throwable>) StackOverflowError::new),
                Arguments.of("AssertionError", (Supplier<Throwable>) () -> new AssertionError("a bug")),
                Arguments.of("RuntimeException", (Supplier<Throwable>) () -> new IllegalStateException("a bug")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void aThrowingHandlerFailsItsConnectionWith1011AndIsCounted(String name, Supplier<Throwable> error)
            throws Exception {
        WebSocketServer server = server(new WebSocketHandler() {
            @Override
            public void onText(WebSocket socket, String text) {
                Throwable t = error.get();
                if (t instanceof Error e) {
                    throw e;
                }
                throw (RuntimeException) t;
            }
        });
        try (RawClient peer = new RawClient(server.port())) {
            peer.upgrade();
            peer.send(RawClient.frame(0x1, "boom".getBytes(StandardCharsets.UTF_8)));
            RawClient.Frame close = peer.readFrame();
            assertEquals(0x8, close.opcode());
            assertEquals(CloseStatus.INTERNAL_ERROR, close.closeCode());
            assertEquals(0, peer.readToEnd().length, "nothing after the Close, then TCP closes");
        }
        eventually(() -> server.connectionCount() == 0, "the connection to be released");
        if (!name.equals("RuntimeException")) {
            // A RuntimeException is the handler's failure, which the session answers itself; an Error
            // escapes the session and is the transport's to count.
            assertEquals(1, server.internalErrorCount());
        }

        // The server still serves others.
        try (RawClient other = new RawClient(server.port())) {
            assertTrue(other.upgrade().startsWith("HTTP/1.1 101"));
        }
    }

    /**
     * An Error from a handler called by a timer (here {@code onClose} when the close timeout expires) must
     * not stop the event loop, which would drop every other connection on it.
     */
    @org.junit.jupiter.api.Test
    void anErrorThrownFromATimerLeavesTheLoopServingOthers() throws Exception {
        WebSocketServer server = server(b -> b.closeTimeout(java.time.Duration.ofMillis(200))
                .handler(new WebSocketHandler() {
                    @Override
                    public void onOpen(WebSocket socket) {
                        if (socket.handshakeRequest().target().equals("/victim")) {
                            socket.close(CloseStatus.NORMAL_CLOSURE, "bye");
                        }
                    }

                    @Override
                    public void onText(WebSocket socket, String text) {
                        socket.sendText(text);
                    }

                    @Override
                    public void onClose(WebSocket socket, CloseStatus status, boolean clean) {
                        if (socket.handshakeRequest().target().equals("/victim")) {
                            throw new StackOverflowError();
                        }
                    }
                }));
        // Connections go to the loops in turn: of the two after the victim, one shares its loop.
        try (RawClient victim = new RawClient(server.port()); RawClient other = new RawClient(server.port());
                RawClient third = new RawClient(server.port())) {
            victim.send(RawClient.UPGRADE.replace("GET / ", "GET /victim "));
            victim.readResponseHead();
            other.upgrade();
            third.upgrade();
            assertEquals(0x8, victim.readFrame().opcode()); // never answered: the close timeout fires
            victim.readToEnd();

            for (RawClient peer : new RawClient[] {other, third}) {
                peer.send(RawClient.frame(0x1, "still served".getBytes(StandardCharsets.UTF_8)));
                RawClient.Frame echo = peer.readFrame();
                assertEquals(0x1, echo.opcode());
                assertEquals("still served", new String(echo.payload(), StandardCharsets.UTF_8));
            }
        }
    }
}
