package io.duplex.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Autobahn section 7, the close handshake (RFC 6455 §5.5.1, §7.1–7.4): a Close is answered with a Close
 * (echoing a valid code), nothing is processed or sent after it, the server drops TCP promptly while the
 * client waits for it (§7.1.1) up to its close timeout; malformed Close payloads (1 byte, a code that may
 * not be sent, a reason that is not UTF-8, more than 125 bytes) fail the connection.
 */
class Section7CloseTest {

    @Nested
    class OurServer extends Cases implements UnderTest.AgainstServer {
    }

    @Nested
    class OurClient extends Cases implements UnderTest.AgainstClient {
    }

    abstract static class Cases extends ConformanceTest {

        private static final Duration QUIET = Duration.ofMillis(100);

        @Test
        void case_7_1_1_echo_then_close() throws Exception {
            RawPeer peer = open();
            peer.sendText("Hello World!");
            peer.expectText("Hello World!");
            closeNormally();
        }

        /**
         * What follows our Close in the same write (a second Close, a Ping, a text message, a continuation)
         * is neither answered nor echoed: the testee's only frame is its Close (§5.5.1, §1.4).
         */
        @ParameterizedTest(name = "case 7.1.{0}: {1} after our Close is ignored")
        @CsvSource({"2, a second Close", "3, a Ping", "4, a text message",
            "5, the continuation of a message begun before the Close"})
        void case_7_1_frames_after_close_are_ignored(int kind, String what) throws Exception {
            RawPeer peer = open();
            byte[] before = kind == 5 ? peer.frame(false, 0, Frame.TEXT, RawPeer.utf8("fragment1")) : new byte[0];
            byte[] after = switch (kind) {
                case 2 -> peer.frame(true, 0, Frame.CLOSE, FrameBytes.closePayload(1000, ""));
                case 3 -> peer.frame(true, 0, Frame.PING, RawPeer.utf8("Hello World!"));
                case 4 -> peer.frame(true, 0, Frame.TEXT, RawPeer.utf8("Hello World!"));
                default -> peer.frame(true, 0, Frame.CONTINUATION, RawPeer.utf8("fragment2"));
            };
            peer.sendFrames(before, peer.frame(true, 0, Frame.CLOSE, FrameBytes.closePayload(1000, "")), after);
            peer.expectClose(1000, RawPeer.PROMPT);
            endAfterOurClose(peer);
        }

        @Test
        void case_7_1_6_large_echo_then_ping_then_close() throws Exception {
            RawPeer peer = open();
            String big = "BAsd7&jh23".repeat(256 << 10 >> 3).substring(0, 256 << 10);
            peer.sendFrames(peer.frame(true, 0, Frame.TEXT, RawPeer.utf8(big)),
                    peer.frame(true, 0, Frame.PING, RawPeer.utf8("ping")),
                    peer.frame(true, 0, Frame.CLOSE, FrameBytes.closePayload(1000, "")));
            peer.expectText(big);
            peer.expectPong(RawPeer.utf8("ping"));
            peer.expectClose(1000, RawPeer.PROMPT);
            endAfterOurClose(peer);
        }

        /** After the testee answered our Close it sends nothing more, and TCP ends as §7.1.1 says. */
        private void endAfterOurClose(RawPeer peer) throws Exception {
            if (role() == Role.CLIENT) {
                peer.expectOpenAndSilent(QUIET); // the client leaves dropping TCP to the server
            }
            peer.finishClose();
            assertTrue(testee.awaitClosed(RawPeer.PROMPT).clean());
        }

        @Test
        void case_7_3_1_empty_close_answered_with_empty_close() throws Exception {
            open();
            closeWith(new byte[0], -1);
        }

        @Test
        void case_7_3_2_one_byte_close_payload() throws Exception {
            RawPeer peer = open();
            assertFailsBetween(peer.frame(true, 0, Frame.CLOSE, new byte[] {0x03}), 1002);
        }

        @ParameterizedTest(name = "case 7.3.x: Close 1000 with a reason of {0} bytes")
        @ValueSource(ints = {0, 12, 123})
        void case_7_3_3_close_with_reason(int length) throws Exception {
            open();
            closeWith(FrameBytes.closePayload(1000, "*".repeat(length)), 1000);
        }

        @Test
        void case_7_3_6_reason_of_124_bytes_makes_the_frame_too_long() throws Exception {
            RawPeer peer = open();
            assertFailsBetween(peer.frame(true, 0, Frame.CLOSE, FrameBytes.closePayload(1000, "*".repeat(124))),
                    1002);
        }

        @Test
        void case_7_5_1_reason_not_utf8() throws Exception {
            RawPeer peer = open();
            byte[] reason = FrameBytes.concat(RawPeer.utf8("κόσμε"), new byte[] {(byte) 0xED, (byte) 0xA0,
                (byte) 0x80}, RawPeer.utf8("edited"));
            assertFailsBetween(peer.frame(true, 0, Frame.CLOSE, FrameBytes.closePayload(1000, reason)), 1007);
        }

