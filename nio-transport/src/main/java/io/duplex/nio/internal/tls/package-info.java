/**
 * TLS for the NIO transport as a sans-I/O layer over {@link javax.net.ssl.SSLEngine}: {@link
 * io.duplex.nio.internal.tls.TlsEngine} turns received network bytes into application bytes and application bytes into
 * network bytes, and never touches a socket or a thread. Internal to the transport: not exported.
 */
package io.duplex.nio.internal.tls;
