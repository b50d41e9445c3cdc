package io.duplex.nio.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import javax.net.ssl.SNIHostName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6066 section 3: SNI carries host names, without a trailing dot, and never IP literals. */
class TlsServerNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "0.0.0.0", "255.255.255.255", "::1", "[::1]", "fe80::1%eth0", "2001:db8::7"})
    void ipLiteralsAreNotSent(String host) {
        assertEquals(List.of(), ServerNames.forHost(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.com", "1.2.3.example", "1.2.3", "1.2.3.4.5", "1234.1.1.1", "a1.b2"})
    void hostNamesAreSent(String host) {
        assertEquals(List.of(new SNIHostName(host)), ServerNames.forHost(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com."})
    void theTrailingDotIsDropped(String host) {
        assertEquals(List.of(new SNIHostName("example.com")), ServerNames.forHost(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "under_score.example"})
    void namesSniCannotCarryAreLeftOut(String host) {
        assertEquals(List.of(), ServerNames.forHost(host));
    }
}
