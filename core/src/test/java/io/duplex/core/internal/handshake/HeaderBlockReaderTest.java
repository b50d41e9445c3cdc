package io.duplex.core.internal.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.HandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** RFC 9112 §2.1–2.2: the header block ends at the first empty line; line ends are CR LF, strictly. */
class HeaderBlockReaderTest {

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void stopsRightAfterTheEmptyLineAndGrowsPastItsFirstBuffer() throws HandshakeException {
        String head = "GET / HTTP/1.1\r\nX: " + "v".repeat(3000) + "\r\n\r\n";
        ByteBuffer in = ByteBuffer.wrap(ascii(head + "\r\n\r\nframes"));
        HeaderBlockReader r = new HeaderBlockReader(4096);
        assertTrue(r.read(in));
        assertEquals(head.length(), in.position());
        assertEquals(head.length(), r.length());
        assertArrayEquals(ascii(head), Arrays.copyOf(r.bytes(), r.length()));
        assertTrue(r.read(in), "stays complete");
        assertEquals(head.length(), in.position(), "and reads nothing more");
    }

    @Test
    void limitCountsTheTerminator() throws HandshakeException {
        byte[] head = ascii("GET / HTTP/1.1\r\nX: y\r\n\r\n");
        assertTrue(new HeaderBlockReader(head.length).read(ByteBuffer.wrap(head)));
        HandshakeException e = assertThrows(HandshakeException.class,
                () -> new HeaderBlockReader(head.length - 1).read(ByteBuffer.wrap(head)));
        assertEquals(431, e.status());
    }

    @Test
    void incompleteBlockWaits() throws HandshakeException {
        HeaderBlockReader r = new HeaderBlockReader(100);
        assertFalse(r.read(ByteBuffer.wrap(ascii("GET / HTTP/1.1\r\n\r"))));
        assertTrue(r.read(ByteBuffer.wrap(ascii("\n"))));
    }

    @Test
    void bareLineEndsFailAtOnce() {
        for (String bad : new String[] {"GET /\n", "GET /\r\r\n", "GET /\rX", "GET / HTTP/1.1\r\n\n", "A\r\n\rB"}) {
            HandshakeException e = assertThrows(HandshakeException.class,
                    () -> new HeaderBlockReader(100).read(ByteBuffer.wrap(ascii(bad))), bad);
            assertEquals(400, e.status());
        }
    }
}
