package io.duplex.autobahn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code --name value} options of the subcommands. */
class FlagsTest {

    private static final List<String> KNOWN = List.of("port", "host");

    @Test
    void readsValuesAndFallsBack() {
        Flags f = Flags.parse(List.of("--port", "9001"), KNOWN);
        assertEquals(9001, f.integer("port", 1, 0, 65535));
        assertEquals("127.0.0.1", f.text("host", "127.0.0.1"));
    }

    @Test
    void refusesUnknownNamesMissingValuesAndStrayWords() {
        assertThrows(IllegalArgumentException.class, () -> Flags.parse(List.of("--prot", "1"), KNOWN));
        assertThrows(IllegalArgumentException.class, () -> Flags.parse(List.of("--port"), KNOWN));
        assertThrows(IllegalArgumentException.class, () -> Flags.parse(List.of("port", "1"), KNOWN));
    }

    @Test
    void refusesNumbersOutOfRangeOrMalformed() {
        assertThrows(IllegalArgumentException.class,
                () -> Flags.parse(List.of("--port", "65536"), KNOWN).integer("port", 0, 0, 65535));
        assertThrows(IllegalArgumentException.class,
                () -> Flags.parse(List.of("--port", "x1"), KNOWN).integer("port", 0, 0, 65535));
    }
}