        @ParameterizedTest(name = "case 7.7: valid code {0} answered with {0}")
        @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999,
            4000, 4999})
        void case_7_7_valid_codes_echoed(int code) throws Exception {
            open();
            closeWith(FrameBytes.closePayload(code, "reason"), code);
        }

        @ParameterizedTest(name = "case 7.9/7.13: code {0} may not be sent, 1002")
        @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
        void case_7_9_invalid_codes(int code) throws Exception {
            RawPeer peer = open();
            assertFailsBetween(peer.frame(true, 0, Frame.CLOSE, FrameBytes.closePayload(code, "")), 1002);
        }

        /** TCP ends without a Close: the testee reports 1006 (§7.1.5), not a clean close, and sends nothing. */
        @Test
        void case_7_11_1_duplex_tcp_drops_without_a_close() throws Exception {
            RawPeer peer = open();
            peer.sendText("last words");
            peer.expectText("last words");
            peer.close();
            EchoHandler.Closed closed = testee.awaitClosed(RawPeer.PROMPT);
            assertEquals(1006, closed.status().code());
            assertFalse(closed.clean());
        }

        /**
         * Shutting our endpoint down: a server stopping says 1001 (going away, §7.4.1), waits for the answer
         * and drops TCP; a client closing its loops drops its connections without a close handshake.
         */
        @Test
        void case_7_12_1_duplex_shutdown() throws Exception {
            RawPeer peer = open();
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> testee.shutDown(RawPeer.PROMPT));
            if (role() == Role.SERVER) {
                peer.expectClose(1001, RawPeer.PROMPT);
                peer.sendClose(1001, "");
                peer.expectTcpClosed(RawPeer.FAIL_WITHIN);
            } else {
                peer.expectTcpClosed(RawPeer.PROMPT);
            }
            stopped.get(RawPeer.PROMPT.toMillis(), TimeUnit.MILLISECONDS);
            EchoHandler.Closed closed = testee.awaitClosed(RawPeer.PROMPT);
            assertEquals(role() == Role.SERVER ? 1001 : 1006, closed.status().code());
            assertEquals(role() == Role.SERVER, closed.clean());
        }

        /** The testee starts the close: the peer's answer ends it cleanly and TCP ends as §7.1.1 says. */
        @Test
        void case_7_10_1_duplex_testee_starts_the_close() throws Exception {
            RawPeer peer = open();
            WebSocket ws = testee.socket();
            ws.close(1000, "bye").get(5, TimeUnit.SECONDS);
            Frame close = peer.expectClose(1000, RawPeer.PROMPT);
            assertEquals("bye", close.closeReason());
            assertFalse(ws.isOpen(), "no data may be sent after our Close (§5.5.1)");
            ExecutionException late = assertThrows(ExecutionException.class,
                    () -> ws.sendText("late").get(5, TimeUnit.SECONDS), "a send after close fails");
            peer.sendClose(1000, "");
            if (role() == Role.CLIENT) {
                peer.expectOpenAndSilent(QUIET);
            }
            peer.finishClose();
            EchoHandler.Closed closed = testee.awaitClosed(RawPeer.PROMPT);
            assertEquals(1000, closed.status().code(), () -> "onClose after " + late);
            assertTrue(closed.clean());
        }

        /** The testee starts the close and the peer never answers: the testee drops TCP after its close timeout. */
        @Test
        void case_7_10_2_duplex_close_timeout_when_the_peer_never_answers() throws Exception {
            RawPeer peer = open(b -> b.closeTimeout(Duration.ofMillis(500)));
            testee.socket().close(1000, "").get(5, TimeUnit.SECONDS);
            peer.expectClose(1000, RawPeer.PROMPT);
            Duration took = peer.expectTcpClosed(Duration.ofSeconds(2));
            EchoHandler.Closed closed = testee.awaitClosed(RawPeer.PROMPT);
            assertEquals(1006, closed.status().code(), "no Close came back");
            assertFalse(closed.clean());
            assertTrue(took.toMillis() >= 300, () -> "dropped after " + took + ", before the close timeout");
        }

        /**
         * §7.1.1: after the close handshake the client waits for the server to drop TCP, and drops it itself
         * when the server does not, after its close timeout; the server drops it at once (checked by every
         * case's {@link RawClient#finishClose}).
         */
        @Test
        void case_7_10_3_duplex_who_drops_tcp_after_the_handshake() throws Exception {
            RawPeer peer = open();
            peer.sendClose(1000, "");
            peer.expectClose(1000, RawPeer.PROMPT);
            if (role() == Role.SERVER) {
                Duration took = peer.expectTcpClosed(Duration.ofSeconds(1));
                assertTrue(took.toMillis() < 1000, () -> "server dropped TCP after " + took);
                return;
            }
            peer.expectOpenAndSilent(Duration.ofMillis(300));
            Duration took = peer.expectTcpClosed(Testee.CLIENT_CLOSE_TIMEOUT.plusSeconds(1));
            assertTrue(testee.awaitClosed(RawPeer.PROMPT).clean());
            assertTrue(took.toMillis() + 300 >= Testee.CLIENT_CLOSE_TIMEOUT.toMillis() / 2,
                    () -> "client dropped TCP after " + took.plusMillis(300) + ", well before its close timeout");
        }
    }
}
