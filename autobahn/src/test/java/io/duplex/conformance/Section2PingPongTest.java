package io.duplex.conformance;

import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Autobahn section 2, Ping and Pong (RFC 6455 §5.5.2, §5.5.3): every Ping is answered with a Pong carrying
 * the same payload, control payloads are at most 125 bytes (§5.5), and an unsolicited Pong is ignored.
 */
class Section2PingPongTest {

    @Nested
    class OurServer extends Cases implements UnderTest.AgainstServer {
    }

    @Nested
    class OurClient extends Cases implements UnderTest.AgainstClient {
    }

    abstract static class Cases extends ConformanceTest {

        private void pingIsAnswered(byte[] payload, int chop) throws Exception {
            RawPeer peer = open();
            peer.chop(chop).send(Frame.PING, payload);
            peer.chop(0).expectPong(payload);
            closeNormally();
        }

        @Test
        void case_2_1_ping_empty() throws Exception {
            pingIsAnswered(new byte[0], 0);
        }

        @Test
        void case_2_2_ping_text_payload() throws Exception {
            pingIsAnswered(RawPeer.utf8("Hello, world!"), 0);
        }

        @Test
        void case_2_3_ping_binary_payload() throws Exception {
            pingIsAnswered(new byte[] {0x00, (byte) 0xFF, (byte) 0xFE, (byte) 0xFD, (byte) 0xFC, (byte) 0xFB, 0, -1}, 0);
        }

        @Test
        void case_2_4_ping_125_bytes() throws Exception {
            pingIsAnswered(filled(125, (byte) 0xFE), 0);
        }

        @Test
        void case_2_5_ping_126_bytes_is_a_protocol_error() throws Exception {
            RawPeer peer = open();
            peer.send(Frame.PING, filled(126, (byte) 0xFE));
            assertFailed(1002);
        }

        @Test
        void case_2_5b_duplex_pong_126_bytes_is_a_protocol_error() throws Exception {
            RawPeer peer = open();
            peer.send(Frame.PONG, filled(126, (byte) 0xFE));
            assertFailed(1002);
        }

        @Test
        void case_2_6_ping_125_bytes_in_1_byte_writes() throws Exception {
            pingIsAnswered(filled(125, (byte) 0xFE), 1);
        }

        /** Silence is checked by the order of what comes next: the marker's Pong must be the very next frame. */
        private void unsolicitedPongIsIgnored(byte[] payload) throws Exception {
            RawPeer peer = open();
            peer.send(Frame.PONG, payload);
            byte[] marker = RawPeer.utf8("marker");
            peer.send(Frame.PING, marker);
            peer.expectPong(marker);
            closeNormally();
        }

        @Test
        void case_2_7_unsolicited_pong_empty() throws Exception {
            unsolicitedPongIsIgnored(new byte[0]);
        }

        @Test
        void case_2_8_unsolicited_pong_with_payload() throws Exception {
            unsolicitedPongIsIgnored(RawPeer.utf8("unsolicited pong payload"));
        }

        @Test
        void case_2_9_unsolicited_pong_then_ping() throws Exception {
            unsolicitedPongIsIgnored(RawPeer.utf8("ping payload"));
        }

        /** §5.5.2 lets an endpoint answer only the latest of several Pings; we answer each, in order. */
        private void tenPingsTenPongs(int chop) throws Exception {
            RawPeer peer = open();
            byte[][] frames = new byte[10][];
            for (int i = 0; i < 10; i++) {
                frames[i] = peer.frame(true, 0, Frame.PING, RawPeer.utf8("payload-" + i));
            }
            peer.chop(chop).sendFrames(frames);
            for (int i = 0; i < 10; i++) {
                peer.expectPong(RawPeer.utf8("payload-" + i));
            }
            closeNormally();
        }

        @Test
        void case_2_10_ten_pings() throws Exception {
            tenPingsTenPongs(0);
        }

        @Test
        void case_2_11_ten_pings_in_1_byte_writes() throws Exception {
            tenPingsTenPongs(1);
        }

        static byte[] filled(int length, byte value) {
            byte[] b = new byte[length];
            Arrays.fill(b, value);
            return b;
        }
    }
}
