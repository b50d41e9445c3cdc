/**
 * The sans-I/O engine, for transports and embedders that own their sockets:
 * {@link io.duplex.core.engine.ServerHandshake}
 * and {@link io.duplex.core.engine.ClientHandshake} run the opening handshake and give a
 * {@link io.duplex.core.engine.HandshakeResult}, from which {@link io.duplex.core.engine.Session} runs the protocol
 * (see {@code docs/embedding.md}). Built on the vocabulary of {@code io.duplex.core}, which never refers back to it:
 * an application that only writes handlers does not need this package.
 */
package io.duplex.core.engine;
