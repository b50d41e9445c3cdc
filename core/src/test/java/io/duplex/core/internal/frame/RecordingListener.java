package io.duplex.core.internal.frame;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Collects decoded frames, checking that the decoder calls header, payload and end in order. */
class RecordingListener implements FrameListener {

    /** A frame as the listener saw it; the payload compares by content. */
    record Frame(boolean fin, int rsv, int opcode, long length, ByteBuffer payload) {

        static Frame of(boolean fin, int rsv, int opcode, byte[] payload) {
            return new Frame(fin, rsv, opcode, payload.length, ByteBuffer.wrap(payload));
        }

        /** The payload's first bytes in hex, so a failed comparison shows what differs. */
        @Override
        public String toString() {
            StringBuilder hex = new StringBuilder();
            for (int i = payload.position(); i < Math.min(payload.limit(), payload.position() + 24); i++) {
                hex.append(String.format("%02x", payload.get(i)));
            }
            return (fin ? "FIN " : "") + "rsv=" + rsv + " " + Opcode.name(opcode) + " len=" + length + " [" + hex
                    + (payload.remaining() > 24 ? "..." : "") + "]";
        }
    }

    final List<Frame> frames = new ArrayList<>();
    int payloadCalls;
    private boolean open;
    private boolean fin;
    private int rsv;
    private int opcode;
    private long length;
    private final ByteArrayOutputStream payload = new ByteArrayOutputStream();

    @Override
    public void onFrameHeader(boolean fin, int rsv, int opcode, long payloadLength) {
        if (open) {
            throw new AssertionError("header of a new frame before the end of the last one");
        }
        open = true;
        this.fin = fin;
        this.rsv = rsv;
        this.opcode = opcode;
        this.length = payloadLength;
        payload.reset();
    }

    @Override
    public void onPayload(ByteBuffer chunk) {
        if (!open) {
            throw new AssertionError("payload outside a frame");
        }
        if (!chunk.hasRemaining()) {
            throw new AssertionError("empty payload chunk");
        }
        payloadCalls++;
        while (chunk.hasRemaining()) {
            payload.write(chunk.get());
        }
    }

    @Override
    public void onFrameEnd() {
        if (!open) {
            throw new AssertionError("frame end outside a frame");
        }
        if (payload.size() != length) {
            throw new AssertionError("frame ended after " + payload.size() + " of " + length + " bytes");
        }
        open = false;
        frames.add(Frame.of(fin, rsv, opcode, payload.toByteArray()));
    }

    boolean insideFrame() {
        return open;
    }
}
