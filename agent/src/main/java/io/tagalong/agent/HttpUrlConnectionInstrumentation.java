package io.tagalong.agent;

import java.util.Collections;

/**
 * {@code sun.net.www.protocol.http.HttpURLConnection#writeRequests()} runs for every hop, redirect and retry, before
 * the request line is written: its entry hands the connection and its request headers to the hook.
 */
final class HttpUrlConnectionInstrumentation {
    private HttpUrlConnectionInstrumentation() {}

    static final String NAME = "http-url-connection";
    static final String CONNECTION = "sun/net/www/protocol/http/HttpURLConnection";
    static final String HOOK = "io/tagalong/instrumentation/httpurlconnection/HttpUrlConnectionHook";
    static final String HOOK_METHOD = "beforeWriteRequests";
    static final String HOOK_DESCRIPTOR = "(Ljava/net/HttpURLConnection;Ljava/lang/Object;)V";

    static InstrumentationSpec spec() {
        MethodPatch writeRequests = MethodPatch.atEntry(CONNECTION, "writeRequests", "()V", new MethodPatch.Code()
                .aload(0)
                .aload(0)
                .getfield(CONNECTION, "requests", "Lsun/net/www/MessageHeader;")
                .invokestatic(HOOK, HOOK_METHOD, HOOK_DESCRIPTOR)).requiresField("requests", "Lsun/net/www/MessageHeader;");
        return new InstrumentationSpec(NAME, Collections.singletonList(writeRequests), "java.base/sun.net.www")
                .withStateField(CONNECTION);
    }
}
