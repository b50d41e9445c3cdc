package io.duplex.core.engine;

import io.duplex.core.Extension;
import io.duplex.core.ExtensionFactory;
import io.duplex.core.ExtensionOffer;
import io.duplex.core.HandshakeException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test-only extension {@code x-fake} claiming RSV1 with one optional parameter {@code level} (a digit).
 * The server accepts the first offer whose level is at most {@code maxLevel}, fails the handshake on a
 * non-digit level, and echoes the accepted offer's parameters. The client refuses a level above 9.
 */
final class FakeExtensionFactory implements ExtensionFactory {

    private final String name;
    private final int rsv;
    private final int maxLevel;
    private final List<ExtensionOffer> offers;

    FakeExtensionFactory(String name, int rsv, int maxLevel, List<ExtensionOffer> offers) {
        this.name = name;
        this.rsv = rsv;
        this.maxLevel = maxLevel;
        this.offers = offers;
    }

    static FakeExtensionFactory standard() {
        return new FakeExtensionFactory("x-fake", 4, 5, List.of(
                ExtensionOffer.of("x-fake", Map.of("level", "7")), ExtensionOffer.of("x-fake", Map.of("level", "3")),
                ExtensionOffer.of("x-fake")));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Extension accept(List<ExtensionOffer> offered) throws HandshakeException {
        for (ExtensionOffer o : offered) {
            String level = o.parameters().get("level");
            if (level != null && !(level.length() == 1 && Character.isDigit(level.charAt(0)))) {
                throw new HandshakeException(400, "bad level");
            }
            if (level == null || level.charAt(0) - '0' <= maxLevel) {
                return new Fake(ExtensionOffer.of(name, new LinkedHashMap<>(o.parameters())), rsv);
            }
        }
        return null;
    }

    @Override
    public List<ExtensionOffer> offers() {
        return offers;
    }

    @Override
    public Extension accepted(ExtensionOffer response) throws HandshakeException {
        String level = response.parameters().get("level");
        if (level != null && !level.matches("[0-9]")) {
            throw new HandshakeException(0, "bad level");
        }
        return new Fake(response, rsv);
    }

    record Fake(ExtensionOffer negotiated, int rsvBits) implements Extension {
    }
}
