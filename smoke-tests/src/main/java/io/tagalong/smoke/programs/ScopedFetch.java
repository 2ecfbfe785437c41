package io.tagalong.smoke.programs;

import io.tagalong.StorageHeaders;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Requests made inside {@link StorageHeaders} scopes. Arguments: a scenario and a base URL.
 * <ul>
 *   <li>{@code nested}: outer scope X-Team=outer and X-Outer=kept, inner scope X-Team=inner; GET base/nested.</li>
 *   <li>{@code wrap}: scope X-Team=ml; a StorageHeaders.wrap'ed task on a pool thread started before the
 *       scope does GET base/wrapped.</li>
 *   <li>{@code after-close}: scope X-Team=ml: GET base/in-scope; after closing it: GET base/after-close.</li>
 *   <li>{@code scope Name=value...}: GET base/in-scope inside a scope holding those headers, then
 *       GET base/outside.</li>
 * </ul>
 * Exit 3 when a request does not end with a 2xx status.
 */
public final class ScopedFetch {
    private ScopedFetch() {}

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        String base = args[1];
        switch (scenario) {
            case "nested":
                try (StorageHeaders.Scope outer = StorageHeaders.with(Map.of("X-Team", "outer", "X-Outer", "kept"));
                     StorageHeaders.Scope inner = StorageHeaders.with("X-Team", "inner")) {
                    System.out.println("current " + StorageHeaders.current());
                    get(base + "/nested");
                }
                break;
            case "wrap":
                ExecutorService pool = Executors.newSingleThreadExecutor();
                pool.submit(() -> {}).get(); // the pool thread exists before the scope opens
                try (StorageHeaders.Scope scope = StorageHeaders.with("X-Team", "ml")) {
                    pool.submit(StorageHeaders.wrap(() -> get(base + "/wrapped"))).get();
                }
                pool.shutdown();
                break;
            case "after-close":
                try (StorageHeaders.Scope scope = StorageHeaders.with("X-Team", "ml")) {
                    get(base + "/in-scope");
                }
                get(base + "/after-close");
                break;
            case "scope":
                Map<String, String> headers = new LinkedHashMap<>();
                for (int i = 2; i < args.length; i++) {
                    String[] nameValue = args[i].split("=", 2);
                    headers.put(nameValue[0], nameValue[1]);
                }
                try (StorageHeaders.Scope scope = StorageHeaders.with(headers)) {
                    get(base + "/in-scope");
                }
                get(base + "/outside");
                break;
            default:
                throw new IllegalArgumentException("unknown scenario " + scenario);
        }
    }

    private static void get(String url) {
        try {
            if (!Request.parse("GET " + url).send()) {
                System.exit(3);
            }
        } catch (java.io.IOException failed) {
            throw new java.io.UncheckedIOException(failed);
        }
    }
}
