package io.tagalong.agent;

import java.util.Arrays;

/**
 * Every AWS SDK v1 call (AmazonS3 clients however built, TransferManager's part uploads, other services) goes through
 * {@code AmazonHttpClient.RequestExecutor#runBeforeRequestHandlers()} once, before the request handlers and before
 * the signer: its entry hands the request to the helper.
 */
final class AwsSdk1Instrumentation {
    private AwsSdk1Instrumentation() {}

    static final String NAME = "aws-sdk-1";
    static final String EXECUTOR = "com/amazonaws/http/AmazonHttpClient$RequestExecutor";
    static final String HELPER = "io/tagalong/helpers/awssdk1/RequestHook";

    static InstrumentationSpec spec() {
        MethodPatch beforeHandlers = MethodPatch.atEntry(EXECUTOR, "runBeforeRequestHandlers", "()V", new MethodPatch.Code()
                .aload(0)
                .getfield(EXECUTOR, "request", "Lcom/amazonaws/Request;")
                .invokestatic(HELPER, "beforeRequestHandlers", "(Lcom/amazonaws/Request;)V")).requiresField("request", "Lcom/amazonaws/Request;");
        // The SDK sets its User-Agent right after the handlers, and signs it later: the tagalong.user-agent element
        // decided above is appended as setUserAgent returns.
        MethodPatch userAgent = MethodPatch.beforeReturn(EXECUTOR, "setUserAgent", "(Lcom/amazonaws/Request;)V", new MethodPatch.Code()
                .aload(1)
                .invokestatic(HELPER, "afterUserAgent", "(Lcom/amazonaws/Request;)V"));
        return new InstrumentationSpec(NAME, Arrays.asList(beforeHandlers, userAgent)).withHelpers(
                "io.tagalong.helpers.awssdk1.RequestHook$View",
                "io.tagalong.helpers.awssdk1.RequestHook");
    }
}
