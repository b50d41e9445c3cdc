package io.duplex.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.deflate.PerMessageDeflate;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Headless Chromium offers permessage-deflate by default: {@link ChromiumInteropTest}'s scenario against our
 * server with it enabled. The page must report the extension agreed and every message echoed intact.
 */
class ChromiumDeflateInteropTest {

    @ParameterizedTest(name = "our frames: {0} bytes (0: a message in one frame)")
    @ValueSource(ints = {0, Scenario.FRAGMENT_SIZE})
    @Timeout(30)
    void chromiumClientAgainstOurServerWithDeflate(int fragmentSize) throws Exception {
        String extensions = ChromiumInteropTest.run(fragmentSize, List.of(PerMessageDeflate.defaults()));
        assertTrue(extensions != null && extensions.startsWith("EXTENSIONS permessage-deflate"),
                "the page's WebSocket.extensions: " + extensions);
    }
}
