package io.duplex.autobahn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --cases}: one case or an inclusive range, within the fuzzing server's 1..count. */
class CaseRangeTest {

    @Test
    void oneCase() {
        assertEquals(new CaseRange(7, 7), CaseRange.parse("7", 517));
        assertEquals(1, CaseRange.parse("7", 517).size());
    }

    @Test
    void inclusiveRange() {
        CaseRange r = CaseRange.parse("1-517", 517);
        assertEquals(new CaseRange(1, 517), r);
        assertEquals(517, r.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0-3", "5-4", "1-518", "518", "a", "1-", "-3", "1-2-3", ""})
    void refusesWhatIsNotARangeWithinTheServersCases(String spec) {
        assertThrows(IllegalArgumentException.class, () -> CaseRange.parse(spec, 517));
    }
}
