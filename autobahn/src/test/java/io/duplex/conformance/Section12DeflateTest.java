package io.duplex.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.WebSocketConfig;
import io.duplex.core.deflate.PerMessageDeflate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Autobahn section 12, permessage-deflate with the default parameters (RFC 7692): the raw peer compresses
 * text and binary messages of 16 B to 1 MiB with the JDK's zlib, whole and in several frames, and checks each
 * echo: RSV1 on the first frame only (§6.1), a DEFLATE stream that inflates, tail re-appended (§7.2.2), to the
 * same bytes, with context taken over from message to message (§7.1.1). Cases marked "duplex" go beyond the
 * suite: the testee's threshold, streamed parts, and the failures of §6.1 and §8.1 (1002, 1007) and of a
 * message that inflates past the size limit (1009).
 */
class Section12DeflateTest {

    @Nested
    class OurServer extends Cases implements UnderTest.AgainstServer {
    }

    @Nested
    class OurClient extends Cases implements UnderTest.AgainstClient {
    }

    abstract static class Cases extends DeflateConformanceTest {

        private static final int MIB = 1 << 20;
        /** Our endpoint's frames when it fragments: a prime, so boundaries fall anywhere in the DEFLATE data. */
        private static final int OUR_FRAGMENT = 4093;
        /** The raw peer's frames when it fragments. */
        private static final int PEER_FRAGMENT = 997;
        private static final PerMessageDeflate COMPRESS_ALL = PerMessageDeflate.builder().threshold(0).build();

        static IntStream sizes() {
            return IntStream.of(16, 64, 256, 1024, 4096, 8192, 16384, 32768, 65536, 131072, MIB);
        }

        /**
         * Messages of {@code size} bytes, a few per case (1 MiB total at most), each different; binary ones
         * alternate random bytes (which DEFLATE stores) and compressible text.
         */
        private static List<byte[]> messages(int opcode, int size) {
            List<byte[]> messages = new ArrayList<>();
            int count = Math.max(1, Math.min(20, MIB / size));
            for (int i = 0; i < count; i++) {
                byte[] m = opcode == Frame.TEXT || i % 2 == 1 ? RawPeer.utf8(Payloads.text(size)) : Payloads.random(size);
                m[0] = (byte) ('0' + i % 10); // one ASCII byte: the text stays UTF-8
                messages.add(m);
            }
            return messages;
        }

        private void echoes(int opcode, int size, int peerFragment, int ourFragment) throws Exception {
            RawPeer peer = openDeflate(COMPRESS_ALL,
                    b -> b.config(WebSocketConfig.builder().outboundFragmentSize(ourFragment).build()));
            assertEquals("permessage-deflate", peer.extensionsAgreed, "the agreed extension");
            try (PeerDeflate deflate = new PeerDeflate(peer)) {
                List<byte[]> messages = messages(opcode, size);
                for (byte[] m : messages) {
                    deflate.send(opcode, m, peerFragment);
                }
                for (byte[] m : messages) {
                    PeerDeflate.Received echo = deflate.receive(opcode);
                    assertTrue(echo.compressed(), "threshold 0: every echo is compressed");
                    assertArrayEquals(m, echo.data(), "echo of " + size + " bytes");
                    if (ourFragment > 0) {
                        assertEquals((echo.wire() + ourFragment - 1) / ourFragment, echo.frames(),
                                "frames of " + ourFragment + " compressed bytes");
                    }
                }
            }
            closeNormally();
        }

        @ParameterizedTest(name = "case 12.1: text messages of {0} bytes")
        @MethodSource("sizes")
        void case_12_1_text(int size) throws Exception {
            echoes(Frame.TEXT, size, 0, 0);
        }

        @ParameterizedTest(name = "case 12.2: binary messages of {0} bytes")
        @MethodSource("sizes")
        void case_12_2_binary(int size) throws Exception {
            echoes(Frame.BINARY, size, 0, 0);
        }

