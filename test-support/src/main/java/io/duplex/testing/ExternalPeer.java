package io.duplex.testing;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/** The project's rule for tests that need an external program: skip on a developer machine, fail under CI. */
public final class ExternalPeer {

    private ExternalPeer() {
    }

    /**
     * Returns if {@code present}; else fails the calling test when the environment variable {@code CI} is
     * {@code true}, and skips it otherwise, saying {@code missing}.
     */
    public static void require(boolean present, String missing) {
        if (present) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(missing + ": missing under CI=true");
        }
        Assumptions.assumeTrue(false, missing + ": skipped");
    }
}
