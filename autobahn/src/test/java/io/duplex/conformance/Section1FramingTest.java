package io.duplex.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplex.core.WebSocketConfig;
import io.duplex.nio.TransportBuilder;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Autobahn section 1, framing: text and binary messages at every length-encoding boundary (RFC 6455 §5.2:
 * 7-bit up to 125, 16-bit from 126 to 65535, 64-bit from 65536), whole and chopped into small writes, echoed
 * exactly. Cases marked "duplex" go beyond the suite: 16 MiB messages, 1-byte writes, and the masking rule
 * of §5.1.
 */
class Section1FramingTest {

    @Nested
    class OurServer extends Cases implements UnderTest.AgainstServer {
    }

    @Nested
    class OurClient extends Cases implements UnderTest.AgainstClient {
        /** §5.3: a client picks a fresh masking key for every frame; 200 frames show no repeated key. */
        @Test
        void case_1_5_1_duplex_client_masking_keys_are_fresh() throws Exception {
            RawPeer peer = open();
            Set<Integer> keys = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                peer.sendText("m" + i);
                Frame echo = peer.next(RawPeer.PROMPT);
                keys.add(ByteBuffer.wrap(echo.maskKey()).getInt());
            }
            assertEquals(200, keys.size(), "distinct masking keys");
            closeNormally();
        }
    }

    abstract static class Cases extends ConformanceTest {

        private static final int SIXTEEN_MIB = 16 << 20;

        /** Room for a 16 MiB message in and out. */
        static final Consumer<TransportBuilder<?>> BIG = b -> b
                .config(WebSocketConfig.builder().maxFrameSize(SIXTEEN_MIB + 1024).maxMessageSize(SIXTEEN_MIB + 1024)
                        .build())
                .maxBufferedBytes(4L * SIXTEEN_MIB);

        /** Case number within the subsection, payload length, write size (0: one write). */
        static Stream<Arguments> sizes() {
            return Stream.of(
                    Arguments.of("1", 0, 0), Arguments.of("2", 125, 0), Arguments.of("3", 126, 0),
                    Arguments.of("4", 127, 0), Arguments.of("5", 128, 0), Arguments.of("6", 65535, 0),
                    Arguments.of("7", 65536, 0), Arguments.of("8", 65536, 997),
                    Arguments.of("9 duplex", 0, 1), Arguments.of("10 duplex", 125, 1), Arguments.of("11 duplex", 126, 1),
                    Arguments.of("12 duplex", 127, 1), Arguments.of("13 duplex", 65535, 997),
                    Arguments.of("14 duplex", SIXTEEN_MIB, 0), Arguments.of("15 duplex", SIXTEEN_MIB, 997));
        }

        @ParameterizedTest(name = "case 1.1.{0}: text of {1} bytes, writes of {2} (0: whole)")
        @MethodSource("sizes")
        void case_1_1_text(String id, int size, int chop) throws Exception {
            RawPeer peer = open(BIG);
            String text = "*".repeat(size);
            peer.chop(chop).sendText(text);
            peer.chop(0).expectText(text);
            closeNormally();
        }

        @ParameterizedTest(name = "case 1.2.{0}: binary of {1} bytes, writes of {2} (0: whole)")
        @MethodSource("sizes")
        void case_1_2_binary(String id, int size, int chop) throws Exception {
            RawPeer peer = open(BIG);
            byte[] data = Payloads.random(size);
            peer.chop(chop).send(Frame.BINARY, data);
            peer.chop(0).expectBinary(data);
            closeNormally();
        }

        /**
         * Frames written together with the opening handshake (before its answer could arrive) are frames,
         * not garbage: the bytes after the header block belong to the WebSocket connection (§4.1, §4.2.2).
         */
        @Test
        void case_1_4_1_duplex_frames_in_the_same_write_as_the_handshake() throws Exception {
            byte[] early = FrameBytes.concat(
                    FrameBytes.frame(true, 0, Frame.TEXT, RawPeer.utf8("early text"), peerMaskKey()),
                    FrameBytes.frame(true, 0, Frame.PING, RawPeer.utf8("early ping"), peerMaskKey()));
            RawPeer peer = open(b -> { }, early);
            peer.expectText("early text");
            peer.expectPong(RawPeer.utf8("early ping"));
            closeNormally();
        }

        /** §5.2: the most significant bit of a 64-bit payload length MUST be 0. */
        @Test
        void case_1_6_1_duplex_64_bit_length_with_its_top_bit_set() throws Exception {
            RawPeer peer = open();
            byte[] header = FrameBytes.header(true, 0, Frame.BINARY, 0x10000, peerMaskKey());
            header[2] = (byte) 0x80; // the first of the eight length bytes
            peer.sendOffending(header);
            assertFailed(1002);
        }

        /** §5.1: a server must fail an unmasked frame from a client; a client must fail a masked one from a server. */
        @Test
        void case_1_3_1_duplex_frame_masked_the_wrong_way() throws Exception {
            RawPeer peer = open();
            byte[] wrongKey = role() == Role.SERVER ? null : new byte[] {1, 2, 3, 4};
            peer.sendRaw(FrameBytes.frame(true, 0, Frame.TEXT, RawPeer.utf8("hello"), wrongKey));
            assertFailed(1002);
        }
}
}
