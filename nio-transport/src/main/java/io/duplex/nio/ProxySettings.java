package io.duplex.nio;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * An HTTP proxy that a {@link WebSocketClient} reaches its servers through, with an HTTP CONNECT tunnel
 * (RFC 9110 §9.3.6). Used for ws:// and wss:// alike: TLS runs end to end through the tunnel, so the proxy
 * never sees the WebSocket traffic of a wss:// connection.
 *
 * <p>Immutable. The proxy's host name, if unresolved, is resolved when a connection is opened; the target's
 * host name is sent to the proxy as written in the URI and resolved by the proxy.
 */
public final class ProxySettings {

    private final InetSocketAddress address;
    private final String user;
    /** The whole {@code Proxy-Authorization} value, so the password itself is not kept. */
    private final String authorization;

    private ProxySettings(InetSocketAddress address, String user, String authorization) {
        this.address = address;
        this.user = user;
        this.authorization = authorization;
    }

    /** A proxy at {@code address}, without credentials. */
    public static ProxySettings of(InetSocketAddress address) {
        return new ProxySettings(Objects.requireNonNull(address, "address"), null, null);
    }

    /**
     * These settings with the Basic authentication scheme (RFC 7617): every CONNECT carries
     * {@code Proxy-Authorization: Basic base64(user ":" password)}, the pair encoded as UTF-8.
     *
     * @throws IllegalArgumentException if {@code user} contains a colon or either contains a control
     *     character (RFC 7617 §2 forbids both)
     */
    public ProxySettings withBasicAuth(String user, String password) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a Basic user-id must not contain a colon");
        }
        if (hasControl(user) || hasControl(password)) {
            throw new IllegalArgumentException("Basic credentials must not contain control characters");
        }
        String pair = user + ':' + password;
        String value = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        return new ProxySettings(address, user, value);
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return true;
            }
        }
        return false;
    }

    /** The proxy's address. */
    public InetSocketAddress address() {
        return address;
    }

    /** The Basic user-id, or {@code null} without credentials. */
    public String user() {
        return user;
    }

    /** The {@code Proxy-Authorization} field value, or {@code null} without credentials. */
    String authorization() {
        return authorization;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxySettings other && other.address.equals(address)
                && Objects.equals(other.authorization, authorization);
    }

    @Override
    public int hashCode() {
        return address.hashCode() * 31 + Objects.hashCode(authorization);
    }

    /** The address and user; never the password. */
    @Override
    public String toString() {
        return "ProxySettings{" + address + (user == null ? "" : ", user=" + user) + "}";
    }
}
