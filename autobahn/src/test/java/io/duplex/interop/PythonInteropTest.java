package io.duplex.interop;

import java.nio.file.Path;
import java.util.List;

/** Interop with Python {@code websockets} (Debian's python3-websockets), as client and as server. */
class PythonInteropTest extends ScriptPeerInteropTest {

    @Override
    String peer() {
        return "python websockets";
    }

    @Override
    List<String> interpreter() {
        return Peers.python();
    }

    @Override
    Path scripts() {
        return Peers.directory().resolve("python");
    }

    @Override
    String clientScript() {
        return "client.py";
    }

    @Override
    String serverScript() {
        return "server.py";
    }
}
