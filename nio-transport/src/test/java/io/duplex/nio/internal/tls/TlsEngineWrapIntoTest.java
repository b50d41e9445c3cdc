package io.duplex.nio.internal.tls;

import static io.duplex.nio.internal.tls.TlsEngineDataTest.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Encrypting into a caller's buffer, round after round, and keeping what the socket refused. */
class TlsEngineWrapIntoTest {

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aLargeMessageGoesThroughOneReusedBufferAndTheEngineHoldsNone(String protocol) throws SSLException {
        InMemoryLink link = InMemoryLink.localhost(TlsEngineHandshakeTest.clientContext(protocol)).handshake();
        byte[] data = random(1 << 20, 11);
        ByteBuffer[] app = {ByteBuffer.wrap(data)};
        ByteBuffer out = ByteBuffer.allocateDirect(128 << 10);
        int rounds = 0;
        long consumed = 0;
        while (app[0].hasRemaining()) {
            out.clear();
            consumed += link.client.wrap(app, 0, 1, out);
            out.flip();
            assertTrue(out.hasRemaining(), "each round produces records");
            assertEquals(0, link.client.retainedBytes(), "the engine borrows no buffer of its own");
            link.deliver(link.server, out, link.serverReceived);
            rounds++;
        }

        assertEquals(data.length, consumed);
        assertTrue(rounds >= 8 && rounds <= 10, "1 MiB through 128 KiB took " + rounds + " rounds");
        assertArrayEquals(data, link.serverReceived.toByteArray());
    }

    @Test
    void whatTheSocketRefusedIsKeptAndTheRestQueuesBehindIt() throws SSLException {
        InMemoryLink link = InMemoryLink.localhost().handshake();
        byte[] data = random(300_000, 12);
        ByteBuffer[] app = {ByteBuffer.wrap(data)};
        ByteBuffer out = ByteBuffer.allocate(64 << 10);

        link.client.wrap(app, 0, 1, out);
        out.flip();
        ByteBuffer written = out.slice(0, out.remaining() / 3); // the socket took a third
        out.position(written.remaining());
        link.deliver(link.server, written, link.serverReceived);
        link.client.keepOutput(out);
        assertFalse(out.hasRemaining());
        assertThrows(IllegalStateException.class, () -> link.client.wrap(app, 0, 1, ByteBuffer.allocate(64 << 10)));
        link.client.wrap(app, 0, 1);
        link.settle();

        assertFalse(app[0].hasRemaining());
        assertArrayEquals(data, link.serverReceived.toByteArray());
        assertEquals(0, link.client.retainedBytes());
    }

    @Test
    void aBufferSmallerThanOnePacketTakesNothing() throws SSLException {
        InMemoryLink link = InMemoryLink.localhost().handshake();
        ByteBuffer[] app = {ByteBuffer.wrap(random(100, 13))};
        ByteBuffer small = ByteBuffer.allocate(link.client.session().getPacketBufferSize() - 1);

        assertEquals(0, link.client.wrap(app, 0, 1, small));
        assertEquals(100, app[0].remaining());
        assertEquals(0, small.position());
    }

    @Test
    void gatheringFramesFromAnArrayRange() throws SSLException {
        InMemoryLink link = InMemoryLink.localhost().handshake();
        ByteBuffer untouched = ByteBuffer.wrap(new byte[] {42});
        ByteBuffer[] frames = {untouched, ByteBuffer.wrap(new byte[] {(byte) 0x82, 3}),
            ByteBuffer.wrap(new byte[] {7, 8, 9}), untouched};
        ByteBuffer out = ByteBuffer.allocate(64 << 10);

        assertEquals(5, link.client.wrap(frames, 1, 2, out));
        link.deliver(link.server, out.flip(), link.serverReceived);

        assertArrayEquals(new byte[] {(byte) 0x82, 3, 7, 8, 9}, link.serverReceived.toByteArray());
        assertEquals(1, untouched.remaining());
    }

    @Test
    void beforeTheHandshakeItRefuses() {
        InMemoryLink link = InMemoryLink.localhost();
        ByteBuffer[] app = {ByteBuffer.wrap(new byte[1])};

        assertThrows(IllegalStateException.class, () -> link.client.wrap(app, 0, 1, ByteBuffer.allocate(64 << 10)));
    }
}
