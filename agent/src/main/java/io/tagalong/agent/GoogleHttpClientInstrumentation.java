package io.tagalong.agent;

import java.util.Arrays;

/**
 * google-http-client's {@code HttpRequest}, which every transport below it executes (the Google Cloud Storage client
 * over HTTP/JSON, and any other user of the library): the headers are set on the request before the execute
 * interceptors and the transport run, so the layer below sees them present and the storage client's requests are
 * recognised whatever host they go to. See {@code GoogleHttpRequestHook}.
 */
final class GoogleHttpClientInstrumentation {
    private GoogleHttpClientInstrumentation() {}

    static final String NAME = "google-http-client";
    static final String REQUEST = "com/google/api/client/http/HttpRequest";
    static final String HOOK = "io/tagalong/helpers/googlehttp/GoogleHttpRequestHook";
    private static final String HOOK_DESCRIPTOR = "(L" + REQUEST + ";)V";

    static InstrumentationSpec spec() {
        MethodPatch execute = MethodPatch.atEntry(REQUEST, "execute", "()Lcom/google/api/client/http/HttpResponse;",
                callWithThis("beforeExecute"));
        // Before each return, with the boolean result left on the stack underneath the call.
        MethodPatch redirect = MethodPatch.beforeReturn(REQUEST, "handleRedirect",
                "(ILcom/google/api/client/http/HttpHeaders;)Z", callWithThis("afterRedirect"));
        MethodPatch executeAsync = MethodPatch.atEntry(REQUEST, "executeAsync",
                "(Ljava/util/concurrent/Executor;)Ljava/util/concurrent/Future;", callWithThis("beforeExecuteAsync"));
        return new InstrumentationSpec(NAME, Arrays.asList(execute, redirect, executeAsync))
                .withHelpers("io.tagalong.helpers.googlehttp.GoogleHttpHeaders",
                        "io.tagalong.helpers.googlehttp.GoogleHttpRequestHook$State",
                        "io.tagalong.helpers.googlehttp.GoogleHttpRequestHook")
                .withStateField(REQUEST);
    }

    /** {@code HOOK.method(this)} */
    private static MethodPatch.Code callWithThis(final String method) {
        return new MethodPatch.Code()
                .aload(0)
                .invokestatic(HOOK, method, HOOK_DESCRIPTOR);
    }
}
