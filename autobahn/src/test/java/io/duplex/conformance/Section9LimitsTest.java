package io.duplex.conformance;

import io.duplex.core.WebSocketConfig;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Autobahn section 9, limits and performance, scaled to CI: large messages whole, fragmented and chopped,
 * and many small messages, all echoed exactly (content only: no timing is asserted); and the limits of
 * {@link WebSocketConfig}, enforced with 1009 (RFC 6455 §7.4.1) from a frame's declared length, before its
 * payload arrives or memory is sized from it.
 */
class Section9LimitsTest {

    @Nested
    class OurServer extends Cases implements UnderTest.AgainstServer {
    }

    @Nested
    class OurClient extends Cases implements UnderTest.AgainstClient {
    }

    abstract static class Cases extends ConformanceTest {

        private static final int MIB = 1 << 20;
        private static final int LIMIT = 64 << 10;

        private RawPeer openWithLimits() throws Exception {
            return open(b -> b.config(WebSocketConfig.builder().maxFrameSize(LIMIT).maxMessageSize(LIMIT)
                    .maxFragmentsPerMessage(100).build()));
        }

        /** A 1 GiB frame is refused from its header: the 1009 comes though not one payload byte was sent. */
        @ParameterizedTest(name = "case 9.0.1 duplex: opcode {0} declaring 1 GiB, limit 64 KiB: 1009")
        @ValueSource(ints = {Frame.TEXT, Frame.BINARY})
        void case_9_0_1_duplex_declared_length_over_the_frame_limit(int opcode) throws Exception {
            RawPeer peer = openWithLimits();
            peer.sendHeader(true, opcode, 1L << 30);
            assertFailed(1009);
        }

        @Test
        void case_9_0_2_duplex_largest_declarable_length() throws Exception {
            RawPeer peer = open();
            peer.sendHeader(true, Frame.BINARY, Long.MAX_VALUE);
            assertFailed(1009);
        }

        /** Each fragment is within the frame limit; the fifth header takes the message past it. */
        @Test
        void case_9_0_3_duplex_fragments_summing_over_the_message_limit() throws Exception {
            RawPeer peer = openWithLimits();
            byte[] quarter = new byte[LIMIT / 4];
            for (int i = 0; i < 4; i++) {
                peer.sendFrame(false, 0, i == 0 ? Frame.BINARY : Frame.CONTINUATION, quarter);
            }
            peer.sendHeader(true, Frame.CONTINUATION, 1);
            assertFailed(1009);
        }

        @Test
        void case_9_0_4_duplex_message_exactly_at_the_limit() throws Exception {
            RawPeer peer = openWithLimits();
            byte[] data = Payloads.random(LIMIT);
            peer.sendFrames(peer.frame(false, 0, Frame.BINARY, Arrays.copyOf(data, LIMIT / 2)),
                    peer.frame(true, 0, Frame.CONTINUATION, Arrays.copyOfRange(data, LIMIT / 2, LIMIT)));
            peer.expectBinary(data);
            closeNormally();
        }

        @Test
        void case_9_0_5_duplex_too_many_fragments() throws Exception {
            RawPeer peer = openWithLimits();
            byte[][] frames = new byte[101][];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = peer.frame(false, 0, i == 0 ? Frame.TEXT : Frame.CONTINUATION, RawPeer.utf8("x"));
            }
            peer.sendOffending(FrameBytes.concat(frames));
            assertFailed(1009);
        }

        @ParameterizedTest(name = "case 9.1: text message of {0} bytes")
        @ValueSource(ints = {64 << 10, 256 << 10, MIB, 4 * MIB})
        void case_9_1_large_text(int size) throws Exception {
            RawPeer peer = open();
            String text = Payloads.text(size);
            peer.sendText(text);
            peer.expectText(text);
            closeNormally();
        }

        @ParameterizedTest(name = "case 9.2: binary message of {0} bytes")
        @ValueSource(ints = {64 << 10, 256 << 10, MIB, 4 * MIB})
        void case_9_2_large_binary(int size) throws Exception {
            RawPeer peer = open();
            byte[] data = Payloads.random(size);
            peer.send(Frame.BINARY, data);
            peer.expectBinary(data);
            closeNormally();
        }

        @ParameterizedTest(name = "case 9.3: 1 MiB text in fragments of {0} bytes")
        @ValueSource(ints = {64, 1 << 10, 16 << 10, 256 << 10, MIB})
        void case_9_3_fragmented_text(int fragment) throws Exception {
            RawPeer peer = open();
            String text = Payloads.text(MIB);
            peer.sendRaw(peer.fragmented(Frame.TEXT, RawPeer.utf8(text), fragment));
            peer.expectText(text);
            closeNormally();
        }

        @ParameterizedTest(name = "case 9.4: 1 MiB binary in fragments of {0} bytes")
        @ValueSource(ints = {64, 1 << 10, 16 << 10, 256 << 10, MIB})
        void case_9_4_fragmented_binary(int fragment) throws Exception {
            RawPeer peer = open();
            byte[] data = Payloads.random(MIB);
            peer.sendRaw(peer.fragmented(Frame.BINARY, data, fragment));
            peer.expectBinary(data);
            closeNormally();
        }

        @ParameterizedTest(name = "case 9.5: 1 MiB text in writes of {0} bytes")
        @ValueSource(ints = {64, 256, 2048})
        void case_9_5_chopped_text(int chop) throws Exception {
            RawPeer peer = open();
            String text = Payloads.text(MIB);
            peer.chop(chop).sendText(text);
            peer.chop(0).expectText(text);
            closeNormally();
        }

        @ParameterizedTest(name = "case 9.6: 1 MiB binary in writes of {0} bytes")
        @ValueSource(ints = {64, 256, 2048})
        void case_9_6_chopped_binary(int chop) throws Exception {
            RawPeer peer = open();
            byte[] data = Payloads.random(MIB);
            peer.chop(chop).send(Frame.BINARY, data);
            peer.chop(0).expectBinary(data);
            closeNormally();
        }

        @ParameterizedTest(name = "case 9.7: 1000 text messages of {0} bytes")
        @ValueSource(ints = {0, 64, 1 << 10, 4 << 10})
        void case_9_7_many_text_messages(int size) throws Exception {
            RawPeer peer = open();
            String[] texts = new String[1000];
            byte[][] frames = new byte[texts.length][];
            String base = Payloads.text(size);
            for (int i = 0; i < texts.length; i++) {
                // a 1-byte first character replaced by a digit: each message differs, its size does not
                texts[i] = size == 0 ? "" : (char) ('0' + i % 10) + base.substring(1);
                frames[i] = peer.frame(true, 0, Frame.TEXT, RawPeer.utf8(texts[i]));
            }
            peer.sendFrames(frames);
            for (String t : texts) {
                peer.expectText(t);
            }
            closeNormally();
        }

        @ParameterizedTest(name = "case 9.8: 1000 binary messages of {0} bytes")
        @ValueSource(ints = {0, 64, 1 << 10, 4 << 10})
        void case_9_8_many_binary_messages(int size) throws Exception {
            RawPeer peer = open();
            Random random = new Random(size);
            byte[][] messages = new byte[1000][size];
            byte[][] frames = new byte[messages.length][];
            for (int i = 0; i < messages.length; i++) {
                random.nextBytes(messages[i]);
                frames[i] = peer.frame(true, 0, Frame.BINARY, messages[i]);
            }
            peer.sendFrames(frames);
            for (byte[] m : messages) {
                peer.expectBinary(m);
            }
            closeNormally();
        }
    }
}
