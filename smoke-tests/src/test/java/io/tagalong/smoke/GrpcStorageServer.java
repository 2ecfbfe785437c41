package io.tagalong.smoke;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real gRPC server playing Cloud Storage v2 (apps/gcs-2's {@code io.tagalong.smoke.gcs.GrpcStorageServer}), one per
 * test class, its recorded calls cleared before each test. It runs in this JVM in a class loader of its own over that
 * module's class path (gRPC, protobuf and the storage protos stay off the tests' class path), reached through JDK
 * interfaces.
 */
final class GrpcStorageServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    static final String APP = "gcs-2";
    private URLClassLoader loader;
    private Object server;

    /** One received RPC: its full method name and its metadata (key to values; a -bin key's values in base64). */
    record Call(String method, Map<String, List<String>> metadata) {
        List<String> values(String key) {
            return metadata.getOrDefault(key.toLowerCase(), List.of());
        }

        boolean isStorage() {
            return method.startsWith("google.storage.v2.Storage/");
        }

        @Override
        public String toString() {
            return method + " " + metadata;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path target = AppClassPath.target(APP);
        List<URL> urls = new ArrayList<>();
        urls.add(target.resolve("classes").toUri().toURL());
        try (Stream<Path> jars = Files.list(target.resolve("lib"))) {
            for (Path jar : jars.sorted().toList()) urls.add(jar.toUri().toURL());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
        server = Class.forName("io.tagalong.smoke.gcs.GrpcStorageServer", true, loader).getConstructor().newInstance();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        server.getClass().getMethod("clear").invoke(server);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) ((AutoCloseable) server).close();
        if (loader != null) loader.close();
    }

    /** {@code 127.0.0.1:PORT}. */
    String target() {
        return "127.0.0.1:" + ((IntSupplier) server).getAsInt();
    }

    @SuppressWarnings("unchecked")
    List<Call> calls() {
        return ((Supplier<List<Map<String, List<String>>>>) server).get().stream()
                .map(m -> new Call(m.get(":path").get(0), m)).toList();
    }
}
