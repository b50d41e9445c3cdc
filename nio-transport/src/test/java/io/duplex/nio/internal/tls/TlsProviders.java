package io.duplex.nio.internal.tls;

import io.duplex.testing.ExternalPeer;
import java.security.Provider;
import org.conscrypt.Conscrypt;

/** The TLS providers tests run over, by name: {@code jdk} (null: the JDK's own) or {@code conscrypt}. */
public final class TlsProviders {

    private static Provider conscrypt;

    private TlsProviders() {
    }

    /**
     * The provider called {@code name}; Conscrypt's skips the calling test (fails it under CI) where its native
     * library does not load.
     */
    public static synchronized Provider named(String name) {
        switch (name) {
            case "jdk" -> {
                return null;
            }
            case "conscrypt" -> {
                if (conscrypt == null) {
                    ExternalPeer.require(Conscrypt.isAvailable(),
                            "Conscrypt's native library does not load on this platform");
                    conscrypt = Conscrypt.newProvider();
                }
                return conscrypt;
            }
            default -> throw new IllegalArgumentException("no TLS provider called " + name);
        }
    }
}
