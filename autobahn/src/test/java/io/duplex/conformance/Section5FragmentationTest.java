package io.duplex.conformance;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Autobahn section 5, fragmentation (RFC 6455 §5.4): a fragmented message is echoed whole; control frames may
 * come between its fragments and are answered at once; control frames are never fragmented; a continuation
 * needs a message to continue, and a new data frame may not start before the current message ends. Each
 * violation fails the connection with 1002.
 */
class Section5FragmentationTest {

    @Nested
    class OurServer extends Cases implements UnderTest.AgainstServer {
    }

    @Nested
    class OurClient extends Cases implements UnderTest.AgainstClient {
    }

    abstract static class Cases extends ConformanceTest {

        private static final byte[] FRAGMENT_1 = RawPeer.utf8("fragment1");
        private static final byte[] FRAGMENT_2 = RawPeer.utf8("fragment2");

        /** A first frame with FIN=0 and what follows it, each pair a violation of §5.4 or §5.5. */
        static Stream<Arguments> brokenFragmentPairs() {
            return Stream.of(
                    Arguments.of("5.1 ping in two fragments", Frame.PING, Frame.CONTINUATION),
                    Arguments.of("5.2 pong in two fragments", Frame.PONG, Frame.CONTINUATION),
                    Arguments.of("5.2b duplex: close in two fragments", Frame.CLOSE, Frame.CONTINUATION),
                    Arguments.of("5.18 text interrupted by text", Frame.TEXT, Frame.TEXT),
                    Arguments.of("5.18b duplex: binary interrupted by binary", Frame.BINARY, Frame.BINARY),
                    Arguments.of("5.18c duplex: text interrupted by binary", Frame.TEXT, Frame.BINARY));
        }

        @ParameterizedTest(name = "case {0}")
        @MethodSource("brokenFragmentPairs")
        void case_5_1_to_5_18_broken_fragment_pairs(String name, int first, int second) throws Exception {
            RawPeer peer = open();
            assertFailsBetween(FrameBytes.concat(peer.frame(false, 0, first, FRAGMENT_1),
                    peer.frame(true, 0, second, FRAGMENT_2)), 1002);
        }

        /** Writes of 0: the frames in one write; of 1: every byte on its own. */
        @ParameterizedTest(name = "case 5.3/5.4: text in two fragments, writes of {0}")
        @ValueSource(ints = {0, 1})
        void case_5_3_text_in_two_fragments(int chop) throws Exception {
            RawPeer peer = open();
            peer.chop(chop).sendFrames(peer.frame(false, 0, Frame.TEXT, FRAGMENT_1),
                    peer.frame(true, 0, Frame.CONTINUATION, FRAGMENT_2));
            peer.expectText("fragment1fragment2");
            closeNormally();
        }

        @Test
        void case_5_5_text_fragments_in_separate_writes() throws Exception {
            RawPeer peer = open();
            peer.sendFrame(false, 0, Frame.TEXT, FRAGMENT_1);
            peer.expectOpenAndSilent(Duration.ofMillis(50));
            peer.sendFrame(true, 0, Frame.CONTINUATION, FRAGMENT_2);
            peer.expectText("fragment1fragment2");
            closeNormally();
        }

        @ParameterizedTest(name = "case 5.6/5.7: ping between two text fragments, writes of {0}")
        @ValueSource(ints = {0, 1})
        void case_5_6_ping_between_fragments(int chop) throws Exception {
            RawPeer peer = open();
            peer.chop(chop).sendFrames(peer.frame(false, 0, Frame.TEXT, FRAGMENT_1),
                    peer.frame(true, 0, Frame.PING, RawPeer.utf8("ping payload")),
                    peer.frame(true, 0, Frame.CONTINUATION, FRAGMENT_2));
            peer.expectPong(RawPeer.utf8("ping payload"));
            peer.expectText("fragment1fragment2");
            closeNormally();
        }

        /** The Pong is awaited while the message is still open: control frames are answered mid-message (§5.4). */
        @Test
        void case_5_8_pong_arrives_before_the_message_ends() throws Exception {
            RawPeer peer = open();
            peer.sendFrame(false, 0, Frame.TEXT, FRAGMENT_1);
            peer.send(Frame.PING, RawPeer.utf8("ping payload"));
            peer.expectPong(RawPeer.utf8("ping payload"));
            peer.sendFrame(true, 0, Frame.CONTINUATION, FRAGMENT_2);
            peer.expectText("fragment1fragment2");
            closeNormally();
        }

