package io.duplex.examples.chat;

import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.nio.PreparedMessage;
import io.duplex.nio.RoomMember;
import io.duplex.nio.RoomSnapshot;
import io.duplex.nio.Rooms;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The chat protocol on one server: each request is answered on the connection's event loop, and room
 * messages go through {@link Rooms}, which numbers them and gives every member one order.
 */
final class ChatHandler implements WebSocketHandler {

    /** Set once, before the server starts: the rooms need the server, which needs this handler. */
    private volatile Rooms rooms;
    /** Who is in a room: this server's members, or every node's with --redis. */
    private volatile Function<String, CompletableFuture<List<String>>> who;

    void bind(Rooms rooms, Function<String, CompletableFuture<List<String>>> who) {
        this.rooms = rooms;
        this.who = who;
    }

    @Override
    public void onText(WebSocket ws, String text) {
        ChatRequest r;
        try {
            r = ChatRequest.parse(text);
        } catch (ChatRequest.BadRequest e) {
            ws.sendText(ChatMessages.error(e.getMessage()));
            return;
        }
        switch (r.op()) {
            case "join" -> join(ws, r);
            case "say" -> say(ws, r);
            case "leave" -> leave(ws, r);
            default -> who(ws, r);
        }
    }

    @Override
    public void onBinary(WebSocket ws, ByteBuffer data) {
        ws.sendText(ChatMessages.error("binary messages are not part of the protocol"));
    }

    private void join(WebSocket ws, ChatRequest r) {
        try {
            rooms.join(ws, r.room(), r.nick(), r.since(), ChatHandler::greeting);
        } catch (IllegalStateException e) {
            ws.sendText(ChatMessages.error(e.getMessage()));
        }
    }

    /** What a joining member gets first: the room's latest number, then the gap a resume cannot fill. */
    private static List<PreparedMessage> greeting(RoomSnapshot s) {
        List<PreparedMessage> first = new ArrayList<>(2);
        first.add(PreparedMessage.text(ChatMessages.joined(s.room(), s.latest())));
        if (s.hasGap()) {
            first.add(PreparedMessage.text(ChatMessages.gap(s.room(), s.gapFrom(), s.gapTo())));
        }
        return first;
    }

    private void say(WebSocket ws, ChatRequest r) {
        RoomMember m = rooms.membership(ws, r.room());
        if (m == null) {
            ws.sendText(ChatMessages.error("not in room " + r.room()));
            return;
        }
        String nick = m.label();
        rooms.publish(r.room(), seq -> PreparedMessage.text(ChatMessages.message(r.room(), nick, r.text(), seq)))
                .exceptionally(e -> {
                    // With --redis, while Redis is unreachable: the message went nowhere, and the sender is told.
                    ws.sendText(ChatMessages.error("not sent: " + (e.getCause() != null ? e.getCause() : e)
                            .getMessage()));
                    return 0L;
                });
    }

    private void leave(WebSocket ws, ChatRequest r) {
        if (!rooms.leave(ws, r.room())) {
            ws.sendText(ChatMessages.error("not in room " + r.room()));
        }
    }

    private void who(WebSocket ws, ChatRequest r) {
        who.apply(r.room()).whenComplete((nicks, e) -> ws.sendText(e == null
                ? ChatMessages.members(r.room(), nicks)
                : ChatMessages.error("members unknown: " + (e.getCause() != null ? e.getCause() : e).getMessage())));
    }

    /** The members of {@code room} on this server, sorted by nick. */
    static CompletableFuture<List<String>> localMembers(Rooms rooms, String room) {
        List<String> nicks = new ArrayList<>();
        for (RoomMember m : rooms.members(room)) {
            nicks.add(m.label());
        }
        nicks.sort(null);
        return CompletableFuture.completedFuture(nicks);
    }
}
