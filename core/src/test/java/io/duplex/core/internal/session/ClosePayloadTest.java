package io.duplex.core.internal.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocketException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6455 §5.5.1 (Close payload layout), §7.1.5–§7.1.6 (code and reason), §7.4 (which codes), §8.1. */
class ClosePayloadTest {

    private static final String EURO = "\u20AC"; // 3 bytes of UTF-8

    /** A payload built by hand: the code's two bytes, high first, then the reason's bytes. */
    private static ByteBuffer payload(int code, byte... reason) {
        ByteBuffer buf = ByteBuffer.allocate(2 + reason.length);
        buf.put((byte) (code >>> 8)).put((byte) code).put(reason).flip();
        return buf;
    }

    private static int failureCode(ByteBuffer payload) {
        return assertThrows(WebSocketException.class, () -> ClosePayload.parse(payload)).closeCode();
    }

    /** 0 in the second column: the code is accepted; otherwise the close code the connection fails with. */
    @ParameterizedTest(name = "code {0} -> {1}")
    @CsvSource({
        "0, 1002", "999, 1002",
        "1000, 0", "1001, 0", "1002, 0", "1003, 0",
        "1004, 1002", "1005, 1002", "1006, 1002",
        "1007, 0", "1008, 0", "1009, 0", "1010, 0", "1011, 0", "1012, 0", "1013, 0", "1014, 0",
        "1015, 1002", "1016, 1002", "2999, 1002",
        "3000, 0", "4999, 0",
        "5000, 1002", "65535, 1002",
    })
    void everyCodeClass(int code, int expectedFailure) throws WebSocketException {
        ByteBuffer buf = payload(code, (byte) 'o', (byte) 'k');
        if (expectedFailure == 0) {
            CloseStatus status = ClosePayload.parse(buf);
            assertEquals(code, status.code());
            assertEquals("ok", status.reason());
        } else {
            assertEquals(expectedFailure, failureCode(buf));
        }
    }

    @Test
    void emptyPayloadMeansNoStatus() throws WebSocketException {
        CloseStatus status = ClosePayload.parse(ByteBuffer.allocate(0));
        assertEquals(1005, status.code());
        assertEquals("", status.reason());
    }

    @Test
    void oneBytePayloadIsAProtocolError() {
        assertEquals(1002, failureCode(ByteBuffer.wrap(new byte[] {0x03})));
    }

    @Test
    void codeWithoutReason() throws WebSocketException {
        assertEquals(CloseStatus.received(1001, ""), ClosePayload.parse(ByteBuffer.wrap(new byte[] {0x03, (byte) 0xE9})));
    }

