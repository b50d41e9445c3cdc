package io.duplex.conformance;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Autobahn section 3, reserved bits (RFC 6455 §5.2): with no extension negotiated, a frame with RSV1, RSV2
 * or RSV3 set fails the connection with 1002, on data and control frames alike; what came before is
 * processed, what comes after is not.
 */
class Section3ReservedBitsTest {

    @Nested
    class OurServer extends Cases implements UnderTest.AgainstServer {
    }

    @Nested
    class OurClient extends Cases implements UnderTest.AgainstClient {
    }

    abstract static class Cases extends ConformanceTest {

        private void reservedBitsFail(int opcode, byte[] payload, int rsv) throws Exception {
            RawPeer peer = open();
            assertFailsBetween(peer.frame(true, rsv, opcode, payload), 1002);
        }

        @ParameterizedTest(name = "case 3.1.{0}: text frame with RSV={0}")
        @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
        void case_3_1_text(int rsv) throws Exception {
            reservedBitsFail(Frame.TEXT, RawPeer.utf8("Hello, world!"), rsv);
        }

        @ParameterizedTest(name = "case 3.2.{0}: binary frame with RSV={0}")
        @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
        void case_3_2_binary(int rsv) throws Exception {
            reservedBitsFail(Frame.BINARY, new byte[] {0, 1, 2, (byte) 0xFF}, rsv);
        }

        @ParameterizedTest(name = "case 3.3.{0}: ping with RSV={0}, not answered")
        @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
        void case_3_3_ping(int rsv) throws Exception {
            reservedBitsFail(Frame.PING, RawPeer.utf8("ping"), rsv);
        }

        @ParameterizedTest(name = "case 3.4.{0}: close with RSV={0}")
        @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
        void case_3_4_close(int rsv) throws Exception {
            reservedBitsFail(Frame.CLOSE, FrameBytes.closePayload(1000, ""), rsv);
        }

        @Test
        void case_3_5_text_with_rsv_in_1_byte_writes() throws Exception {
            RawPeer peer = open();
            peer.sendText("before");
            peer.expectText("before");
            peer.chop(1).sendOffending(peer.frame(true, 2, Frame.TEXT, RawPeer.utf8("Hello, world!")));
            assertFailed(1002);
        }
    }
}
