package io.duplex.core.internal.extension.deflate;

import java.time.Duration;

/**
 * What one {@code PerMessageDeflate} was configured with, as the negotiation reads it (each component is
 * documented on the builder method of the same name).
 */
public record DeflateSettings(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
        int serverMaxWindowBits, int clientMaxWindowBits, int level, int threshold,
        boolean acceptServerMaxWindowBits, boolean acceptServerNoContextTakeover, int poolSize,
        Duration idleRelease) {
}
