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
 * A Lua script run with EVALSHA, so each call sends its 40-character digest rather than its text. Until Redis is
 * known to hold it (no call succeeded yet, or the connection has reconnected since, perhaps to a Redis whose
 * restart emptied its script cache) it is sent whole with EVAL, which also caches it.
 */
final class LuaScript {

    private final String body;
    private final String sha;
    /** Whether a call succeeded since the connection last (re)connected: EVALSHA then, else EVAL. */
    private volatile boolean cached;

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

    /** The connection reconnected: the Redis behind it may not hold the script any more. */
    void forget() {
        cached = false;
    }

    /**
     * Runs the script; never blocks (the Redis client's I/O thread completes the stage). A call Redis answers
     * NOSCRIPT is repeated once with EVAL, so it may land behind calls made after it: for calls whose order
     * does not matter.
     */
    <T> CompletionStage<T> run(RedisAsyncCommands<String, byte[]> redis, ScriptOutputType type, String[] keys,
            byte[]... args) {
        return this.<T>call(redis, type, keys, args).handle((T v, Throwable e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(v);
            }
            Throwable cause = unwrap(e);
            if (isNoScript(cause)) {
                return this.<T>eval(redis, type, keys, args);
            }
            return CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(s -> s);
    }

    /**
     * Runs the script so that calls made one after another on one connection run in that order. A call Redis
     * answers NOSCRIPT (its script cache was emptied under a live connection, by {@code SCRIPT FLUSH} or a
     * restart the client has not noticed yet) fails rather than being repeated, since the repeat would run
     * behind calls made after it; the calls after it are sent whole until one succeeds.
     */
    <T> CompletionStage<T> runInOrder(RedisAsyncCommands<String, byte[]> redis, ScriptOutputType type,
            String[] keys, byte[]... args) {
        return this.<T>call(redis, type, keys, args).exceptionallyCompose(e -> {
            Throwable cause = unwrap(e);
            if (isNoScript(cause)) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "Redis no longer held the script (restarted, or SCRIPT FLUSH): this call did not run", cause));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    private <T> CompletableFuture<T> call(RedisAsyncCommands<String, byte[]> redis, ScriptOutputType type,
            String[] keys, byte[]... args) {
        if (!cached) {
            return eval(redis, type, keys, args);
        }
        CompletableFuture<T> f = redis.<T>evalsha(sha, type, keys, args).toCompletableFuture();
        return f.whenComplete((v, e) -> {
            if (e != null && isNoScript(unwrap(e))) {
                cached = false;
            }
        });
    }

    private <T> CompletableFuture<T> eval(RedisAsyncCommands<String, byte[]> redis, ScriptOutputType type,
            String[] keys, byte[]... args) {
        CompletableFuture<T> f = redis.<T>eval(body, type, keys, args).toCompletableFuture();
        return f.whenComplete((v, e) -> {
            if (e == null) {
                cached = true;
            }
        });
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static boolean isNoScript(Throwable cause) {
        String msg = cause.getMessage();
        return msg != null && msg.startsWith("NOSCRIPT");
    }
}
