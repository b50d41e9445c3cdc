package io.duplex.nio.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Hostile input: random bytes, plaintext, forged record headers. Each must end in an {@link SSLException}
 * within one maximal record's worth of input, holding at most one packet buffer, never a hang or a spin.
 */
class TlsEngineGarbageTest {

    /** The most the engine may want before it can judge a record: a "large" record (RFC-violating peers). */
    private static final int MAX_RECORD = 16_709 + 16_384;
    private static final int MAX_RETAINED = MAX_RECORD + 64;

    @Property(tries = 40)
    void randomBytesToAFreshServerFailPromptly(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4096) int chunk)
            throws SSLException {
        TlsEngine server = InMemoryLink.localhost().server;
        server.begin();

        int calls = feedUntilFailure(server, TlsEngineDataTest.random(4 * MAX_RECORD, seed), chunk);

        assertTrue(calls <= MAX_RECORD / chunk + 2, calls + " calls with chunks of " + chunk);
    }

    @Property(tries = 40)
    void randomBytesToAClientMidHandshakeFailPromptly(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 4096) int chunk) throws SSLException {
        TlsEngine client = InMemoryLink.localhost().client;
        client.begin();
        writeAll(client);

        int calls = feedUntilFailure(client, TlsEngineDataTest.random(4 * MAX_RECORD, seed), chunk);

        assertTrue(calls <= MAX_RECORD / chunk + 2, calls + " calls with chunks of " + chunk);
    }

    @Property(tries = 10)
    void randomBytesAfterTheHandshakeFailPromptly(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 4096) int chunk) throws SSLException {
        InMemoryLink link = InMemoryLink.localhost().handshake();

        int calls = feedUntilFailure(link.server, TlsEngineDataTest.random(4 * MAX_RECORD, seed), chunk);

        assertTrue(calls <= MAX_RECORD / chunk + 2, calls + " calls with chunks of " + chunk);
    }

    @Test
    void randomBytesOneAtATime() throws SSLException {
        InMemoryLink link = InMemoryLink.localhost().handshake();

        feedUntilFailure(link.client, TlsEngineDataTest.random(4 * MAX_RECORD, 99), 1);
    }

    @Test
    void plaintextHttpIsNotTls() throws SSLException {
        TlsEngine server = InMemoryLink.localhost().server;
        byte[] http = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        assertEquals(1, feedUntilFailure(server, http, http.length));
    }

    @Test
    void aForgedApplicationRecordFailsItsIntegrityCheck() throws SSLException {
        InMemoryLink link = InMemoryLink.localhost().handshake();
        byte[] record = TlsEngineDataTest.random(5 + 16_384, 7);
        record[0] = 23; // application_data
        record[1] = 3;
        record[2] = 3;
        record[3] = 0x40; // length 16384
        record[4] = 0;

        feedUntilFailure(link.client, record, 1000);
    }

    @Test
    void anOversizedRecordLengthFailsOnItsHeader() throws SSLException {
        InMemoryLink link = InMemoryLink.localhost().handshake();
        byte[] header = {23, 3, 3, (byte) 0xFF, (byte) 0xFF, 0, 0, 0};

        assertEquals(1, feedUntilFailure(link.client, header, header.length));
    }

    @Test
    void afterAFailureEveryCallFails() throws SSLException {
        TlsEngine server = InMemoryLink.localhost().server;
        feedUntilFailure(server, TlsEngineDataTest.random(100, 3), 100);

        assertThrows(SSLException.class, () -> server.unwrap(ByteBuffer.allocate(10), ByteBuffer.allocate(10)));
        assertThrows(SSLException.class, server::begin);
    }

    private static void writeAll(TlsEngine engine) {
        ByteBuffer out = engine.networkOutput();
        out.position(out.limit());
        engine.consumed();
    }

    /**
     * Feeds {@code garbage} in chunks the way an event loop would and returns how many socket reads it took
     * until the engine threw; fails if it never throws, spins, or holds more than one large record.
     */
    private static int feedUntilFailure(TlsEngine engine, byte[] garbage, int chunk) throws SSLException {
        ByteBuffer appOut = ByteBuffer.allocate(engine.applicationBufferSize());
        int reads = 0;
        for (int at = 0; at < garbage.length; at += chunk) {
            reads++;
            ByteBuffer in = ByteBuffer.wrap(garbage, at, Math.min(chunk, garbage.length - at));
            long before = engine.engineCalls();
            try {
                TlsEngine.Status s;
                do {
                    appOut.clear();
                    s = engine.unwrap(in, appOut);
                } while (s == TlsEngine.Status.OK);
                assertEquals(TlsEngine.Status.NEED_MORE_INPUT, s);
            } catch (SSLException expected) {
                return reads;
            }
            assertTrue(engine.engineCalls() - before <= 3 + Math.min(chunk, 64), "engine calls per read");
            assertTrue(engine.retainedBytes() <= MAX_RETAINED, "retained " + engine.retainedBytes());
        }
        return fail("no SSLException after " + garbage.length + " bytes of garbage");
    }
}
