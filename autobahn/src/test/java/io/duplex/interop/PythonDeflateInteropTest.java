package io.duplex.interop;

/** permessage-deflate interop with Python {@code websockets} (its own deflate factories), as client and server. */
class PythonDeflateInteropTest extends DeflateInteropTest {

    PythonDeflateInteropTest() {
        super("python websockets", "python", "deflate_client.py", "deflate_server.py", Peers::python);
    }
}
