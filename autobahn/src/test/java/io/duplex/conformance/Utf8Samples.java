package io.duplex.conformance;

import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Byte sequences for the UTF-8 cases of section 6, annotated by hand from RFC 3629 §3–4 (and Markus Kuhn's
 * classic stress-test categories that the Autobahn suite follows). The cases cross-check each annotation
 * with the JDK's strict decoder, an oracle independent of the validator under test.
 */
final class Utf8Samples {

    private Utf8Samples() {
    }

    /** Well-formed UTF-8: name and hex bytes. Noncharacters are well-formed and must be accepted. */
    static Stream<Arguments> valid() {
        return Stream.of(
                sample("6.5.1 κόσμε", "CEBAE1BDB9CF83CEBCCEB5"),
                sample("6.7.1 U+0000, first 1-byte", "00"),
                sample("6.7.2 U+0080, first 2-byte", "C280"),
                sample("6.7.3 U+0800, first 3-byte", "E0A080"),
                sample("6.7.4 U+10000, first 4-byte", "F0908080"),
                sample("6.9.1 U+007F, last 1-byte", "7F"),
                sample("6.9.2 U+07FF, last 2-byte", "DFBF"),
                sample("6.9.3 U+FFFF, last 3-byte", "EFBFBF"),
                sample("6.9.4 U+10FFFF, last code point", "F48FBFBF"),
                sample("6.11.1 U+D7FF, below the surrogates", "ED9FBF"),
                sample("6.11.2 U+E000, above the surrogates", "EE8080"),
                sample("6.11.3 U+FFFD, replacement character", "EFBFBD"),
                sample("6.22.1 U+FFFE, noncharacter", "EFBFBE"),
                sample("6.22.2 U+FDD0, noncharacter", "EFB790"),
                sample("6.22.3 U+1FFFE, noncharacter", "F09FBFBE"),
                sample("6.22.4 U+10FFFE, noncharacter", "F48FBFBE"),
                sample("6.23.1 U+1F600 between ASCII", "41F09F989842"),
                sample("6.2.1 Hello-µ@ßöäüàá-UTF-8!!",
                        "48656C6C6F2DC2B540C39FC3B6C3A4C3BCC3A0C3A12D5554462D382121"));
    }

    /** Ill-formed UTF-8: name and hex bytes. */
    static Stream<Arguments> invalid() {
        return Stream.of(
                sample("6.3.1 κόσμε, a surrogate, edited", "CEBAE1BDB9CF83CEBCCEB5EDA080656469746564"),
                sample("6.8.1 5-byte sequence", "F888808080"),
                sample("6.8.2 6-byte sequence", "FC8480808080"),
                sample("6.10.1 U+110000, above the last code point", "F4908080"),
                sample("6.10.2 U+1FFFFF", "F7BFBFBF"),
                sample("6.12.1 lone continuation 0x80", "80"),
                sample("6.12.2 lone continuation 0xBF", "BF"),
                sample("6.12.3 two continuations", "80BF"),
                sample("6.12.4 continuation after ASCII", "4180"),
                sample("6.13.1 2-byte start then space", "C220"),
                sample("6.13.2 3-byte start then space", "E020"),
                sample("6.13.3 4-byte start then space", "F020"),
                sample("6.13.4 3-byte sequence cut by ASCII", "E1BD41"),
                sample("6.14.1 2-byte sequence without its last byte", "C2"),
                sample("6.14.2 3-byte sequence without its last byte", "E0A0"),
                sample("6.14.3 4-byte sequence without its last byte", "F09080"),
                sample("6.14.4 U+10FFFF without its last byte", "F48FBF"),
                sample("6.14.5 κόσμε then a cut 2-byte sequence", "CEBAE1BDB9CF83CEBCCEB5CE"),
                sample("6.16.1 impossible byte 0xFE", "FE"),
                sample("6.16.2 impossible byte 0xFF", "FF"),
                sample("6.16.3 0xFE 0xFE 0xFF 0xFF", "FEFEFFFF"),
                sample("6.17.1 overlong '/' in 2 bytes", "C0AF"),
                sample("6.17.2 overlong '/' in 3 bytes", "E080AF"),
                sample("6.17.3 overlong '/' in 4 bytes", "F08080AF"),
                sample("6.17.4 largest overlong 2-byte", "C1BF"),
                sample("6.17.5 largest overlong 3-byte", "E09FBF"),
                sample("6.17.6 largest overlong 4-byte", "F08FBFBF"),
                sample("6.17.7 overlong NUL in 2 bytes", "C080"),
                sample("6.17.8 overlong NUL in 3 bytes", "E08080"),
                sample("6.19.1 surrogate U+D800", "EDA080"),
                sample("6.19.2 surrogate U+DB7F", "EDADBF"),
                sample("6.19.3 surrogate U+DB80", "EDAE80"),
                sample("6.19.4 surrogate U+DBFF", "EDAFBF"),
                sample("6.19.5 surrogate U+DC00", "EDB080"),
                sample("6.19.6 surrogate U+DF80", "EDBE80"),
                sample("6.19.7 surrogate U+DFFF", "EDBFBF"),
                sample("6.20.1 paired surrogates U+D800 U+DC00", "EDA080EDB080"),
                sample("6.20.2 paired surrogates U+DBFF U+DFFF", "EDAFBFEDBFBF"));
    }

    private static Arguments sample(String name, String hex) {
        return Arguments.of(name, HexFormat.of().parseHex(hex));
    }
}
