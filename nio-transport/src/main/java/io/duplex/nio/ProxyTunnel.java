package io.duplex.nio;

import io.duplex.core.HandshakeException;
import io.duplex.core.internal.handshake.HeaderBlockReader;
import io.duplex.core.internal.handshake.HttpHead;
import io.duplex.core.internal.handshake.StatusLine;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The client side of an HTTP CONNECT exchange (RFC 9110 §9.3.6): the request that asks a proxy for a tunnel
 * to {@code host:port}, and an incremental reader of the proxy's answer. Sans-I/O: the connection writes
 * {@link #request()} and feeds what it reads to {@link #receive}.
 *
 * <p>The answer's header block is bounded by the client's {@code maxHeaderBytes} and {@code maxHeaderCount};
 * interim 1xx answers are skipped. Content-Length and Transfer-Encoding of a 2xx are ignored, as §9.3.6
 * requires: every byte after its header block belongs to the tunnel.
 */
final class ProxyTunnel {

    private final ProxySettings proxy;
    private final String authority;
    private final int maxHeaderBytes;
    private final int maxHeaderCount;
    private HeaderBlockReader reader;

    /**
     * @param host the target host as written in the URI (an IPv6 literal keeps its brackets)
     * @param port the target port
     */
    ProxyTunnel(ProxySettings proxy, String host, int port, int maxHeaderBytes, int maxHeaderCount) {
        this.proxy = proxy;
        this.authority = host + ':' + port;
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxHeaderCount = maxHeaderCount;
        this.reader = new HeaderBlockReader(maxHeaderBytes);
    }

    /** Where to open TCP: the proxy. */
    InetSocketAddress proxyAddress() {
        return proxy.address();
    }

    /** The target as the request names it ({@code authority-form}, RFC 9112 §3.2.3). */
    String authority() {
        return authority;
    }

    /** The CONNECT request, ready to write. */
    ByteBuffer request() {
        StringBuilder sb = new StringBuilder(128)
                .append("CONNECT ").append(authority).append(" HTTP/1.1\r\n")
                .append("Host: ").append(authority).append("\r\n");
        if (proxy.authorization() != null) {
            sb.append("Proxy-Authorization: ").append(proxy.authorization()).append("\r\n");
        }
        sb.append("\r\n");
        return ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Consumes the proxy's answer from {@code in}, which may end anywhere.
     *
     * @return whether the tunnel is established; {@code in} then holds the tunnel's first bytes, if any
     * @throws ProxyConnectException when the proxy refused (its non-2xx status) or answered malformed HTTP (0)
     */
    boolean receive(ByteBuffer in) throws ProxyConnectException {
        while (true) {
            HttpHead head;
            try {
                if (!reader.read(in)) {
                    return false;
                }
                head = HttpHead.parse(reader.bytes(), reader.length(), maxHeaderCount);
            } catch (HandshakeException e) {
                throw new ProxyConnectException(0, "malformed response from proxy " + proxy.address() + ": "
                        + e.getMessage());
            }
            int status = status(head.bytes(), head.startLineEnd());
            if (status < 0) {
                throw new ProxyConnectException(0, "malformed status line from proxy " + proxy.address()
                        + ": " + head.startLine());
            }
            if (status >= 200 && status < 300) {
                return true;
            }
            if (status >= 200 || status == 101) {
                throw refused(status, head);
            }
            reader = new HeaderBlockReader(maxHeaderBytes); // an interim 1xx: the real answer follows
        }
    }

    private ProxyConnectException refused(int status, HttpHead head) {
        StringBuilder msg = new StringBuilder("proxy ").append(proxy.address()).append(" refused CONNECT ")
                .append(authority).append(": ").append(head.startLine().substring(9));
        String challenge = head.headers().first("Proxy-Authenticate");
        if (challenge != null) {
            msg.append(" (Proxy-Authenticate: ").append(challenge).append(')');
        }
        return new ProxyConnectException(status, msg.toString());
    }

    /**
     * The status code of {@code HTTP/1.x SP 3DIGIT [SP reason]}, or -1. HTTP/1.0 is accepted too, as some
     * proxies still answer CONNECT with it and its status line has the same grammar: such a line is checked
     * by the core's HTTP/1.1 parser with its minor version rewritten on a copy.
     */
    static int status(byte[] b, int end) {
        if (end > 8 && b[5] == '1' && b[6] == '.' && b[7] == '0') {
            byte[] asHttp11 = Arrays.copyOf(b, end);
            asHttp11[7] = '1';
            return StatusLine.parse(asHttp11, end);
        }
        return StatusLine.parse(b, end);
    }
}
