package io.duplex.interop;

/** permessage-deflate interop with Node {@code ws} (its {@code perMessageDeflate} option), as client and server. */
class NodeDeflateInteropTest extends DeflateInteropTest {

    NodeDeflateInteropTest() {
        super("node ws", "node", "deflate-client.js", "deflate-server.js", Peers::node);
    }
}
