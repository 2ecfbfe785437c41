package io.tagalong.helpers.awssdk2;

import io.tagalong.bootstrap.Log;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Called at the entry of {@code ExecutionInterceptorChain(List)}, which every SDK v2 client (and the presigner)
 * builds for each call: the chain gets the Tagalong interceptor appended, after the program's and the SDK's own,
 * so it sees the request as they left it, and before the signer.
 */
public final class Interceptors {
    private Interceptors() {}

    public static List<ExecutionInterceptor> withTagalong(List<ExecutionInterceptor> interceptors) {
        try {
            if (interceptors == null || interceptors.contains(TagalongExecutionInterceptor.INSTANCE)) return interceptors;
            List<ExecutionInterceptor> all = new ArrayList<ExecutionInterceptor>(interceptors.size() + 1);
            all.addAll(interceptors);
            all.add(TagalongExecutionInterceptor.INSTANCE);
            return all;
        } catch (Throwable t) {
            Log.warnOnce("aws-sdk-2-chain", "aws-sdk-2: a client's interceptors were left unchanged (" + t.getClass().getSimpleName() + ")");
            return interceptors;
        }
    }
}