        @ParameterizedTest(name = "case 5.9/5.10: continuation (FIN=1) without a message, writes of {0}")
        @ValueSource(ints = {0, 1})
        void case_5_9_continuation_fin_without_start(int chop) throws Exception {
            RawPeer peer = open();
            peer.sendText("before");
            peer.expectText("before");
            peer.chop(chop).sendOffending(peer.frame(true, 0, Frame.CONTINUATION, FRAGMENT_1));
            assertFailed(1002);
        }

        @ParameterizedTest(name = "case 5.12/5.13: continuation (FIN=0) without a message, writes of {0}")
        @ValueSource(ints = {0, 1})
        void case_5_12_continuation_without_start(int chop) throws Exception {
            RawPeer peer = open();
            peer.sendText("before");
            peer.expectText("before");
            peer.chop(chop).sendOffending(peer.frame(false, 0, Frame.CONTINUATION, FRAGMENT_1));
            assertFailed(1002);
        }

        @Test
        void case_5_15_continuation_after_the_message_ended() throws Exception {
            RawPeer peer = open();
            peer.sendFrames(peer.frame(false, 0, Frame.TEXT, FRAGMENT_1),
                    peer.frame(true, 0, Frame.CONTINUATION, FRAGMENT_2),
                    peer.frame(false, 0, Frame.CONTINUATION, RawPeer.utf8("fragment3")),
                    peer.frame(true, 0, Frame.TEXT, RawPeer.utf8("fragment4")));
            peer.expectText("fragment1fragment2");
            assertFailed(1002);
        }

        @ParameterizedTest(name = "case 5.16/5.17: message opened by a continuation (FIN={0})")
        @ValueSource(booleans = {false, true})
        void case_5_16_message_opened_by_continuation(boolean fin) throws Exception {
            RawPeer peer = open();
            assertFailsBetween(FrameBytes.concat(peer.frame(fin, 0, Frame.CONTINUATION, FRAGMENT_1),
                    peer.frame(false, 0, Frame.TEXT, FRAGMENT_2),
                    peer.frame(true, 0, Frame.CONTINUATION, RawPeer.utf8("fragment3"))), 1002);
        }

        @ParameterizedTest(name = "case 5.19/5.20: five text fragments with pings between, writes of {0}")
        @ValueSource(ints = {0, 1})
        void case_5_19_pings_between_five_fragments(int chop) throws Exception {
            RawPeer peer = open();
            peer.chop(chop);
            StringBuilder whole = new StringBuilder();
            for (int i = 1; i <= 5; i++) {
                whole.append("fragment").append(i);
                peer.sendFrames(peer.frame(i == 5, 0, i == 1 ? Frame.TEXT : Frame.CONTINUATION,
                        RawPeer.utf8("fragment" + i)), peer.frame(true, 0, Frame.PING, RawPeer.utf8("pong" + i)));
                if (i == 5) {
                    peer.expectText(whole.toString()); // the message ended before the last Ping
                }
                peer.expectPong(RawPeer.utf8("pong" + i));
            }
            closeNormally();
        }

        @Test
        void case_5_21_duplex_binary_in_three_fragments() throws Exception {
            RawPeer peer = open();
            byte[] data = Payloads.random(3000);
            peer.sendFrames(peer.frame(false, 0, Frame.BINARY, Arrays.copyOfRange(data, 0, 1000)),
                    peer.frame(false, 0, Frame.CONTINUATION, Arrays.copyOfRange(data, 1000, 2000)),
                    peer.frame(true, 0, Frame.CONTINUATION, Arrays.copyOfRange(data, 2000, 3000)));
            peer.expectBinary(data);
            closeNormally();
        }

        @Test
        void case_5_22_duplex_binary_with_empty_fragments() throws Exception {
            RawPeer peer = open();
            peer.sendFrames(peer.frame(false, 0, Frame.BINARY, new byte[0]),
                    peer.frame(false, 0, Frame.CONTINUATION, new byte[0]),
                    peer.frame(false, 0, Frame.CONTINUATION, new byte[] {1, 2, 3}),
                    peer.frame(true, 0, Frame.CONTINUATION, new byte[0]));
            peer.expectBinary(new byte[] {1, 2, 3});
            closeNormally();
        }

        @Test
        void case_5_23_duplex_thousand_one_byte_fragments() throws Exception {
            RawPeer peer = open();
            ByteArrayOutputStream frames = new ByteArrayOutputStream();
            byte[] data = new byte[1000];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) i;
                byte[] f = peer.frame(i == data.length - 1, 0, i == 0 ? Frame.BINARY : Frame.CONTINUATION,
                        new byte[] {data[i]});
                frames.write(f, 0, f.length);
            }
            peer.sendRaw(frames.toByteArray());
            peer.expectBinary(data);
            closeNormally();
        }
    }
}
