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

    static final String REQUEST_HEADERS = "io/tagalong/instrumentation/httpurlconnection/RequestHeaders";
    private static final String MESSAGE_HEADER = "Lsun/net/www/MessageHeader;";

    /**
     * The hook reads and writes the headers through {@code RequestHeaders} methods added to the connection class (in
     * java.base); only a connection class loaded before the agent, which keeps its shape, needs {@code sun.net.www}
     * exported to the hooks instead.
     */
    static InstrumentationSpec spec() {
        MethodPatch writeRequests = MethodPatch.atEntry(CONNECTION, "writeRequests", "()V", new MethodPatch.Code()
                .aload(0)
                .aload(0)
                .getfield(CONNECTION, "requests", MESSAGE_HEADER)
                .invokestatic(HOOK, HOOK_METHOD, HOOK_DESCRIPTOR)).requiresField("requests", MESSAGE_HEADER);
        return new InstrumentationSpec(NAME, Collections.singletonList(writeRequests), "java.base/sun.net.www")
                .withStateField(CONNECTION)
                .withDelegates(new InstrumentationSpec.Delegates(CONNECTION, REQUEST_HEADERS, "requests", MESSAGE_HEADER,
                        "findValue", "(Ljava/lang/String;)Ljava/lang/String;",
                        "remove", "(Ljava/lang/String;)V",
                        "add", "(Ljava/lang/String;Ljava/lang/String;)V",
                        "getHeaders", "()Ljava/util/Map;"));
    }
}
