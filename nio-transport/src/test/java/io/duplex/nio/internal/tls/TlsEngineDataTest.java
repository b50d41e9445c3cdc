package io.duplex.nio.internal.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import javax.net.ssl.SSLException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Application data through an established link: sizes, splits, buffer kinds, buffer release. */
class TlsEngineDataTest {

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void sixteenMebibytesBothWays(String protocol) throws SSLException {
        InMemoryLink link = InMemoryLink.localhost(TlsEngineHandshakeTest.clientContext(protocol)).handshake();
        byte[] toServer = random(16 << 20, 1);
        byte[] toClient = random(16 << 20, 2);

        link.sendAndCheck(link.client, toServer);
        link.sendAndCheck(link.server, toClient);
    }

    @Test
    void aLargeWriteIsEncryptedIntoOneBufferSizedOnce() throws SSLException {
        InMemoryLink link = InMemoryLink.localhost().handshake();
        int size = 1 << 20;
        link.client.wrap(ByteBuffer.wrap(random(size, 3)));

        ByteBuffer out = link.client.networkOutput();
        int packet = link.client.session().getPacketBufferSize();
        int records = size / (1 << 14);
        assertTrue(out.remaining() > size, "ciphertext is longer than plaintext");
        assertTrue(out.capacity() <= records * packet, "capacity " + out.capacity() + " beyond the estimate");
    }

    @Property(tries = 12)
    void randomWritesAndRandomSplitsArriveIntact(@ForAll @IntRange(min = 1, max = 70_000) int size,
            @ForAll @IntRange(min = 1, max = 20_000) int chunk, @ForAll @IntRange(min = 1, max = 20_000) int appOut)
            throws SSLException {
        InMemoryLink link = InMemoryLink.localhost().handshake();
        link.chunk = chunk;
        link.appOut = ByteBuffer.allocate(appOut); // smaller than a record: the engine's overflow path

        link.sendAndCheck(link.client, random(size, size));
        link.sendAndCheck(link.server, random(size, ~size));
    }

    @Test
    void aOneByteApplicationBufferStillReceivesEverything() throws SSLException {
        InMemoryLink link = InMemoryLink.localhost().handshake();
        link.appOut = ByteBuffer.allocate(1);

        link.sendAndCheck(link.client, random(50_000, 4));
    }

    @Test
    void directAndOffsetBuffersOnBothSides() throws SSLException {
        InMemoryLink link = InMemoryLink.localhost().handshake();
        link.appOut = ByteBuffer.allocateDirect(link.client.applicationBufferSize() + 9).position(9).slice();
        byte[] data = random(100_000, 5);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length + 20);
        direct.position(13);
        direct.put(data);
        direct.position(13).limit(13 + data.length);
        ByteBuffer heapWithOffset = ByteBuffer.wrap(new byte[data.length + 31]).position(17).slice().put(data).flip();

        link.client.wrap(direct);
        link.settle();
        link.server.wrap(heapWithOffset);
        link.settle();

        assertFalse(direct.hasRemaining());
        assertFalse(heapWithOffset.hasRemaining());
        assertArrayEquals(data, link.serverReceived.toByteArray());
        assertArrayEquals(data, link.clientReceived.toByteArray());
    }

    @Test
    void gatheringWrapTakesAnArrayRange() throws SSLException {
        InMemoryLink link = InMemoryLink.localhost().handshake();
        ByteBuffer header = ByteBuffer.wrap(new byte[] {(byte) 0x82, 3});
        ByteBuffer payload = ByteBuffer.wrap(new byte[] {7, 8, 9});
        ByteBuffer untouched = ByteBuffer.wrap(new byte[] {42});
        ByteBuffer[] frames = {untouched, header, payload, untouched};

        link.client.wrap(frames, 1, 2);
        link.settle();

        assertArrayEquals(new byte[] {(byte) 0x82, 3, 7, 8, 9}, link.serverReceived.toByteArray());
        assertEquals(1, untouched.remaining());
    }

    @Test
    void unwrittenCiphertextStaysAndNewWritesAppendToIt() throws SSLException {
        InMemoryLink link = InMemoryLink.localhost().handshake();
        link.client.wrap(ByteBuffer.wrap(random(1000, 6)));
        ByteBuffer out = link.client.networkOutput();
        ByteBuffer firstHalf = out.slice(out.position(), out.remaining() / 2);
        out.position(out.position() + firstHalf.remaining()); // the socket took only half
        link.client.consumed();
        link.deliver(link.server, firstHalf, link.serverReceived);

        link.client.wrap(ByteBuffer.wrap(random(2000, 7)));
        link.settle();

        byte[] expected = new byte[3000];
        System.arraycopy(random(1000, 6), 0, expected, 0, 1000);
        System.arraycopy(random(2000, 7), 0, expected, 1000, 2000);
        assertArrayEquals(expected, link.serverReceived.toByteArray());
    }

    @Test
    void anIdleConnectionHoldsNoBuffers() throws SSLException {
        InMemoryLink link = InMemoryLink.localhost().handshake();
        link.sendAndCheck(link.client, random(100_000, 8));
        link.sendAndCheck(link.server, random(100_000, 9));

        assertEquals(0, link.client.retainedBytes());
        assertEquals(0, link.server.retainedBytes());
    }

    @Test
    void aPoolRecyclesPacketBuffersAcrossConnections() throws SSLException {
        PooledBuffers pool = new PooledBuffers(17 * 1024, 4);
        SelfSignedCertificates certs = SelfSignedCertificates.localhost();
        for (int i = 0; i < 3; i++) {
            InMemoryLink link = new InMemoryLink(TlsEngine.client(certs.clientContext(), "localhost", 443, true, pool),
                    TlsEngine.server(certs.serverContext(), pool)).handshake();
            link.sendAndCheck(link.client, random(40_000, i));
            link.sendAndCheck(link.server, random(40_000, ~i));
            link.client.release();
            link.server.release();
        }
        assertTrue(pool.retained() > 0 && pool.retained() <= 4, "retained " + pool.retained());
    }

    @Test
    void releasedEngineRefusesFurtherUse() throws SSLException {
        InMemoryLink link = InMemoryLink.localhost().handshake();
        link.client.release();

        assertThrows(SSLException.class, () -> link.client.wrap(ByteBuffer.wrap(new byte[1])));
        assertEquals(0, link.client.retainedBytes());
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
