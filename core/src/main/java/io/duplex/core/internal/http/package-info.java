/**
 * HTTP grammar helpers the API package uses (tokens, field values, the extension header, query and cookie
 * syntax, the reserved handshake fields). They import nothing of the core, so that {@code io.duplex.core} can
 * use them without a package cycle. Internal: not exported.
 */
package io.duplex.core.internal.http;
