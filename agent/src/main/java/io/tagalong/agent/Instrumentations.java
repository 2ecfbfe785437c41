package io.tagalong.agent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The instrumentations in this build. A new one is one file plus one line in each of {@link #CLASSES} and
 * {@link #spec}. A spec is built only when a class it names loads (a one-request program loads one of the ~35 named
 * classes), so the start-up path reads this table of constants and loads no instrumentation's classes; a start action
 * runs when a class of {@link #STARTED_BY} loads.
 */
final class Instrumentations {
    private Instrumentations() {}

    /**
     * Per instrumentation, in the order of {@link #spec}: its name, then the internal names of the classes it patches
     * or gives the state field (InstrumentationsTest checks them against the specs). Constants only: reading them
     * loads no class.
     */
    static final String[][] CLASSES = {
            {HttpUrlConnectionInstrumentation.NAME, HttpUrlConnectionInstrumentation.CONNECTION},
            {AwsSdk2Instrumentation.NAME, AwsSdk2Instrumentation.CHAIN, AwsSdk2Instrumentation.USER_AGENT_STAGE},
            {AwsSdk1Instrumentation.NAME, AwsSdk1Instrumentation.EXECUTOR},
            {OkHttpInstrumentation.NAME, "okhttp3/RealCall", "okhttp3/internal/connection/RealCall", OkHttpInstrumentation.CHAIN},
            {JavaHttpClientInstrumentation.NAME, JavaHttpClientInstrumentation.REQUEST_IMPL},
            {ApacheHttpClient4Instrumentation.NAME, ApacheHttpClient4Instrumentation.EXECUTOR,
                    ApacheHttpClient4Instrumentation.ASYNC_EXEC, ApacheHttpClient4Instrumentation.ASYNC_STATE},
            {ApacheHttpClient5Instrumentation.NAME, "org/apache/hc/core5/http/impl/io/HttpRequestExecutor",
                    ApacheHttpClient5Instrumentation.SCOPE_CLASS, "org/apache/hc/client5/http/impl/async/HttpAsyncMainClientExec",
                    "org/apache/hc/client5/http/impl/async/H2AsyncMainClientExec", "org/apache/hc/core5/concurrent/ComplexFuture"},
            {GoogleHttpClientInstrumentation.NAME, GoogleHttpClientInstrumentation.REQUEST},
            {OpenTelemetryInstrumentation.NAME, "io/opentelemetry/api/baggage/BaggageContextKey",
                    "io/opentelemetry/api/baggage/Baggage"},
            {MdcInstrumentation.NAME, MdcInstrumentation.MDC},
            {ExecutorsInstrumentation.NAME, ExecutorsInstrumentation.TPE, ExecutorsInstrumentation.STPE,
                    "java/util/concurrent/CompletableFuture$ThreadPerTaskExecutor", "java/lang/ThreadBuilders",
                    ExecutorsInstrumentation.FJP, ExecutorsInstrumentation.FJT},
            {SparkInstrumentation.NAME, SparkInstrumentation.DAG, SparkInstrumentation.CONTEXT, SparkInstrumentation.SQL_EXECUTION},
            {GrpcInstrumentation.NAME, GrpcInstrumentation.BUILDER},
    };

    /**
     * The instrumentations that also patch relocated (shaded) copies of their library, each with the root packages of
     * the library that its patches and helpers name (see {@link Relocation}). Not the JDK's clients, and not the MDC
     * and OpenTelemetry bridges: a program never writes to a driver's private copy of those.
     */
    static final String[][] RELOCATABLE = {
            {AwsSdk2Instrumentation.NAME, "software/amazon/awssdk/"},
            {AwsSdk1Instrumentation.NAME, "com/amazonaws/"},
            {OkHttpInstrumentation.NAME, "okhttp3/"},
            {ApacheHttpClient4Instrumentation.NAME, "org/apache/http/"},
            {ApacheHttpClient5Instrumentation.NAME, "org/apache/hc/"},
            {GoogleHttpClientInstrumentation.NAME, "com/google/api/client/", "com/google/cloud/storage/"},
            {GrpcInstrumentation.NAME, "io/grpc/"},
    };

    /**
     * Libraries whose older versions lack the class the patches need: per instrumentation, a class every version has
     * and loads when the library is used, and the class needed. When the first loads from a class loader that has no
     * second, one line says so, rather than missing that version silently (a class that is there but has another
     * shape is reported when it loads).
     */
    static final String[][] REQUIRED = {
            {AwsSdk1Instrumentation.NAME, "com/amazonaws/AmazonWebServiceClient", AwsSdk1Instrumentation.EXECUTOR},
            {GrpcInstrumentation.NAME, "io/grpc/ManagedChannelBuilder", GrpcInstrumentation.BUILDER},
    };

    /**
     * Start actions that wait for a class: per instrumentation, classes whose loading (or having loaded before the
     * agent started) runs its spec's start action, once. The OpenTelemetry Java agent's baggage reader is registered
     * when that agent is there (its main class, or its copy of the baggage API): a program without it pays nothing.
     */
    static final String[][] STARTED_BY = {
            {OpenTelemetryInstrumentation.NAME, OpenTelemetryInstrumentation.AGENT_MAIN, OpenTelemetryInstrumentation.AGENT_BAGGAGE},
    };

    /**
     * Per instrumentation that gives a class of java.base the state field (and the hooks' interfaces with it): a class
     * of java.base loaded at start, through the transformer, as an unchanged copy. The JVM then lets java.base read the
     * hooks' module (java.lang.instrument, "Instrumenting code in modules"), which the patched class needs when it is
     * defined, without Instrumentation.redefineModule, whose lambdas cost ~10 ms of a start. HttpURLConnection's
     * superclass: loaded with it anyway. If it is loaded already, java.base is redefined when the class loads.
     */
    static final String[][] READS_HOOKS_THROUGH = {
            {HttpUrlConnectionInstrumentation.NAME, "java/net/HttpURLConnection"},
    };

    /** The root packages of instrumentation {@code name}'s library, or null if its copies are not instrumented. */
    static String[] relocatableRoots(String name) {
        for (String[] row : RELOCATABLE) {
            if (row[0].equals(name)) return Arrays.copyOfRange(row, 1, row.length);
        }
        return null;
    }

    /** The spec of instrumentation {@code i} (a row of {@link #CLASSES}): built on each call. */
    static InstrumentationSpec spec(int i) {
        switch (i) {
            case 0: return HttpUrlConnectionInstrumentation.spec();
            case 1: return AwsSdk2Instrumentation.spec();
            case 2: return AwsSdk1Instrumentation.spec();
            case 3: return OkHttpInstrumentation.spec();
            case 4: return JavaHttpClientInstrumentation.spec();
            case 5: return ApacheHttpClient4Instrumentation.spec();
            case 6: return ApacheHttpClient5Instrumentation.spec();
            case 7: return GoogleHttpClientInstrumentation.spec();
            case 8: return OpenTelemetryInstrumentation.spec();
            case 9: return MdcInstrumentation.spec();
            case 10: return ExecutorsInstrumentation.spec();
            case 11: return SparkInstrumentation.spec();
            case 12: return GrpcInstrumentation.spec();
            default: throw new IllegalArgumentException("no instrumentation " + i);
        }
    }

    /** The row of {@link #CLASSES} of instrumentation {@code name}, or -1. */
    static int row(String name) {
        for (int i = 0; i < CLASSES.length; i++) {
            if (CLASSES[i][0].equals(name)) return i;
        }
        return -1;
    }

    /** Every instrumentation's spec (the self-check and the tests). */
    static List<InstrumentationSpec> all() {
        List<InstrumentationSpec> all = new ArrayList<InstrumentationSpec>();
        for (int i = 0; i < CLASSES.length; i++) {
            all.add(spec(i));
        }
        return all;
    }
}
