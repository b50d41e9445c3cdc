package io.duplex.nio.internal.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Makes the {@link SSLEngine} of one connection, configured the way every Duplex connection is: only TLS 1.3
 * and 1.2, and for a client SNI and, when asked, hostname verification. Static, because configuring an engine
 * needs no state of its own.
 */
final class SslEngines {

    static final String TLS_13 = "TLSv1.3";
    static final String TLS_12 = "TLSv1.2";

    private SslEngines() {
    }

    /**
     * A client engine for a server reached as {@code host}. The trust decision is {@code ctx}'s; with
     * {@code verifyHostname} the certificate must also name {@code host} (RFC 2818 / RFC 6125 rules, the JDK's
     * "HTTPS" endpoint identification). A host name, but not an IP literal, is sent as SNI (RFC 6066).
     *
     * @throws IllegalArgumentException if {@code ctx} enables neither TLS 1.3 nor TLS 1.2
     */
    static SSLEngine client(SSLContext ctx, String host, int port, boolean verifyHostname) {
        SSLEngine engine = ctx.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        params.setProtocols(modernProtocols(params.getProtocols()));
        if (verifyHostname) {
            params.setEndpointIdentificationAlgorithm("HTTPS");
        }
        params.setServerNames(ServerNames.forHost(host));
        engine.setSSLParameters(params);
        return engine;
    }

    /**
     * A server engine presenting {@code ctx}'s key material.
     *
     * @throws IllegalArgumentException if {@code ctx} enables neither TLS 1.3 nor TLS 1.2
     */
    static SSLEngine server(SSLContext ctx) {
        SSLEngine engine = ctx.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters params = engine.getSSLParameters();
        params.setProtocols(modernProtocols(params.getProtocols()));
        engine.setSSLParameters(params);
        return engine;
    }

    /** Of the protocols {@code ctx} enables, TLS 1.3 and 1.2 only: older versions are not negotiated. */
    private static String[] modernProtocols(String[] enabled) {
        boolean tls13 = false;
        boolean tls12 = false;
        for (String p : enabled) {
            tls13 |= TLS_13.equals(p);
            tls12 |= TLS_12.equals(p);
        }
        if (tls13 && tls12) {
            return new String[] {TLS_13, TLS_12};
        }
        if (tls13 || tls12) {
            return new String[] {tls13 ? TLS_13 : TLS_12};
        }
        throw new IllegalArgumentException("the SSLContext enables neither TLSv1.3 nor TLSv1.2");
    }
}
