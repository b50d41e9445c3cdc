package io.duplex.core.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.duplex.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Only {@link HttpHeaders} may install the wrapper that turns parsed field blocks into headers. */
class FieldBlockTest {

    @Test
    void nobodyButHttpHeadersInstallsAWrapper() {
        assertThrows(IllegalCallerException.class, () -> FieldBlock.install((fields, from) -> HttpHeaders.empty()));
        // Parsed blocks still become real headers, not whatever the refused wrapper would have returned.
        byte[] block = "xHost:example.com\nUpgrade:websocket\n".getBytes(StandardCharsets.ISO_8859_1);
        HttpHeaders h = FieldBlock.headers(block, 1);
        assertEquals(2, h.size());
        assertEquals("example.com", h.first("host"));
        assertEquals("websocket", h.first("Upgrade"));
    }
}
