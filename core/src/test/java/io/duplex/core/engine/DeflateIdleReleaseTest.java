package io.duplex.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.deflate.PerMessageDeflate;
import io.duplex.core.internal.extension.deflate.PerMessageDeflateExtension;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link Session#releaseIdleMemory()} keeps and gives back with permessage-deflate: after a release the
 * next message still refers back to the earlier ones (a repeated message compresses to a few bytes, in both
 * directions and with Duplex's windowed compressor too), an idle connection keeps only the histories, sized to
 * what passed, and a peer that ended its stream with BFINAL starts the next one afresh.
 */
class DeflateIdleReleaseTest {

    private static PerMessageDeflate deflate(int bits) {
        return PerMessageDeflate.builder().threshold(0).serverMaxWindowBits(bits).clientMaxWindowBits(bits).build();
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 10, 12, 15})
    void aMessageAfterAReleaseStillReferencesTheHistory(int bits) throws Exception {
        DeflatePair p = new DeflatePair(deflate(bits), deflate(bits), WebSocketConfig.defaults());
        byte[] message = new byte[Math.min(1500, (1 << bits) * 3 / 4)];
        new Random(bits).nextBytes(message); // incompressible on its own: only the history makes a repeat small

        p.server.sendBinary(ByteBuffer.wrap(message));
        int firstSize = p.serverToClient(1 << 20).get(0).payload().length;
        p.client.sendBinary(ByteBuffer.wrap(message));
        p.clientToServer(1 << 20);
        assertTrue(firstSize > message.length, "random bytes do not compress: " + firstSize);

        for (String side : List.of("server", "client")) {
            Session s = side.equals("server") ? p.server : p.client;
            PerMessageDeflateExtension e = side.equals("server") ? p.serverExtension : p.clientExtension;
            assertTrue(e.holdsSendCodec() && e.holdsReceiveCodec());
            assertTrue(s.releaseIdleMemory(), side + " gives its codecs back");
            assertFalse(e.holdsSendCodec() || e.holdsReceiveCodec(), side + " holds no codec");
            assertFalse(s.releaseIdleMemory(), side + ": nothing more to give back");
            // one history per direction, each in an array at most twice what passed
            long held = e.heapBytesHeld();
            assertTrue(held >= 2L * message.length && held <= 4L * message.length, side + " keeps " + held);
        }

        p.server.sendBinary(ByteBuffer.wrap(message));
        int repeatSize = p.serverToClient(7).get(0).payload().length;
        p.client.sendBinary(ByteBuffer.wrap(message));
        int repeatFromClient = p.clientToServer(7).get(0).payload().length;
        int small = message.length / 10;
        assertTrue(repeatSize < small, "server to client: the repeat refers back, in " + repeatSize + " bytes");
        assertTrue(repeatFromClient < small, "client to server: the repeat refers back, in " + repeatFromClient);
        assertNull(p.serverPeer.closeStatus);
        assertNull(p.clientPeer.closeStatus);
        for (List<byte[]> received : List.of(p.clientReceived, p.serverReceived)) {
            assertEquals(2, received.size());
            for (byte[] r : received) {
                assertArrayEquals(message, r);
            }
        }
        p.server.transportClosed(null);
        p.client.transportClosed(null);
        assertEquals(0, p.serverExtension.heapBytesHeld());
        assertEquals(0, p.clientExtension.heapBytesHeld());
    }

    @Test
    void theDelayIsTheFactorysSettingAndZeroWithoutContextTakeover() throws Exception {
        assertEquals(Duration.ofSeconds(5), PerMessageDeflate.defaults().idleRelease());
        PerMessageDeflate twoSeconds = PerMessageDeflate.builder().idleRelease(Duration.ofSeconds(2)).build();
        DeflatePair p = new DeflatePair(twoSeconds, twoSeconds, WebSocketConfig.defaults());
        assertEquals(Duration.ofSeconds(2), p.server.idleReleaseDelay());
        assertEquals(Duration.ofSeconds(2), p.client.idleReleaseDelay());

        PerMessageDeflate off = PerMessageDeflate.builder().idleRelease(Duration.ZERO).build();
        assertEquals(Duration.ZERO, new DeflatePair(off, off, WebSocketConfig.defaults()).server.idleReleaseDelay());

        PerMessageDeflate noContext = PerMessageDeflate.builder().serverNoContextTakeover(true)
                .clientNoContextTakeover(true).build();
        DeflatePair q = new DeflatePair(noContext, noContext, WebSocketConfig.defaults());
        assertEquals(Duration.ZERO, q.server.idleReleaseDelay(), "nothing is held between messages");

        assertEquals(Duration.ZERO, Session.server().handler(new WebSocketHandler() { })
                .outbound(new RecordingPeer()).build().idleReleaseDelay(), "no extension");
        assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().idleRelease(Duration.ofMillis(-1)));
    }

    /** RFC 7692 §7.2.3.4: a peer may end its DEFLATE stream (BFINAL) and begin a new one with the next message. */
    @Test
    void aPeerThatEndedItsStreamStartsAFreshOneAfterARelease() throws Exception {
        PerMessageDeflateExtension ext = (PerMessageDeflateExtension) deflate(15).accept(deflate(15).offers());
        List<byte[]> received = new ArrayList<>();
        RecordingPeer wire = new RecordingPeer();
        Session server = DeflateIdleReleaseProperties.openServer(ext, wire, received);
        byte[] first = "{\"a\":1,\"b\":2,\"c\":3} {\"a\":1,\"b\":2,\"c\":3}".getBytes();
        byte[] second = "{\"a\":1,\"b\":2,\"c\":4} and more".getBytes();

        Deflater ended = new Deflater(6, true);
        ended.setInput(first);
        ended.finish();
        byte[] out = new byte[256];
        int n = ended.deflate(out);
        ended.end();
        server.receive(ByteBuffer.wrap(WireFrames.frame(true, 4, 2, Arrays.copyOf(out, n), true)));
        assertTrue(server.releaseIdleMemory());

        Deflater fresh = new Deflater(6, true);
        fresh.setInput(second);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        n = fresh.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        fresh.end();
        payload.write(out, 0, n - 4);
        server.receive(ByteBuffer.wrap(WireFrames.frame(true, 4, 2, payload.toByteArray(), true)));
        assertNull(wire.closeStatus);
        assertEquals(2, received.size());
        assertArrayEquals(first, received.get(0));
        assertArrayEquals(second, received.get(1));
        server.transportClosed(null);
    }
}
