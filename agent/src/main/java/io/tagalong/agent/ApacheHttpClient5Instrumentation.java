package io.tagalong.agent;

import java.util.Arrays;

/**
 * Apache HttpClient 5.x. Classic: httpcore5's {@code HttpRequestExecutor#execute} writes every request of every
 * classic client (each hop, retry and auth round) on the program's thread; its entry captures and applies. Async:
 * the exchange's first {@code AsyncExecChain.Scope}, built on the program's thread, captures into the exchange's
 * future (its state field), and the main client execs of HTTP/1.1 and HTTP/2 apply to each hop's request before the
 * I/O reactor writes it.
 */
final class ApacheHttpClient5Instrumentation {
    private ApacheHttpClient5Instrumentation() {}

    static final String NAME = "apache-httpclient-5";
    static final String HOOKS = "io/tagalong/helpers/apache5/ApacheHttpClient5Hooks";
    static final String ASYNC_HOOKS = "io/tagalong/helpers/apache5/ApacheHttpClient5AsyncHooks";
    static final String CONTEXT = "Lorg/apache/hc/core5/http/protocol/HttpContext;";
    static final String SCOPE_CLASS = "org/apache/hc/client5/http/async/AsyncExecChain$Scope";
    static final String SCOPE = "L" + SCOPE_CLASS + ";";
    static final String MAIN_EXEC_EXECUTE = "(Lorg/apache/hc/core5/http/HttpRequest;Lorg/apache/hc/core5/http/nio/AsyncEntityProducer;"
            + SCOPE + "Lorg/apache/hc/client5/http/async/AsyncExecChain;Lorg/apache/hc/client5/http/async/AsyncExecCallback;)V";

    static InstrumentationSpec spec() {
        MethodPatch execute = MethodPatch.atEntry("org/apache/hc/core5/http/impl/io/HttpRequestExecutor", "execute",
                "(Lorg/apache/hc/core5/http/ClassicHttpRequest;Lorg/apache/hc/core5/http/io/HttpClientConnection;"
                        + "Lorg/apache/hc/core5/http/io/HttpResponseInformationCallback;" + CONTEXT + ")Lorg/apache/hc/core5/http/ClassicHttpResponse;",
                new MethodPatch.Code()
                        .aload(1)
                        .invokestatic(HOOKS, "beforeExecute", "(Lorg/apache/hc/core5/http/HttpRequest;)V"));

        // The exchange's scopes: 5.1+ (the 6-argument constructor delegates to this one), else 5.0's.
        MethodPatch.Code onScope = new MethodPatch.Code()
                .aload(0)
                .invokestatic(ASYNC_HOOKS, "onScope", "(" + SCOPE + ")V");
        String scopeArgs = "Ljava/lang/String;Lorg/apache/hc/client5/http/HttpRoute;Lorg/apache/hc/core5/http/HttpRequest;"
                + "Lorg/apache/hc/core5/concurrent/CancellableDependency;Lorg/apache/hc/client5/http/protocol/HttpClientContext;"
                + "Lorg/apache/hc/client5/http/async/AsyncExecRuntime;";
        MethodPatch scope = MethodPatch.beforeReturn(SCOPE_CLASS, "<init>",
                "(" + scopeArgs + "Lorg/apache/hc/client5/http/async/AsyncExecChain$Scheduler;Ljava/util/concurrent/atomic/AtomicInteger;)V",
                onScope).inGroup("scope");
        MethodPatch scope50 = MethodPatch.beforeReturn(SCOPE_CLASS, "<init>", "(" + scopeArgs + ")V", onScope).inGroup("scope");

        MethodPatch.Code beforeSend = new MethodPatch.Code()
                .aload(1)
                .aload(3)
                .invokestatic(ASYNC_HOOKS, "beforeAsyncSend", "(Lorg/apache/hc/core5/http/HttpRequest;" + SCOPE + ")V");
        MethodPatch h1 = MethodPatch.atEntry("org/apache/hc/client5/http/impl/async/HttpAsyncMainClientExec", "execute",
                MAIN_EXEC_EXECUTE, beforeSend);
        MethodPatch h2 = MethodPatch.atEntry("org/apache/hc/client5/http/impl/async/H2AsyncMainClientExec", "execute",
                MAIN_EXEC_EXECUTE, beforeSend);

        return new InstrumentationSpec(NAME, Arrays.asList(execute, scope, scope50, h1, h2)).withHelpers(
                "io.tagalong.helpers.apache5.Apache5Request",
                "io.tagalong.helpers.apache5.ApacheHttpClient5Hooks",
                "io.tagalong.helpers.apache5.ApacheHttpClient5AsyncHooks")
                .withStateField("org/apache/hc/core5/concurrent/ComplexFuture");
    }
}
