package io.duplex.core.internal.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The encoder refuses headers RFC 6455 §5.2/§5.5 forbids, and fails before writing when out of room. */
class FrameEncoderTest {

    @Test
    void refusesFragmentedOrOversizedControlFrames() {
        ByteBuffer dst = ByteBuffer.allocate(14);
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.encodeHeader(dst, false, 0, Opcode.PING, 0, false, 0));
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.encodeHeader(dst, true, 0, Opcode.CLOSE, 126, false, 0));
        assertEquals(0, dst.position());
    }

    @Test
    void refusesOutOfRangeFields() {
        ByteBuffer dst = ByteBuffer.allocate(14);
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.encodeHeader(dst, true, 0, Opcode.BINARY, -1, false, 0));
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.encodeHeader(dst, true, 8, Opcode.BINARY, 1, false, 0));
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.encodeHeader(dst, true, 0, 0x10, 1, false, 0));
        assertEquals(0, dst.position());
    }

    @Test
    void failsBeforeWritingWhenTheHeaderDoesNotFit() {
        ByteBuffer dst = ByteBuffer.allocate(13);
        assertThrows(BufferOverflowException.class,
                () -> FrameEncoder.encodeHeader(dst, true, 0, Opcode.BINARY, 1 << 20, true, 0x01020304));
        assertEquals(0, dst.position());
        assertArrayEquals(new byte[13], dst.array());
    }

    @Test
    void maxHeaderLengthIsTheLongestHeader() {
        assertEquals(FrameEncoder.MAX_HEADER_LENGTH, FrameEncoder.headerLength(Long.MAX_VALUE, true));
        assertEquals(2, FrameEncoder.headerLength(0, false));
        assertEquals(2, FrameEncoder.headerLength(125, false));
        assertEquals(8, FrameEncoder.headerLength(126, true));
        assertEquals(4, FrameEncoder.headerLength(65535, false));
        assertEquals(10, FrameEncoder.headerLength(65536, false));
    }
}
