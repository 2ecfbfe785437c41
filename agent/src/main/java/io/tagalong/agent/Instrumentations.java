package io.tagalong.agent;

import java.util.Arrays;
import java.util.List;

/** The instrumentations in this build. A new one is one file plus one line here. */
final class Instrumentations {
    private Instrumentations() {}

    static List<InstrumentationSpec> all() {
        return Arrays.asList(
                HttpUrlConnectionInstrumentation.spec(),
                AwsSdk2Instrumentation.spec(),
                AwsSdk1Instrumentation.spec(),
                OkHttpInstrumentation.spec(),
                JavaHttpClientInstrumentation.spec(),
                ApacheHttpClient4Instrumentation.spec(),
                ApacheHttpClient5Instrumentation.spec(),
                GoogleHttpClientInstrumentation.spec(),
                OpenTelemetryInstrumentation.spec(),
                MdcInstrumentation.spec(),
                ExecutorsInstrumentation.spec(),
                SparkInstrumentation.spec());
    }
}