        @ParameterizedTest(name = "case 12.3: text messages of {0} bytes, both sides in several frames")
        @MethodSource("sizes")
        void case_12_3_fragmented_text(int size) throws Exception {
            echoes(Frame.TEXT, size, PEER_FRAGMENT, OUR_FRAGMENT);
        }

        @ParameterizedTest(name = "case 12.4: binary messages of {0} bytes, both sides in several frames")
        @MethodSource("sizes")
        void case_12_4_fragmented_binary(int size) throws Exception {
            echoes(Frame.BINARY, size, PEER_FRAGMENT, OUR_FRAGMENT);
        }

        /**
         * The default threshold: a 255-byte message goes uncompressed (RSV1 clear), a 256-byte one compressed.
         * FAILS on main: every message is compressed, the threshold never applies through the nio transport.
         */
        @Test
        void case_12_5_1_duplex_threshold() throws Exception {
            RawPeer peer = openDeflate(PerMessageDeflate.defaults(), b -> { });
            try (PeerDeflate deflate = new PeerDeflate(peer)) {
                byte[] small = RawPeer.utf8(Payloads.text(255));
                byte[] large = RawPeer.utf8(Payloads.text(256));
                deflate.send(Frame.TEXT, small, 0);
                deflate.send(Frame.TEXT, large, 0);
                PeerDeflate.Received first = deflate.receive(Frame.TEXT);
                assertFalse(first.compressed(), "below the threshold: sent as is");
                assertArrayEquals(small, first.data());
                PeerDeflate.Received second = deflate.receive(Frame.TEXT);
                assertTrue(second.compressed(), "at the threshold: compressed");
                assertArrayEquals(large, second.data());
            }
            closeNormally();
        }

        /** An uncompressed message (RSV1 clear) between compressed ones is a message as it is (§6). */
        @Test
        void case_12_5_2_duplex_uncompressed_message_between_compressed_ones() throws Exception {
            RawPeer peer = openDeflate(PerMessageDeflate.defaults(), b -> { });
            try (PeerDeflate deflate = new PeerDeflate(peer)) {
                String text = Payloads.text(1000);
                deflate.send(Frame.TEXT, RawPeer.utf8(text), 0);
                peer.sendText(text);
                deflate.send(Frame.TEXT, RawPeer.utf8(text), 0);
                for (int i = 0; i < 3; i++) {
                    assertArrayEquals(RawPeer.utf8(text), deflate.receive(Frame.TEXT).data(), "echo " + i);
                }
            }
            closeNormally();
        }

        /** Streaming: each inflated part is echoed as a part; the testee compresses a message of unknown length. */
        @Test
        void case_12_5_3_duplex_streamed_parts() throws Exception {
            RawPeer peer = openDeflate(PerMessageDeflate.defaults(),
                    b -> b.config(WebSocketConfig.builder().streaming(true).build()));
            try (PeerDeflate deflate = new PeerDeflate(peer)) {
                byte[] data = RawPeer.utf8(Payloads.text(256 << 10));
                deflate.send(Frame.TEXT, data, PEER_FRAGMENT);
                PeerDeflate.Received echo = deflate.receive(Frame.TEXT);
                assertTrue(echo.compressed(), "a message of unknown length is compressed");
                assertArrayEquals(data, echo.data());
            }
            closeNormally();
        }

        /** §6.1: RSV1 is set on the first frame of a message only; on a continuation it fails the connection. */
        @Test
        void case_12_6_1_duplex_rsv1_on_a_continuation() throws Exception {
            RawPeer peer = openDeflate(PerMessageDeflate.defaults(), b -> { });
            try (PeerDeflate deflate = new PeerDeflate(peer)) {
                byte[] payload = PeerDeflate.compressAlone(RawPeer.utf8(Payloads.text(4096)));
                int half = payload.length / 2;
                assertFailsBetween(deflate, FrameBytes.concat(
                        peer.frame(false, PeerDeflate.RSV1, Frame.TEXT, Arrays.copyOf(payload, half)),
                        peer.frame(true, PeerDeflate.RSV1, Frame.CONTINUATION,
                                Arrays.copyOfRange(payload, half, payload.length))), 1002);
            }
        }

