package io.tagalong.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"X-Team", "x-amz-meta-team", "X-Goog-Meta-Team", "x_custom", "A!#$%&'*+-.^_`|~9"})
    void tokensThatAreNotReservedAreAllowed(String name) {
        assertNull(HeaderPolicy.nameProblem(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bad Name", "X(y)", "X:Y", "X\r\nY", "Ünicode", "X/Y", "\"quoted\""})
    void namesThatAreNotTokens(String name) {
        assertEquals("not a valid header name", HeaderPolicy.nameProblem(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host", "content-length", "Transfer-Encoding", "Connection", "TE", "Upgrade", "Expect",
            "Authorization", "proxy-authorization", "Cookie", "X-Amz-Security-Token",
            "x-amz-server-side-encryption-customer-key", "x-goog-encryption-key",
            "x-amz-date", "X-Amz-Content-SHA256", "x-amz-checksum-crc32", "x-goog-date", "Date", "Content-MD5"})
    void reservedNames(String name) {
        assertNotNull(HeaderPolicy.nameProblem(name));
    }

    /** The lists are searched by halves, ignoring case: each must be in that order, or a name in it could be missed. */
    @Test
    void everyListedNameIsFoundInAnyCase() {
        for (String[] list : new String[][] {HeaderPolicy.CONNECTION, HeaderPolicy.CREDENTIALS, HeaderPolicy.SIGNING}) {
            for (String name : list) {
                assertNotNull(HeaderPolicy.nameProblem(name), name);
                assertNotNull(HeaderPolicy.nameProblem(name.toLowerCase(java.util.Locale.ROOT)), name);
                assertNotNull(HeaderPolicy.nameProblem(name.toUpperCase(java.util.Locale.ROOT)), name);
            }
        }
        for (String name : HeaderPolicy.CHANGES_THE_REQUEST) {
            assertNotNull(HeaderPolicy.untrustedNameProblem(name.toLowerCase(java.util.Locale.ROOT)), name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ml\r\nX-Evil: 1", "a\nb", "a\rb", "nul\u0000", "bell\u0007", "del\u007f", "café", "",
            " leading", "trailing\t"})
    void valuesThatAreRefused(String value) {
        assertNotNull(HeaderPolicy.valueProblem(value));
    }

    @Test
    void valueSizeLimitIs4096Bytes() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4096; i++) sb.append('v');
        assertNull(HeaderPolicy.valueProblem(sb.toString()));
        assertNotNull(HeaderPolicy.valueProblem(sb.append('v').toString()));
        assertNull(HeaderPolicy.valueProblem("tab\tinside and spaces"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Team", "x-goog-meta-team", "x-goog-custom-audit-job", "x_under.dot-9"})
    void namesGrpcCarriesAsTextMetadata(String name) {
        assertNull(HeaderPolicy.grpcMetadataProblem(name));
        assertEquals(true, HeaderPolicy.isGrpcTextKey(name));
    }

    @Test
    void namesGrpcReservesOrCannotCarryAsText() {
        assertEquals("reserved (gRPC)", HeaderPolicy.grpcMetadataProblem("grpc-timeout"));
        assertEquals("reserved (gRPC)", HeaderPolicy.grpcMetadataProblem("Grpc-Tagalong"));
        assertEquals("reserved (gRPC: the channel sets it)", HeaderPolicy.grpcMetadataProblem("User-Agent"));
        assertEquals("a binary (-bin) gRPC metadata key", HeaderPolicy.grpcMetadataProblem("X-Trace-BIN"));
        assertEquals("a binary (-bin) gRPC metadata key", HeaderPolicy.grpcMetadataProblem("-bin"));
        for (String name : new String[] {"X!a", "a#b", "x~y", "a*", "x|y"}) { // HTTP tokens, not gRPC keys
            assertEquals("not a valid gRPC metadata key", HeaderPolicy.grpcMetadataProblem(name), name);
        }
        assertEquals(false, HeaderPolicy.isGrpcTextKey("x-trace-bin"));
        assertEquals(true, HeaderPolicy.isGrpcTextKey("bin"));
        assertEquals(true, HeaderPolicy.isGrpcTextKey("grpc-timeout")); // a text key, reserved
    }

    @Test
    void signatureSensitivePrefixes() {
        assertEquals(true, HeaderPolicy.isSignatureSensitive("X-Amz-Meta-Team"));
        assertEquals(true, HeaderPolicy.isSignatureSensitive("x-goog-meta-team"));
        assertEquals(false, HeaderPolicy.isSignatureSensitive("X-Team"));
    }
}
