package io.duplex.core.internal.handshake;

import io.duplex.core.Extension;
import io.duplex.core.ExtensionFactory;
import io.duplex.core.ExtensionOffer;
import io.duplex.core.HandshakeException;
import io.duplex.core.HttpHeaders;
import io.duplex.core.internal.http.ExtensionHeaderParser;
import io.duplex.core.internal.http.HeaderSyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The extensions in use on a connection and the {@code Sec-WebSocket-Extensions} value that agreed them
 * (RFC 6455 §9.1), as negotiated by the server or checked by the client.
 *
 * @param extensions the extensions in the order of the response header
 * @param header the response header value, empty when none
 */
public record NegotiatedExtensions(List<Extension> extensions, String header) {

    /** Caps on the client's offer, so that a request cannot make the server build large structures. */
    public static final int MAX_ELEMENTS = 16;
    /** The most parameters in one element. */
    public static final int MAX_PARAMS = 16;

    private static final NegotiatedExtensions NONE = new NegotiatedExtensions(List.of(), "");

    /** No extensions: one shared instance, as most connections negotiate none. */
    public static NegotiatedExtensions none() {
        return NONE;
    }

    /**
     * Server side: offers each extension name the client mentions, in the client's order of first mention, to
     * the factory of that name; an accepted extension whose RSV bits an earlier one claims is dropped.
     *
     * @throws HandshakeException 400 for a malformed header or an offer a factory finds invalid; 500 when a
     *     factory answers with another extension's name
     */
    public static NegotiatedExtensions negotiate(List<ExtensionFactory> factories, HttpHeaders request)
            throws HandshakeException {
        // Without both sides there is nothing to negotiate: allocate nothing.
        if (factories.isEmpty() || !request.contains("Sec-WebSocket-Extensions")) {
            return NONE;
        }
        List<String> values = request.all("Sec-WebSocket-Extensions");
        List<ExtensionOffer> offers;
        try {
            offers = ExtensionHeaderParser.parseOffers(values, MAX_ELEMENTS, MAX_PARAMS, ExtensionOffer::of);
        } catch (HeaderSyntaxException e) {
            throw new HandshakeException(400, e.getMessage());
        }
        Set<String> names = new LinkedHashSet<>();
        for (ExtensionOffer o : offers) {
            names.add(o.name());
        }
        List<Extension> accepted = new ArrayList<>();
        int claimed = 0;
        for (String name : names) {
            ExtensionFactory factory = find(factories, name);
            if (factory == null) {
                continue;
            }
            List<ExtensionOffer> group = new ArrayList<>();
            for (ExtensionOffer o : offers) {
                if (o.name().equals(name)) {
                    group.add(o);
                }
            }
            Extension e = factory.accept(List.copyOf(group));
            if (e == null || (e.rsvBits() & claimed) != 0) {
                continue;
            }
            if (!e.negotiated().name().equals(name)) {
                throw new HandshakeException(500, "extension " + name + " answered as " + e.negotiated().name());
            }
            claimed |= e.rsvBits();
            accepted.add(e);
        }
        return of(accepted);
    }

    /**
     * Client side: every element of the server's response must name an extension the client offered, at most
     * once, be accepted by its factory and claim RSV bits no other does.
     *
     * @throws HandshakeException status 0 when the response is unacceptable
     */
    public static NegotiatedExtensions check(List<ExtensionFactory> factories, HttpHeaders response)
            throws HandshakeException {
        List<String> values = response.all("Sec-WebSocket-Extensions");
        if (values.isEmpty()) {
            return NONE;
        }
        List<ExtensionOffer> elements;
        try {
            elements = ExtensionOffer.parse(values, MAX_ELEMENTS, MAX_PARAMS);
        } catch (HandshakeException e) {
            throw new HandshakeException(0, e.getMessage());
        }
        List<Extension> accepted = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        int claimed = 0;
        for (ExtensionOffer element : elements) {
            ExtensionFactory factory = find(factories, element.name());
            if (factory == null) {
                throw new HandshakeException(0, "server answered extension " + element.name() + " not offered");
            }
            if (!seen.add(element.name())) {
                throw new HandshakeException(0, "server answered extension " + element.name() + " twice");
            }
            Extension e = factory.accepted(element);
            if (e == null) {
                throw new HandshakeException(0, "extension " + element.name() + " refused the server's answer");
            }
            if ((e.rsvBits() & claimed) != 0) {
                throw new HandshakeException(0, "extension " + element.name() + " claims an RSV bit already in use");
            }
            claimed |= e.rsvBits();
            accepted.add(e);
        }
        return of(accepted);
    }

    private static NegotiatedExtensions of(List<Extension> accepted) {
        if (accepted.isEmpty()) {
            return NONE;
        }
        StringBuilder header = new StringBuilder();
        for (Extension e : accepted) {
            if (header.length() > 0) {
                header.append(", ");
            }
            header.append(e.negotiated());
        }
        return new NegotiatedExtensions(List.copyOf(accepted), header.toString());
    }

    private static ExtensionFactory find(List<ExtensionFactory> factories, String name) {
        for (ExtensionFactory f : factories) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }
}
