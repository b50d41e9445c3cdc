package io.duplex.core.internal.extension.deflate;

import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The codec pools of one {@link io.duplex.core.deflate.PerMessageDeflate}: native {@link Deflater}s at its level,
 * {@link Inflater}s, and a {@link WindowedDeflater} pool per window size 8..14. Each keeps at most
 * {@code capacity} idle codecs.
 */
public final class ZlibPools {

    final CodecPool<Deflater> deflaters;
    final CodecPool<Inflater> inflaters;
    private final CodecPool<WindowedDeflater>[] windowed;

    @SuppressWarnings("unchecked")
    public ZlibPools(int level, int capacity) {
        deflaters = new CodecPool<>(() -> new Deflater(level, true), Deflater::reset, Deflater::end, capacity);
        inflaters = new CodecPool<>(() -> new Inflater(true), Inflater::reset, Inflater::end, capacity);
        windowed = new CodecPool[15];
        for (int bits = 8; bits < 15; bits++) {
            int b = bits;
            windowed[bits] = new CodecPool<>(() -> new WindowedDeflater(b, level), WindowedDeflater::reset,
                    WindowedDeflater::release, capacity);
        }
    }

    CodecPool<WindowedDeflater> windowed(int bits) {
        return windowed[bits];
    }

    /** The native Deflater pool, for leak checks. */
    public CodecPool<Deflater> deflaters() {
        return deflaters;
    }

    /** The Inflater pool, for leak checks. */
    public CodecPool<Inflater> inflaters() {
        return inflaters;
    }
}