        /** §6: permessage-deflate applies to data messages; RSV1 on a control frame fails the connection. */
        @ParameterizedTest(name = "case 12.6.2 duplex: RSV1 on a control frame of opcode {0}")
        @ValueSource(ints = {Frame.PING, Frame.PONG, Frame.CLOSE})
        void case_12_6_2_duplex_rsv1_on_a_control_frame(int opcode) throws Exception {
            RawPeer peer = openDeflate(PerMessageDeflate.defaults(), b -> { });
            byte[] payload = opcode == Frame.CLOSE ? FrameBytes.closePayload(1000, "") : RawPeer.utf8("x");
            try (PeerDeflate deflate = new PeerDeflate(peer)) {
                assertFailsBetween(deflate, peer.frame(true, PeerDeflate.RSV1, opcode, payload), 1002);
            }
        }

        /** RSV2 and RSV3 stay reserved: only RSV1 was agreed. */
        @Test
        void case_12_6_3_duplex_rsv2_with_deflate_agreed() throws Exception {
            RawPeer peer = openDeflate(PerMessageDeflate.defaults(), b -> { });
            try (PeerDeflate deflate = new PeerDeflate(peer)) {
                assertFailsBetween(deflate, peer.frame(true, 2, Frame.TEXT, RawPeer.utf8("x")), 1002);
            }
        }

        /**
         * Data that is not DEFLATE (a block of the reserved type 3), and valid DEFLATE of bytes that are not
         * UTF-8 in a text message, both fail with 1007 (§8.1: invalid data; RFC 6455 §8.1).
         */
        @Test
        void case_12_7_1_duplex_invalid_deflate_data() throws Exception {
            RawPeer peer = openDeflate(PerMessageDeflate.defaults(), b -> { });
            try (PeerDeflate deflate = new PeerDeflate(peer)) {
                assertFailsBetween(deflate,
                        peer.frame(true, PeerDeflate.RSV1, Frame.BINARY, new byte[] {0x07, 0x12, 0x34}), 1007);
            }
        }

        @Test
        void case_12_7_2_duplex_compressed_text_that_is_not_utf8() throws Exception {
            RawPeer peer = openDeflate(PerMessageDeflate.defaults(), b -> { });
            try (PeerDeflate deflate = new PeerDeflate(peer)) {
                byte[] payload = PeerDeflate.compressAlone(new byte[] {'a', (byte) 0xC0, (byte) 0xAF, 'b'});
                assertFailsBetween(deflate, peer.frame(true, PeerDeflate.RSV1, Frame.TEXT, payload), 1007);
            }
        }

        /**
         * A compression bomb: 16 MiB of zeros in about 16 KiB of DEFLATE, against a 64 KiB message limit. The
         * limit applies to the inflated size, so the testee fails with 1009 though the frame is small.
         */
        @Test
        void case_12_7_3_duplex_compression_bomb() throws Exception {
            int limit = 64 << 10;
            RawPeer peer = openDeflate(PerMessageDeflate.defaults(),
                    b -> b.config(WebSocketConfig.builder().maxMessageSize(limit).maxFrameSize(limit).build()));
            try (PeerDeflate deflate = new PeerDeflate(peer)) {
                byte[] bomb = deflate.compress(new byte[16 << 20]);
                assertTrue(bomb.length < limit, "the compressed frame itself is within the limits");
                peer.sendOffending(peer.frame(true, PeerDeflate.RSV1, Frame.BINARY, bomb));
                assertFailed(1009);
            }
        }
    }
}
