package io.duplex.redis;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The Redis keys and channel of a room. A room name is data from clients, so it never appears in a key as
 * is: its UTF-8 bytes are encoded in unpadded base64url, whose alphabet ({@code A-Z a-z 0-9 - _}) holds no
 * glob character, no brace, no space and no separator, and is wrapped in a hash tag so that a room's keys
 * share one Redis Cluster slot.
 */
final class RoomKeys {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final String CHANNEL_SUFFIX = "}:ch";

    private final String prefix;

    /** @param prefix what every key starts with, for example {@code "duplex:"} */
    RoomKeys(String prefix) {
        this.prefix = prefix;
    }

    /** The room's name as it appears in keys: its UTF-8 bytes in unpadded base64url. */
    static String tag(String room) {
        return ENCODER.encodeToString(room.getBytes(StandardCharsets.UTF_8));
    }

    /** The room named by {@link #tag}, or null if {@code tag} is not one. */
    static String roomOfTag(String tag) {
        try {
            return new String(DECODER.decode(tag), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The key prefix. */
    String prefix() {
        return prefix;
    }

    /** {@code prefix{tag}}: the common start of a room's keys. */
    private String start(String room) {
        return prefix + "{" + tag(room);
    }

    /** The room's sequence counter. */
    String seq(String room) {
        return start(room) + "}:seq";
    }

    /** The room's history stream; entry ids are {@code seq-0}. */
    String log(String room) {
        return start(room) + "}:log";
    }

    /** The room's presence hash: field {@code node/connection}, value the member's label. */
    String who(String room) {
        return start(room) + "}:who";
    }

    /** The room's pub/sub channel. */
    String channel(String room) {
        return start(room) + CHANNEL_SUFFIX;
    }

    /** The sorted set of live nodes, scored by their last heartbeat (Redis time, ms). */
    String nodes() {
        return prefix + "nodes";
    }

    /** The set of rooms (encoded) in which {@code node} has members, for the sweep of a dead node. */
    String nodeRooms(String node) {
        return prefix + "node:" + node + ":rooms";
    }

    /** The room whose key or channel this is, or null if it is not one. */
    private String roomOf(String key) {
        if (!key.startsWith(prefix + "{")) {
            return null;
        }
        int end = key.indexOf('}', prefix.length() + 1);
        if (end < 0) {
            return null;
        }
        return roomOfTag(key.substring(prefix.length() + 1, end));
    }

    /** The room whose {@link #channel} this is, or null. */
    String roomOfChannel(String channel) {
        return channel.endsWith(CHANNEL_SUFFIX) ? roomOf(channel) : null;
    }
}
