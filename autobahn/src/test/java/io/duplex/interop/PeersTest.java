package io.duplex.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The rule for a missing peer: skip on a developer's machine, fail in CI. */
class PeersTest {

    @Test
    void presentPeerRunsWhateverTheEnvironment() {
        assertEquals(Peers.Verdict.RUN, Peers.decide(true, null));
        assertEquals(Peers.Verdict.RUN, Peers.decide(true, "true"));
        assertEquals(Peers.Verdict.RUN, Peers.decide(true, "false"));
    }

    @Test
    void missingPeerIsSkippedOutsideCi() {
        assertEquals(Peers.Verdict.SKIP, Peers.decide(false, null));
        assertEquals(Peers.Verdict.SKIP, Peers.decide(false, ""));
        assertEquals(Peers.Verdict.SKIP, Peers.decide(false, "false"));
        assertEquals(Peers.Verdict.SKIP, Peers.decide(false, "1"));
    }

    @Test
    void missingPeerFailsInCi() {
        assertEquals(Peers.Verdict.FAIL, Peers.decide(false, "true"));
        assertEquals(Peers.Verdict.FAIL, Peers.decide(false, "TRUE"));
        assertEquals(Peers.Verdict.FAIL, Peers.decide(false, " true\n"));
    }

    @Test
    void skipAbortsTheTestAndFailFailsItBothNamingTheInstallScript() {
        TestAbortedException skipped = assertThrows(TestAbortedException.class,
                () -> Peers.require("python3-websockets not installed", false, null));
        assertTrue(skipped.getMessage().contains("python3-websockets not installed: run .ci/install-peers"),
                skipped.getMessage());

        AssertionFailedError failed = assertThrows(AssertionFailedError.class,
                () -> Peers.require("python3-websockets not installed", false, "true"));
        assertTrue(failed.getMessage().contains("python3-websockets not installed: run .ci/install-peers"),
                failed.getMessage());
    }

    @Test
    void presentPeerNeitherAbortsNorFails() {
        Peers.require("anything", true, "true");
        Peers.require("anything", true, null);
    }
}
