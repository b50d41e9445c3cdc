package io.duplex.core.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.duplex.core.CloseStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link io.duplex.core.CloseStatus} as the session uses it: RFC 6455 §7.4 (which codes may be sent) and
 * §5.5 (a control frame's 125-byte payload leaves 123 bytes for the reason).
 */
class CloseStatusTest {

    private static final String EURO = "\u20AC";         // 3 bytes of UTF-8
    private static final String GRINNING = "\uD83D\uDE00"; // 4 bytes of UTF-8, 2 chars

    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535, -1})
    void unsendableCodesAreRejected(int code) {
        assertThrows(IllegalArgumentException.class, () -> CloseStatus.of(code, ""));
        assertEquals(false, CloseStatus.isSendable(code));
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999})
    void sendableCodesAreAccepted(int code) {
        assertEquals(code, CloseStatus.of(code, "fine").code());
        assertEquals(true, CloseStatus.isSendable(code));
    }

    @Test
    void reasonIsLimitedTo123BytesOfUtf8() {
        assertEquals(EURO.repeat(41), CloseStatus.of(1000, EURO.repeat(41)).reason());     // 123 bytes
        assertThrows(IllegalArgumentException.class, () -> CloseStatus.of(1000, EURO.repeat(42))); // 126
        CloseStatus.of(1000, "a".repeat(123));
        assertThrows(IllegalArgumentException.class, () -> CloseStatus.of(1000, "a".repeat(124)));
        CloseStatus.of(1000, EURO.repeat(40) + "abc");                                      // 123 bytes
        assertThrows(IllegalArgumentException.class, () -> CloseStatus.of(1000, EURO.repeat(40) + "abcd"));
        CloseStatus.of(1000, GRINNING.repeat(30) + "abc");                                  // 123 bytes
        assertThrows(IllegalArgumentException.class, () -> CloseStatus.of(1000, GRINNING.repeat(31)));
    }

    @Test
    void receivedStatusesAreNotChecked() {
        assertEquals(1006, CloseStatus.received(1006, "").code());
        assertEquals(200, CloseStatus.received(1000, "x".repeat(200)).reason().length());
    }

    @Test
    void localOnlyConstants() {
        assertEquals(1005, CloseStatus.NO_STATUS.code());
        assertEquals(1006, CloseStatus.ABNORMAL.code());
        assertEquals(false, CloseStatus.isSendable(CloseStatus.NO_STATUS.code()));
    }

    @Test
    void valueEquality() {
        assertEquals(CloseStatus.of(1000, "bye"), CloseStatus.received(1000, "bye"));
        assertEquals(CloseStatus.of(1000, "bye").hashCode(), CloseStatus.received(1000, "bye").hashCode());
        assertNotEquals(CloseStatus.of(1000, "bye"), CloseStatus.of(1001, "bye"));
        assertNotEquals(CloseStatus.of(1000, "bye"), CloseStatus.of(1000, "Bye"));
        assertThrows(NullPointerException.class, () -> CloseStatus.of(1000, null));
    }
}
