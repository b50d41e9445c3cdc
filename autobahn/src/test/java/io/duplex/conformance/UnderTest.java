package io.duplex.conformance;

/**
 * Names the endpoint under test. A section's nested classes pick it by implementing
 * {@link AgainstServer} or {@link AgainstClient}, so the same cases run against both.
 */
interface UnderTest {

    /** Which of our endpoints is under test. */
    enum Role { SERVER, CLIENT }

    Role role();

    /** Runs a section's cases against our server; the raw peer plays the client. */
    interface AgainstServer extends UnderTest {
        @Override
        default Role role() {
            return Role.SERVER;
        }
    }

    /** Runs a section's cases against our client; the raw peer plays the server. */
    interface AgainstClient extends UnderTest {
        @Override
        default Role role() {
            return Role.CLIENT;
        }
    }
}
