package io.duplex.interop;

/** Interop with Node {@code ws} (npm, pinned by the peers' package-lock.json), as client and as server. */
class NodeInteropTest extends ScriptPeerInteropTest {

    NodeInteropTest() {
        super("node ws", "node", "client.js", "server.js", Peers::node,
                Scenario.ClientApi.FULL);
    }
}
