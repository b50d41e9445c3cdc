/**
 * permessage-deflate (RFC 7692): {@link io.duplex.core.deflate.PerMessageDeflate}, an
 * {@link io.duplex.core.ExtensionFactory} to pass to a server's or a client's extensions. The codecs are
 * implementation and live in a package the module does not export.
 */
package io.duplex.core.deflate;
