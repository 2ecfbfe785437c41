package io.tagalong.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Names that the data (allow globs over baggage and MDC keys) may not choose, and the globs that would let it. */
class UntrustedNamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"x-amz-acl", "X-Amz-Grant-Full-Control", "x-amz-copy-source", "x-amz-website-redirect-location",
            "x-amz-tagging", "x-amz-storage-class", "x-amz-object-lock-mode", "x-amz-request-payer",
            "x-amz-metadata-directive", "x-goog-acl", "x-goog-copy-source", "x-goog-if-generation-match",
            "Cache-Control", "Content-Disposition", "Content-Language", "Expires", "If-Match", "if-none-match",
            "Range", "X-HTTP-Method-Override", "Referer", "User-Agent", "X-Forwarded-For", "x-minio-extract"})
    void namesThatChangeTheRequestAreRefusedFromTheData(String name) {
        assertNotNull(HeaderPolicy.untrustedNameProblem(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x-amz-meta-team", "X-Goog-Meta-Team", "x-goog-custom-audit-job", "X-Team", "X-Tenant-Id", "job"})
    void metadataAuditAndOwnNamesAreAllowedFromTheData(String name) {
        assertNull(HeaderPolicy.untrustedNameProblem(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "x-*", "x-amz-*", "X-AMZ-GRANT-*", "if-*", "x-goog-*", "*-acl", "cache-*"})
    void globsThatLetTheDataChooseARefusedNameAreFound(String pattern) {
        assertNotNull(HeaderPolicy.refusedMatch(new Glob(pattern)), pattern);
    }

    @Test
    void theConfigurationSaysWhichGlobsAndOperatorNamesReachRefusedNames() {
        Config c = Config.load(Map.of("tagalong.baggage.allow", "x-amz-*,X-Tenant-*", "tagalong.mdc.allow", "*",
                "tagalong.headers", "x-amz-storage-class=STANDARD_IA,X-Team=ml,x-amz-meta-team=ml",
                "tagalong.baggage.map", "acl=x-amz-acl"), Map.of());
        assertEquals(List.of(), c.problems(), "nothing is ignored");
        assertEquals(4, c.notes().size(), String.join("\n", c.notes()));
        assertTrue(c.notes().get(0).startsWith("tagalong.headers: header x-amz-storage-class changes"), c.notes().get(0));
        assertTrue(c.notes().get(1).startsWith("tagalong.baggage.map: header x-amz-acl changes"), c.notes().get(1));
        assertTrue(c.notes().get(2).startsWith("tagalong.baggage.allow: glob x-amz-* matches"), c.notes().get(2));
        assertTrue(c.notes().get(3).startsWith("tagalong.mdc.allow: glob * matches"), c.notes().get(3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x-amz-meta-*", "X-Tenant-*", "x-goog-custom-audit-*", "job", "X-My-Header-*"})
    void narrowGlobsAreNotReported(String pattern) {
        assertNull(HeaderPolicy.refusedMatch(new Glob(pattern)), pattern);
    }
}