    @Test
    void invalidUtf8ReasonIsInvalidPayloadData() {
        assertEquals(1007, failureCode(payload(1000, (byte) 0xC0, (byte) 0xAF)));
        assertEquals(1007, failureCode(payload(1000, (byte) 0xED, (byte) 0xA0, (byte) 0x80)));
        assertEquals(1007, failureCode(payload(1000, (byte) 'a', (byte) 0xCE)), "truncated code point");
        assertEquals(1007, failureCode(payload(1000, (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80)));
    }

    @Test
    void longestReasonIsAccepted() throws WebSocketException {
        String reason = EURO.repeat(41);
        CloseStatus status = ClosePayload.parse(payload(3000, reason.getBytes(StandardCharsets.UTF_8)));
        assertEquals(reason, status.reason());
        byte[] ascii = new byte[123];
        Arrays.fill(ascii, (byte) 'r');
        assertEquals(123, ClosePayload.parse(payload(1000, ascii)).reason().length());
    }

    @Test
    void payloadOverControlFrameLimitIsAProtocolError() {
        byte[] reason = new byte[124];
        Arrays.fill(reason, (byte) 'r');
        assertEquals(1002, failureCode(payload(1000, reason)));
    }

    @Test
    void parseReadsFromPositionToLimitOfAnyBufferAndLeavesPosition() throws WebSocketException {
        byte[] framed = {'x', 'x', 0x0F, (byte) 0xA0, 'h', 'i', (byte) 0xFF}; // code 4000 "hi" between junk
        ByteBuffer heap = ByteBuffer.wrap(framed, 1, framed.length - 1).slice().position(1).limit(5);
        ByteBuffer direct = ByteBuffer.allocateDirect(framed.length).put(framed).position(2).limit(6);
        for (ByteBuffer buf : new ByteBuffer[] {heap, direct, heap.asReadOnlyBuffer()}) {
            int position = buf.position();
            assertEquals(CloseStatus.received(4000, "hi"), ClosePayload.parse(buf));
            assertEquals(position, buf.position());
        }
    }

    @Test
    void writesCodeBigEndianThenReason() {
        ByteBuffer dst = ByteBuffer.allocate(16).position(3);
        ClosePayload.write(CloseStatus.of(1000, "bye"), dst);
        assertEquals(8, dst.position());
        byte[] written = Arrays.copyOfRange(dst.array(), 3, 8);
        assertArrayEquals(new byte[] {0x03, (byte) 0xE8, 'b', 'y', 'e'}, written);
    }

    @Test
    void noStatusIsWrittenAsAnEmptyPayload() {
        ByteBuffer dst = ByteBuffer.allocate(4);
        ClosePayload.write(CloseStatus.NO_STATUS, dst);
        assertEquals(0, dst.position());
    }

    @Test
    void unsendableCodesAreNotWritten() {
        assertThrows(IllegalArgumentException.class,
                () -> ClosePayload.write(CloseStatus.ABNORMAL, ByteBuffer.allocate(8)));
        assertThrows(IllegalArgumentException.class,
                () -> ClosePayload.write(CloseStatus.received(1015, ""), ByteBuffer.allocate(8)));
    }

    @Test
    void overlongReceivedReasonIsCutAtACodePointBoundary() throws WebSocketException {
        ByteBuffer dst = ByteBuffer.allocate(200);
        ClosePayload.write(CloseStatus.received(1011, EURO.repeat(50)), dst);
        assertEquals(2 + 123, dst.position());
        assertEquals(CloseStatus.received(1011, EURO.repeat(41)), ClosePayload.parse(dst.flip()));

        ByteBuffer four = ByteBuffer.allocate(200);
        ClosePayload.write(CloseStatus.received(1011, "\uD83D\uDE00".repeat(31)), four); // 124 bytes
        assertEquals(2 + 120, four.position());
        assertEquals(CloseStatus.received(1011, "\uD83D\uDE00".repeat(30)), ClosePayload.parse(four.flip()));
    }

    @Test
    void tooSmallDestinationIsLeftUntouched() {
        ByteBuffer dst = ByteBuffer.allocate(4);
        assertThrows(BufferOverflowException.class, () -> ClosePayload.write(CloseStatus.of(1000, "bye"), dst));
        assertEquals(0, dst.position());
        assertArrayEquals(new byte[4], dst.array());
    }

    @Test
    void parseKeepsTheNoStatusConstant() throws WebSocketException {
        assertSame(CloseStatus.NO_STATUS, ClosePayload.parse(ByteBuffer.allocate(0)));
    }

    @Property(tries = 300)
    void roundTrip(@ForAll("sendableCodes") int code, @ForAll("reasons") String reason) throws WebSocketException {
        CloseStatus status = CloseStatus.of(code, reason);
        ByteBuffer dst = ByteBuffer.allocateDirect(125);
        ClosePayload.write(status, dst);
        assertEquals(2 + reason.getBytes(StandardCharsets.UTF_8).length, dst.position());
        assertEquals(status, ClosePayload.parse(dst.flip()));
    }

    @Provide
    Arbitrary<Integer> sendableCodes() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1000, 1003),
                Arbitraries.integers().between(1007, 1014), Arbitraries.integers().between(3000, 4999));
    }

    /** Reasons of well-formed text (no lone surrogates) that fit in 123 bytes. */
    @Provide
    Arbitrary<String> reasons() {
        return Arbitraries.strings().all().ofMaxLength(40)
                .filter(s -> StandardCharsets.UTF_8.newEncoder().canEncode(s))
                .filter(s -> s.getBytes(StandardCharsets.UTF_8).length <= CloseStatus.MAX_REASON_BYTES);
    }
}
