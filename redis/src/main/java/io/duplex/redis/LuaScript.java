package io.duplex.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script run with EVALSHA, so each call sends its 40-character digest rather than its text; when Redis
 * does not know it (first use, or after a restart emptied its script cache) the call is repeated once with
 * EVAL, which also caches it.
 */
final class LuaScript {

    private final String body;
    private final String sha;

    /** The script in the resource {@code name} next to this class. */
    LuaScript(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            this.body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(body.getBytes(StandardCharsets.UTF_8));
            this.sha = HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the script; never blocks (the Redis client's I/O thread completes the stage). */
    <T> CompletionStage<T> run(RedisAsyncCommands<String, byte[]> redis, ScriptOutputType type, String[] keys,
            byte[]... args) {
        CompletableFuture<T> first = redis.<T>evalsha(sha, type, keys, args).toCompletableFuture();
        return first.handle((v, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(v);
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            String msg = cause.getMessage();
            if (msg != null && msg.startsWith("NOSCRIPT")) {
                return redis.<T>eval(body, type, keys, args).toCompletableFuture();
            }
            return CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(s -> s);
    }
}
