package io.tagalong.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tagalong.StorageHeaders;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StorageHeadersTest {

    @Test
    void scopesNestInnerWinsAndCloseInReverse() {
        try (StorageHeaders.Scope outer = StorageHeaders.with("X-Team", "ml")) {
            Map<String, String> two = new LinkedHashMap<>();
            two.put("x-team", "inner");
            two.put("X-Job", "7");
            try (StorageHeaders.Scope inner = StorageHeaders.with(two)) {
                assertEquals("{X-Team=inner, X-Job=7}", StorageHeaders.current().toString());
            }
            assertEquals("{X-Team=ml}", StorageHeaders.current().toString());
        }
        assertEquals(Collections.emptyMap(), StorageHeaders.current());
    }

    @Test
    void closingOutOfOrderLeavesNothingBehind() {
        StorageHeaders.Scope outer = StorageHeaders.with("X-A", "1");
        StorageHeaders.Scope inner = StorageHeaders.with("X-B", "2");
        outer.close();
        assertEquals("{X-A=1, X-B=2}", StorageHeaders.current().toString());
        inner.close();
        assertEquals(Collections.emptyMap(), StorageHeaders.current());
        inner.close(); // twice is harmless
        assertEquals(Collections.emptyMap(), StorageHeaders.current());
    }

    @Test
    void wrapCarriesHeadersToAnotherThreadAndThePooledThreadKeepsNone() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<Map<String, String>> inTask = new AtomicReference<>();
            Runnable task;
            try (StorageHeaders.Scope ignored = StorageHeaders.with("X-Team", "ml")) {
                task = StorageHeaders.wrap(() -> inTask.set(StorageHeaders.current()));
            }
            pool.submit(task).get();
            assertEquals("{X-Team=ml}", inTask.get().toString());
            assertEquals(Collections.emptyMap(), pool.submit(StorageHeaders::current).get());
            try (StorageHeaders.Scope ignored = StorageHeaders.with("X-Job", "9")) {
                assertEquals("{X-Job=9}", pool.submit(StorageHeaders.wrap(StorageHeaders::current)).get().toString());
            }
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void nullEntriesAreIgnored() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(null, "x");
        m.put("X-Ok", "1");
        m.put("X-Null", null);
        try (StorageHeaders.Scope ignored = StorageHeaders.with(m)) {
            assertEquals("{X-Ok=1}", StorageHeaders.current().toString());
        }
    }
}
