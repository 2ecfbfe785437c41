package io.tagalong.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a Spark job carries from the submitting driver thread, and what an executor accepts of it. */
class SparkJobsTest {
    @RegisterExtension
    final CapturedStderr err = new CapturedStderr();

    static final String MAPS = "spark.jobGroup.id=X-Job-Group,spark.app.name=X-Spark-App,spark.user=X-Spark-User";

    @AfterEach
    void nothingLeftOnTheThread() {
        SparkJobs.taskEnded();
        assertEquals(0, ScopedHeaders.current().size());
    }

    private static Pipeline pipeline(String... props) {
        Map<String, String> p = new HashMap<>();
        for (int i = 0; i < props.length; i += 2) p.put(props[i], props[i + 1]);
        return new Pipeline(Config.load(p, new HashMap<String, String>()));
    }

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) p.setProperty(kv[i], kv[i + 1]);
        return p;
    }

    private static HeaderSet carried(Properties submitted, Pipeline executor) {
        String encoded = submitted.getProperty(SparkJobs.PROPERTY);
        return encoded == null ? HeaderSet.EMPTY : SparkJobs.decode(encoded, executor.config());
    }

    @Test
    void theSubmittingThreadsScopeBaggageAndMappedPropertiesTravelInACopy() {
        Pipeline p = pipeline("tagalong.baggage.map", "user=X-User", "tagalong.spark.map", MAPS, "tagalong.headers", "X-Static=1");
        PipelineTest.MapSource baggage = new PipelineTest.MapSource(ContextSource.Kind.BAGGAGE);
        p.register(baggage);
        Map<String, String> entries = new HashMap<>();
        entries.put("user", "bob");
        entries.put("unmapped", "x");
        baggage.current.set(entries);
        Properties job = props("spark.jobGroup.id", "group-a", "spark.app.name", "forged", "spark.user", "forged");
        Properties submitted;
        try (io.tagalong.StorageHeaders.Scope ignored = io.tagalong.StorageHeaders.with("X-Request-Id", "r-1,2%")) {
            submitted = SparkJobs.submitted(p, job, "app-1", "etl", "alice");
        } finally {
            baggage.current.remove();
        }

        assertNotSame(job, submitted);
        assertFalse(job.containsKey(SparkJobs.PROPERTY));
        assertEquals("{X-Job-Group=group-a, X-Spark-App=etl, X-Spark-User=alice, X-Request-Id=r-1,2%, X-User=bob}",
                carried(submitted, p).toMap().toString());
    }

    @Test
    void theContextWinsOverAMappedPropertyOfTheSameName() {
        Pipeline p = pipeline("tagalong.spark.map", "spark.jobGroup.id=X-Job");
        Properties submitted;
        try (io.tagalong.StorageHeaders.Scope ignored = io.tagalong.StorageHeaders.with("X-Job", "from-scope")) {
            submitted = SparkJobs.submitted(p, props("spark.jobGroup.id", "group"), "app", "name", "user");
        }
        assertEquals("from-scope", carried(submitted, p).get("X-Job"));
    }

    @Test
    void aJobWithNoContextKeepsItsPropertiesAndAForgedValueIsRemoved() {
        Pipeline p = pipeline();
        Properties plain = props("spark.jobGroup.id", "g");
        assertSame(plain, SparkJobs.submitted(p, plain, "a", "n", "u"));

        Properties forged = props(SparkJobs.PROPERTY, "X-Team=stolen");
        assertFalse(SparkJobs.submitted(p, forged, "a", "n", "u").containsKey(SparkJobs.PROPERTY));
        assertTrue(forged.containsKey(SparkJobs.PROPERTY)); // the job's own properties are never changed
    }

    @Test
    void theExecutorRechecksEveryNameAndTakesRequestChangingOnesOnlyWhenItMapsThem() {
        Pipeline executor = pipeline("tagalong.baggage.map", "class=x-amz-storage-class");
        String forged = "X-Team=ml,x-amz-acl=public-read,x-amz-storage-class=STANDARD_IA,Authorization=AWS4-HMAC-SHA256 x,"
                + "Range=bytes%3D0-1,x-amz-meta-team=ml,Bad Name=1,X-Ctl=a%0Db,X-Pct=%zz,noequals";

        HeaderSet accepted = SparkJobs.decode(forged, executor.config());

        assertEquals("{X-Team=ml, x-amz-storage-class=STANDARD_IA, x-amz-meta-team=ml}", accepted.toMap().toString());
        for (String refused : new String[] {"x-amz-acl", "Authorization", "Range", "X-Ctl", "X-Pct", "not name=value"}) {
            assertTrue(err.toString().contains(refused), refused + " in " + err);
        }
        assertFalse(err.toString().contains("public-read") || err.toString().contains("bytes="), err.toString());
    }

    @Test
    void aTaskThreadHasItsJobsHeadersUntilTheContextIsUnsetAndThenWhatItHadBefore() {
        Pipeline executor = pipeline();
        SparkJobs.taskStarted(executor, "X-Request-Id=r-1,X-Team=ml");
        assertEquals("{X-Request-Id=r-1, X-Team=ml}", ScopedHeaders.current().toMap().toString());

        SparkJobs.taskEnded();
        assertEquals(0, ScopedHeaders.current().size());

        SparkJobs.taskStarted(executor, "X-Request-Id=r-2");
        SparkJobs.taskStarted((String) null); // set again without unset (no agent pipeline here): the old one goes
        assertEquals(0, ScopedHeaders.current().size());
    }

    @Test
    void aTooLongPropertyIsIgnoredWhole() {
        StringBuilder sb = new StringBuilder("X-A=");
        while (sb.length() <= SparkJobs.MAX_ENCODED) sb.append('a');
        assertEquals(0, SparkJobs.decode(sb.toString(), pipeline().config()).size());
        assertTrue(err.toString().contains("longer than"), err.toString());
    }
}
