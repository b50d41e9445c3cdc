package io.duplex.core.internal.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RFC 6455 §5.2 and §11.8: the opcode values, which are defined, which are control frames. */
class OpcodeTest {

    @Test
    void valuesAreTheRfcs() {
        assertEquals(0x0, Opcode.CONTINUATION);
        assertEquals(0x1, Opcode.TEXT);
        assertEquals(0x2, Opcode.BINARY);
        assertEquals(0x8, Opcode.CLOSE);
        assertEquals(0x9, Opcode.PING);
        assertEquals(0xA, Opcode.PONG);
    }

    @Test
    void definedAndControlOverAllSixteen() {
        for (int op = 0; op < 16; op++) {
            boolean defined = op <= 2 || (op >= 8 && op <= 10);
            assertEquals(defined, Opcode.isDefined(op), "isDefined " + op);
            assertEquals(op >= 8, Opcode.isControl(op), "isControl " + op);
        }
        assertFalse(Opcode.isDefined(-1));
        assertFalse(Opcode.isDefined(0x10));
    }

    @Test
    void names() {
        assertEquals("CONTINUATION", Opcode.name(0));
        assertEquals("PONG", Opcode.name(0xA));
        assertTrue(Opcode.name(0xB).contains("0xb"));
    }
}
