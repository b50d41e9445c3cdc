/**
 * The buffer sizes the API's pooled {@code BufferProvider} and the session's code agree on. Imports nothing of
 * the core, so that {@code io.duplex.core} can use it without a package cycle. Internal: not exported.
 */
package io.duplex.core.internal.buffer;
