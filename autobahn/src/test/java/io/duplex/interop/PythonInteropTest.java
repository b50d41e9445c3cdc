package io.duplex.interop;

/** Interop with Python {@code websockets} (Debian's python3-websockets), as client and as server. */
class PythonInteropTest extends ScriptPeerInteropTest {

    PythonInteropTest() {
        super("python websockets", "python", "client.py", "server.py", Peers::python,
                Scenario.ClientApi.CODED_CLOSES);
    }
}
