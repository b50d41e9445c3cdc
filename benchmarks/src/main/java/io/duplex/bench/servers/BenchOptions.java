package io.duplex.bench.servers;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.conscrypt.Conscrypt;

/**
 * The options benchmarks/run.sh gives an echo server as system properties, the same for every library:
 * <ul>
 * <li>{@code bench.tls.keystore}: a PKCS#12 key store (password {@code bench.tls.password}, default
 *     {@code duplex-bench}); when set the server speaks only wss://, TLS 1.3 and 1.2.</li>
 * <li>{@code bench.tls.provider}: {@code jdk} (default), {@code openssl} (Netty only: netty-tcnative's
 *     BoringSSL through Netty's own engine) or {@code conscrypt} (Duplex only: Conscrypt's BoringSSL as a
 *     JCA provider, through the {@link SSLContext} a user would pass).</li>
 * <li>{@code bench.deflate}: {@code true} to accept permessage-deflate at level 6 with whatever context
 *     takeover the client offers.</li>
 * </ul>
 */
final class BenchOptions {

    private BenchOptions() {
    }

    /** The key store's path, or null for plain ws://. */
    static Path keyStore() {
        String path = System.getProperty("bench.tls.keystore");
        if (path == null || path.isEmpty()) {
            return null;
        }
        if (!Files.isRegularFile(Path.of(path))) {
            throw new IllegalArgumentException("bench.tls.keystore: no such file: " + path);
        }
        return Path.of(path);
    }

    static String keyStorePassword() {
        return System.getProperty("bench.tls.password", "duplex-bench");
    }

    /** The key managers of {@link #keyStore()}, which must be set. */
    static KeyManagerFactory keyManagers() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        char[] password = keyStorePassword().toCharArray();
        try (InputStream in = Files.newInputStream(keyStore())) {
            store.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        return kmf;
    }

    /** A JDK TLS context with the key store's key, or null for plain ws://. */
    static SSLContext tlsContext() throws Exception {
        if (keyStore() == null) {
            return null;
        }
        if (openSsl()) {
            throw new IllegalArgumentException("bench.tls.provider=openssl is Netty's; use conscrypt");
        }
        SSLContext context = conscrypt() ? SSLContext.getInstance("TLS", Conscrypt.newProvider())
                : SSLContext.getInstance("TLS");
        context.init(keyManagers().getKeyManagers(), null, null);
        return context;
    }

    private static String provider() {
        String provider = System.getProperty("bench.tls.provider", "jdk");
        if (!provider.equals("jdk") && !provider.equals("openssl") && !provider.equals("conscrypt")) {
            throw new IllegalArgumentException("bench.tls.provider must be jdk, openssl or conscrypt: " + provider);
        }
        return provider;
    }

    /** Whether Netty should use OpenSSL (BoringSSL) instead of the JDK's SSLEngine. */
    static boolean openSsl() {
        return provider().equals("openssl");
    }

    /** Whether the JDK-style SSLContext comes from Conscrypt rather than the JDK. */
    static boolean conscrypt() {
        return provider().equals("conscrypt");
    }

    /** Whether to accept permessage-deflate. */
    static boolean deflate() {
        return Boolean.getBoolean("bench.deflate");
    }

    /** What the "listening" line adds to the server's name: its TLS and deflate options, if any. */
    static String suffix() {
        return (keyStore() != null ? (conscrypt() ? "-conscrypt-tls" : "-tls") : "") + (deflate() ? "-deflate" : "");
    }
}
