package io.tagalong.agent;

import java.util.Arrays;

/**
 * Apache HttpClient 4.x. Classic: httpcore's {@code HttpRequestExecutor#execute} writes every request of every classic
 * client (each hop, retry and auth round) on the program's thread; its entry captures and applies.
 * Async (HttpAsyncClient 4.1): {@code MainClientExec#prepare} captures on the program's thread into the exchange's
 * {@code InternalState} (its state field), and {@code generateRequest} applies to each hop's request just before it
 * is written.
 */
final class ApacheHttpClient4Instrumentation {
    private ApacheHttpClient4Instrumentation() {}

    static final String NAME = "apache-httpclient-4";
    static final String HOOKS = "io/tagalong/helpers/apache4/ApacheHttpClient4Hooks";
    static final String EXECUTOR = "org/apache/http/protocol/HttpRequestExecutor";
    static final String ASYNC_EXEC = "org/apache/http/impl/nio/client/MainClientExec";
    static final String ASYNC_STATE = "org/apache/http/impl/nio/client/InternalState";
    static final String REQUEST_AND_CONTEXT = "(Lorg/apache/http/HttpRequest;Lorg/apache/http/protocol/HttpContext;)V";

    static InstrumentationSpec spec() {
        MethodPatch execute = MethodPatch.atEntry(EXECUTOR, "execute",
                "(Lorg/apache/http/HttpRequest;Lorg/apache/http/HttpClientConnection;Lorg/apache/http/protocol/HttpContext;)Lorg/apache/http/HttpResponse;",
                requestAndArg3(HOOKS, "beforeExecute"));

        MethodPatch prepare = MethodPatch.atEntry(ASYNC_EXEC, "prepare",
                "(Lorg/apache/http/HttpHost;Lorg/apache/http/HttpRequest;L" + ASYNC_STATE + ";Lorg/apache/http/impl/nio/client/AbstractClientExchangeHandler;)V",
                new MethodPatch.Code()
                        .aload(3)
                        .invokestatic(HOOKS, "captureAsync", "(Ljava/lang/Object;)V"));

        MethodPatch generateRequest = MethodPatch.beforeReturn(ASYNC_EXEC, "generateRequest",
                "(L" + ASYNC_STATE + ";Lorg/apache/http/impl/nio/client/AbstractClientExchangeHandler;)Lorg/apache/http/HttpRequest;",
                new MethodPatch.Code()
                        .dup() // the request being returned
                        .aload(1)
                        .aload(1)
                        // InternalState -> its HttpClientContext (a package-private class, called from its own package)
                        .invokevirtual(ASYNC_STATE, "getLocalContext", "()Lorg/apache/http/client/protocol/HttpClientContext;")
                        .invokestatic(HOOKS, "beforeAsyncSend",
                                "(Lorg/apache/http/HttpRequest;Ljava/lang/Object;Lorg/apache/http/protocol/HttpContext;)V"));

        return new InstrumentationSpec(NAME, Arrays.asList(execute, prepare, generateRequest)).withHelpers(
                "io.tagalong.helpers.apache4.Apache4Request",
                "io.tagalong.helpers.apache4.ApacheHttpClient4Hooks")
                .withStateField(ASYNC_STATE);
    }

    /** {@code ALOAD 1; ALOAD 3; INVOKESTATIC owner.name(request, context)}. */
    private static MethodPatch.Code requestAndArg3(final String owner, final String name) {
        return new MethodPatch.Code()
                .aload(1)
                .aload(3)
                .invokestatic(owner, name, REQUEST_AND_CONTEXT);
    }
}
