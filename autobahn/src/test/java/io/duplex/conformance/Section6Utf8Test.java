package io.duplex.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.duplex.core.WebSocketConfig;
import io.duplex.nio.TransportBuilder;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Autobahn section 6, UTF-8 handling (RFC 6455 §5.6, §8.1; RFC 3629): well-formed text is echoed exactly
 * however it is fragmented, a code point split across frames included; ill-formed text (overlong forms,
 * surrogates, code points above U+10FFFF, truncated sequences, impossible bytes) fails the connection with
 * 1007 — and fails it fast, as soon as the bad bytes arrive, without waiting for the message to end.
 */
class Section6Utf8Test {

    @Nested
    class OurServer extends Cases implements UnderTest.AgainstServer {
    }

    @Nested
    class OurClient extends Cases implements UnderTest.AgainstClient {
    }

    abstract static class Cases extends ConformanceTest {

        /** Messages delivered (and echoed) part by part, validated across parts (§5.6, §8.1). */
        private static final Consumer<TransportBuilder<?>> STREAMING =
                b -> b.config(WebSocketConfig.builder().streaming(true).build());

        /** Every length of UTF-8 sequence, the last code point included. */
        private static final String MIXED = "Hello-µ@ßöäüàá κόσμε ☃ \uD83D\uDE00 \uDBFF\uDFFF!";

        @Test
        void case_6_1_1_empty_text() throws Exception {
            RawPeer peer = open();
            peer.sendText("");
            peer.expectText("");
            closeNormally();
        }

        @ParameterizedTest(name = "case {0}: fragments ''{1}'', ''{2}'', ''{3}''")
        @CsvSource({"6.1.2, '', '', ''", "6.1.3, '', middle, ''"})
        void case_6_1_empty_fragments(String id, String first, String middle, String last) throws Exception {
            RawPeer peer = open();
            peer.sendFrames(peer.frame(false, 0, Frame.TEXT, RawPeer.utf8(first)),
                    peer.frame(false, 0, Frame.CONTINUATION, RawPeer.utf8(middle)),
                    peer.frame(true, 0, Frame.CONTINUATION, RawPeer.utf8(last)));
            peer.expectText(first + middle + last);
            closeNormally();
        }

        @ParameterizedTest(name = "case {0}: echoed")
        @MethodSource("io.duplex.conformance.Utf8Samples#valid")
        void case_6_valid_text_is_echoed(String name, byte[] bytes) throws Exception {
            String oracle = Frame.strictUtf8(bytes, 0); // throws if the annotation is wrong
            RawPeer peer = open();
            peer.send(Frame.TEXT, bytes);
            assertArrayEquals(bytes, peer.receiveMessage(Frame.TEXT), oracle);
            closeNormally();
        }

        @ParameterizedTest(name = "case {0}: 1007")
        @MethodSource("io.duplex.conformance.Utf8Samples#invalid")
        void case_6_invalid_text_fails(String name, byte[] bytes) throws Exception {
            assertThrows(AssertionError.class, () -> Frame.strictUtf8(bytes, 0), "the JDK agrees it is ill-formed");
            RawPeer peer = open();
            assertFailsBetween(peer.frame(true, 0, Frame.TEXT, bytes), 1007);
        }

        @ParameterizedTest(name = "case {0}, in 1-byte writes: 1007")
        @MethodSource("io.duplex.conformance.Utf8Samples#invalid")
        void case_6_invalid_text_in_1_byte_writes_fails(String name, byte[] bytes) throws Exception {
            RawPeer peer = open();
            peer.chop(1).sendOffending(peer.frame(true, 0, Frame.TEXT, bytes));
            assertFailed(1007);
        }

        /**
         * Fail fast: the first fragment already holds an ill-formed sequence (followed by ASCII, so even a
         * truncated sequence is ill-formed there). Only that fragment is sent; the 1007 must come anyway.
         */
        @ParameterizedTest(name = "case 6.4 fail fast, first fragment with {0}: 1007 before the message ends")
        @MethodSource("io.duplex.conformance.Utf8Samples#invalid")
        void case_6_4_fail_fast_on_first_fragment(String name, byte[] bytes) throws Exception {
            RawPeer peer = open();
            byte[] fragment = FrameBytes.concat(bytes, RawPeer.utf8("edited"));
            peer.sendOffending(peer.frame(false, 0, Frame.TEXT, fragment));
            assertFailed(1007);
        }

