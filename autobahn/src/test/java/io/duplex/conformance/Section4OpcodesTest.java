package io.duplex.conformance;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Nested;

/**
 * Autobahn section 4, opcodes (RFC 6455 §5.2): the reserved non-control opcodes 0x3–0x7 and control opcodes
 * 0xB–0xF fail the connection with 1002, with or without payload; what follows is neither echoed nor
 * answered.
 */
class Section4OpcodesTest {

    @Nested
    class OurServer extends Cases implements UnderTest.AgainstServer {
    }

    @Nested
    class OurClient extends Cases implements UnderTest.AgainstClient {
    }

    abstract static class Cases extends ConformanceTest {

        @ParameterizedTest(name = "case 4.1.{0}: reserved non-control opcode {0}, empty")
        @ValueSource(ints = {3, 4, 5, 6, 7})
        void case_4_1_reserved_non_control_empty(int opcode) throws Exception {
            RawPeer peer = open();
            assertFailsBetween(peer.frame(true, 0, opcode, new byte[0]), 1002);
        }

        @ParameterizedTest(name = "case 4.1.{0}b: reserved non-control opcode {0}, with payload")
        @ValueSource(ints = {3, 4, 5, 6, 7})
        void case_4_1_reserved_non_control_with_payload(int opcode) throws Exception {
            RawPeer peer = open();
            assertFailsBetween(peer.frame(true, 0, opcode, RawPeer.utf8("reserved opcode")), 1002);
        }

        @ParameterizedTest(name = "case 4.2.{0}: reserved control opcode {0}, empty")
        @ValueSource(ints = {0xB, 0xC, 0xD, 0xE, 0xF})
        void case_4_2_reserved_control_empty(int opcode) throws Exception {
            RawPeer peer = open();
            assertFailsBetween(peer.frame(true, 0, opcode, new byte[0]), 1002);
        }

        @ParameterizedTest(name = "case 4.2.{0}b: reserved control opcode {0}, with payload")
        @ValueSource(ints = {0xB, 0xC, 0xD, 0xE, 0xF})
        void case_4_2_reserved_control_with_payload(int opcode) throws Exception {
            RawPeer peer = open();
            assertFailsBetween(peer.frame(true, 0, opcode, RawPeer.utf8("reserved opcode")), 1002);
        }
    }
}
