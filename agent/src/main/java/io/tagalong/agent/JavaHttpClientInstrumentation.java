package io.tagalong.agent;

import java.util.Arrays;

/**
 * {@code java.net.http.HttpClient} (JDK 11+): before the constructors of {@code jdk.internal.net.http.HttpRequestImpl}
 * that make a sent request return, {@code this.userHeaders = hook(this, this.userHeaders, previous)}. A constructor may
 * set its own final field, so the request's headers change without touching immutable objects. On a JVM without
 * java.net.http the class never loads and nothing happens.
 */
final class JavaHttpClientInstrumentation {
    private JavaHttpClientInstrumentation() {}

    static final String NAME = "java-http-client";
    static final String REQUEST_IMPL = "jdk/internal/net/http/HttpRequestImpl";
    static final String HOOK = "io/tagalong/instrumentation/javahttpclient/JavaHttpClientHook";
    static final String HEADERS = "Ljava/net/http/HttpHeaders;";

    static InstrumentationSpec spec() {
        return new InstrumentationSpec(NAME, Arrays.asList(
                // the first hop, in send/sendAsync on the program's thread
                userHeaders("(Ljava/net/http/HttpRequest;Ljava/net/ProxySelector;)V", -1),
                // redirect and authentication follow-ups: JDK 21+ (optional cross-origin header filter) ...
                userHeaders("(Ljava/net/URI;Ljava/lang/String;L" + REQUEST_IMPL + ";ZLjava/util/Optional;)V", 3).inGroup("follow-up"),
                // ... and JDK 11 to 17; on 21+ this one delegates to the one above, which is patched instead
                userHeaders("(Ljava/net/URI;Ljava/lang/String;L" + REQUEST_IMPL + ";Z)V", 3).inGroup("follow-up")))
                .withStateField(REQUEST_IMPL);
    }

    /** @param previousSlot the local holding the previous hop's request, or -1 for none */
    private static MethodPatch userHeaders(String constructor, int previousSlot) {
        MethodPatch.Code code = new MethodPatch.Code().aload(0).aload(0).aload(0).getfield(REQUEST_IMPL, "userHeaders", HEADERS);
        if (previousSlot < 0) {
            code.aconstNull();
        } else {
            code.aload(previousSlot);
        }
        // Object types: the hook is on the bootstrap class path, which cannot see java.net.http's loader
        code.invokestatic(HOOK, "userHeaders", "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;")
                .checkcast("java/net/http/HttpHeaders")
                .putfield(REQUEST_IMPL, "userHeaders", HEADERS);
        return MethodPatch.beforeReturn(REQUEST_IMPL, "<init>", constructor, code).requiresField("userHeaders", HEADERS);
    }
}