        @Test
        void case_6_4_2_fail_fast_on_second_fragment() throws Exception {
            RawPeer peer = open();
            peer.sendFrames(peer.frame(false, 0, Frame.TEXT, RawPeer.utf8("κόσμε")),
                    peer.frame(false, 0, Frame.CONTINUATION, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80,
                        (byte) 0x80}));
            assertFailed(1007);
        }

        /**
         * Fail fast inside one frame: the header declares the whole payload but only the bytes up to the
         * ill-formed sequence are sent. Autobahn grades a testee that waits for the frame's end NON-STRICT.
         */
        @Test
        void case_6_4_3_duplex_fail_fast_inside_a_frame() throws Exception {
            RawPeer peer = open();
            byte[] prefix = FrameBytes.concat(RawPeer.utf8("κόσμε"), new byte[] {(byte) 0xF4, (byte) 0x90,
                (byte) 0x80, (byte) 0x80});
            byte[] withheld = RawPeer.utf8("edited");
            byte[] whole = peer.frame(true, 0, Frame.TEXT, FrameBytes.concat(prefix, withheld));
            peer.sendOffending(Arrays.copyOf(whole, whole.length - withheld.length));
            assertFailed(1007);
        }

        /** A code point split between two fragments at every byte of the message is echoed whole (§5.6). */
        @ParameterizedTest(name = "case 6.6 duplex: split at every byte, streaming {0}")
        @ValueSource(booleans = {false, true})
        void case_6_6_duplex_split_at_every_byte(boolean streaming) throws Exception {
            RawPeer peer = open(streaming ? STREAMING : b -> { });
            byte[] bytes = RawPeer.utf8(MIXED);
            for (int at = 1; at < bytes.length; at++) {
                peer.sendFrames(peer.frame(false, 0, Frame.TEXT, Arrays.copyOfRange(bytes, 0, at)),
                        peer.frame(true, 0, Frame.CONTINUATION, Arrays.copyOfRange(bytes, at, bytes.length)));
                peer.expectText(MIXED);
            }
            closeNormally();
        }

        @ParameterizedTest(name = "case {0} duplex, streaming: 1007")
        @MethodSource("io.duplex.conformance.Utf8Samples#invalid")
        void case_6_duplex_streaming_invalid_text_fails(String name, byte[] bytes) throws Exception {
            RawPeer peer = open(STREAMING);
            peer.sendOffending(peer.frame(true, 0, Frame.TEXT, bytes));
            assertFailed(1007);
        }

        /** Streaming: the first part is ill-formed, so the testee fails before delivering or echoing anything. */
        @ParameterizedTest(name = "case 6.4 duplex, streaming, first fragment with {0}: 1007 before the message ends")
        @MethodSource("io.duplex.conformance.Utf8Samples#invalid")
        void case_6_4_duplex_streaming_fail_fast(String name, byte[] bytes) throws Exception {
            RawPeer peer = open(STREAMING);
            peer.sendOffending(peer.frame(false, 0, Frame.TEXT, FrameBytes.concat(bytes, RawPeer.utf8("edited"))));
            assertFailed(1007);
        }

        @ParameterizedTest(name = "case 6.6.{0} duplex: every byte in its own fragment, writes of {0}")
        @ValueSource(ints = {0, 1})
        void case_6_6_duplex_one_byte_fragments(int chop) throws Exception {
            RawPeer peer = open();
            byte[] bytes = RawPeer.utf8(MIXED);
            byte[][] frames = new byte[bytes.length][];
            for (int i = 0; i < bytes.length; i++) {
                frames[i] = peer.frame(i == bytes.length - 1, 0, i == 0 ? Frame.TEXT : Frame.CONTINUATION,
                        new byte[] {bytes[i]});
            }
            peer.chop(chop).sendFrames(frames);
            peer.chop(0).expectText(MIXED);
            closeNormally();
        }

        /** Ill-formed sequences split between fragments are still ill-formed. */
        @ParameterizedTest(name = "case {0} duplex: split after its first byte, 1007")
        @MethodSource("io.duplex.conformance.Utf8Samples#invalid")
        void case_6_duplex_invalid_split_between_fragments(String name, byte[] bytes) throws Exception {
            RawPeer peer = open();
            int at = Math.min(1, bytes.length);
            peer.sendOffending(FrameBytes.concat(peer.frame(false, 0, Frame.TEXT, Arrays.copyOfRange(bytes, 0, at)),
                    peer.frame(true, 0, Frame.CONTINUATION, Arrays.copyOfRange(bytes, at, bytes.length))));
            assertFailed(1007);
        }
    }
}
