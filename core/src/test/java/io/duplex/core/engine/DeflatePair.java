package io.duplex.core.engine;

import io.duplex.core.HandshakeException;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.deflate.PerMessageDeflate;
import io.duplex.core.internal.extension.deflate.PerMessageDeflateExtension;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A client and a server {@link Session} joined in memory, with permessage-deflate negotiated by the factories
 * themselves (server accepts the client's offers; the client checks the answer). Bytes one side writes are
 * delivered to the other in chunks of a chosen size, so inflation sees every split.
 */
final class DeflatePair {

    final RecordingPeer clientPeer = new RecordingPeer();
    final RecordingPeer serverPeer = new RecordingPeer();
    final PerMessageDeflateExtension clientExtension;
    final PerMessageDeflateExtension serverExtension;
    final Session client;
    final Session server;
    final PerMessageDeflate clientExtensionFactory;
    final PerMessageDeflate serverExtensionFactory;
    /** Every whole message each side received, as bytes (text as UTF-8). */
    final List<byte[]> clientReceived = new ArrayList<>();
    final List<byte[]> serverReceived = new ArrayList<>();

    DeflatePair(PerMessageDeflate clientFactory, PerMessageDeflate serverFactory, WebSocketConfig config)
            throws HandshakeException {
        clientExtensionFactory = clientFactory;
        serverExtensionFactory = serverFactory;
        serverExtension = (PerMessageDeflateExtension) serverFactory.accept(clientFactory.offers());
        clientExtension = (PerMessageDeflateExtension) clientFactory.accepted(serverExtension.negotiated());
        clientPeer.delegate = collector(clientReceived);
        serverPeer.delegate = collector(serverReceived);
        client = Session.client().config(config).extensions(List.of(clientExtension))
                .handler(clientPeer).outbound(clientPeer).build();
        server = Session.server().config(config).extensions(List.of(serverExtension))
                .handler(serverPeer).outbound(serverPeer).build();
        client.open();
        server.open();
    }

    /** Collects whole messages, and reassembles fragments when the session streams. */
    private static WebSocketHandler collector(List<byte[]> into) {
        java.io.ByteArrayOutputStream parts = new java.io.ByteArrayOutputStream();
        return new WebSocketHandler() {
            @Override
            public void onTextFragment(WebSocket ws, String fragment, boolean last) {
                parts.writeBytes(fragment.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                if (last) {
                    into.add(parts.toByteArray());
                    parts.reset();
                }
            }

            @Override
            public void onBinaryFragment(WebSocket ws, ByteBuffer fragment, boolean last) {
                byte[] a = new byte[fragment.remaining()];
                fragment.get(a);
                parts.writeBytes(a);
                if (last) {
                    into.add(parts.toByteArray());
                    parts.reset();
                }
            }

            @Override
            public void onText(WebSocket ws, String text) {
                into.add(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }

            @Override
            public void onBinary(WebSocket ws, ByteBuffer data) {
                byte[] a = new byte[data.remaining()];
                data.get(a);
                into.add(a);
            }
        };
    }

    /** Delivers what the client wrote to the server, {@code chunk} bytes at a time; returns the frames. */
    List<WireFrames.Frame> clientToServer(int chunk) {
        return deliver(clientPeer, server, chunk);
    }

    /** Delivers what the server wrote to the client, {@code chunk} bytes at a time; returns the frames. */
    List<WireFrames.Frame> serverToClient(int chunk) {
        return deliver(serverPeer, client, chunk);
    }

    private static List<WireFrames.Frame> deliver(RecordingPeer from, Session to, int chunk) {
        byte[] bytes = from.written.toByteArray();
        from.written.reset();
        List<WireFrames.Frame> frames = WireFrames.parse(bytes); // first: the receiver unmasks in place
        for (int i = 0; i < bytes.length; i += chunk) {
            to.receive(ByteBuffer.wrap(bytes, i, Math.min(chunk, bytes.length - i)).slice());
        }
        return frames;
    }
}
