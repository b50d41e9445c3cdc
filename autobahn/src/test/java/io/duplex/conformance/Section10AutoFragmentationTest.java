package io.duplex.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.WebSocketConfig;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Autobahn section 10, automatic fragmentation (RFC 6455 §5.4: "an intermediary might change the
 * fragmentation of a message"): a message's meaning does not depend on how it is cut into frames, whether
 * the peer cuts it or the testee does ({@link WebSocketConfig#outboundFragmentSize()}).
 */
class Section10AutoFragmentationTest {

    @Nested
    class OurServer extends Cases implements UnderTest.AgainstServer {
    }

    @Nested
    class OurClient extends Cases implements UnderTest.AgainstClient {
    }

    abstract static class Cases extends ConformanceTest {

        private static final int SIZE = 64 << 10;

        @Test
        void case_10_1_1_text_in_1300_byte_fragments() throws Exception {
            RawPeer peer = open();
            String text = Payloads.text(SIZE);
            peer.sendRaw(peer.fragmented(Frame.TEXT, RawPeer.utf8(text), 1300));
            peer.expectText(text);
            closeNormally();
        }

        /**
         * The testee itself splits its echo into frames of at most 1300 bytes: a first frame of the message's
         * type, continuations after it, FIN only on the last; put together they are the message. Text frames
         * may cut a code point (§5.6 validates the message, not each frame).
         */
        @ParameterizedTest(name = "case 10.1.2 duplex: testee fragments its echo, opcode {0}")
        @ValueSource(ints = {Frame.TEXT, Frame.BINARY})
        void case_10_1_2_duplex_testee_fragments_outbound(int opcode) throws Exception {
            RawPeer peer = open(b -> b.config(WebSocketConfig.builder().outboundFragmentSize(1300).build()));
            byte[] message = opcode == Frame.TEXT ? RawPeer.utf8(Payloads.text(SIZE))
                    : Payloads.random(SIZE);
            peer.send(opcode, message);
            ByteArrayOutputStream echoed = new ByteArrayOutputStream();
            int frames = 0;
            Frame f;
            do {
                f = peer.next(RawPeer.PROMPT);
                assertEquals(frames == 0 ? opcode : Frame.CONTINUATION, f.opcode(), "frame " + frames);
                assertTrue(f.payload().length <= 1300, "frame " + frames + " of " + f.payload().length + " bytes");
                echoed.write(f.payload(), 0, f.payload().length);
                frames++;
            } while (!f.fin());
            assertEquals((SIZE + 1299) / 1300, frames, "frames of 1300 bytes");
            assertArrayEquals(message, echoed.toByteArray());
            closeNormally();
        }
    }
}
