package io.duplex.bench.jmh;

import io.duplex.core.internal.session.Utf8Validator;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * UTF-8 validation of a 64 KiB text payload (RFC 6455 §8.1): the core's validator beside the JDK's
 * {@code new String(bytes, UTF_8)} (which replaces rather than rejects) and a strict {@link CharsetDecoder}
 * (which rejects, as the RFC requires); the validator also on a direct buffer, as a transport reading into
 * direct buffers hands it. "mixed" cycles through 1-, 2-, 3- and 4-byte code points.
 */
public class Utf8Benchmark extends ThroughputBenchmark {

    @Param({"ascii", "mixed"})
    public String text;

    private byte[] bytes;
    private ByteBuffer in;
    private ByteBuffer direct;
    private CharBuffer chars;
    private final Utf8Validator validator = new Utf8Validator();
    private final CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    @Setup
    public void setUp() {
        StringBuilder sb = new StringBuilder();
        String[] mixed = {"a", "é", "€", "😀"};
        for (int i = 0; sb.length() < 70_000; i++) {
            sb.append(text.equals("ascii") ? String.valueOf((char) ('a' + i % 26)) : mixed[i % 4]);
        }
        bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        bytes = java.util.Arrays.copyOf(bytes, 65536);
        // Cut back to the last ASCII byte, a code point boundary, so every candidate sees valid UTF-8.
        int end = bytes.length;
        while ((bytes[end - 1] & 0xC0) == 0x80 || (bytes[end - 1] & 0x80) != 0) {
            end--;
        }
        bytes = java.util.Arrays.copyOf(bytes, end);
        in = ByteBuffer.wrap(bytes);
        direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        chars = CharBuffer.allocate(bytes.length);
    }

    @Benchmark
    public boolean duplexValidator() {
        validator.reset();
        return validator.validate(bytes, 0, bytes.length);
    }

    @Benchmark
    public boolean duplexValidatorDirect() {
        validator.reset();
        return validator.validate(direct);
    }

    @Benchmark
    public String jdkNewString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Benchmark
    public CharBuffer jdkStrictDecoder() throws CharacterCodingException {
        strict.reset();
        chars.clear();
        in.clear();
        if (strict.decode(in, chars, true).isError()) {
            throw new CharacterCodingException();
        }
        strict.flush(chars);
        return chars;
    }
}
