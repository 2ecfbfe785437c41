package io.tagalong.agent;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.Arrays;

/**
 * Apache HttpClient 5.x. Classic: httpcore5's {@code HttpRequestExecutor#execute} writes every request of every
 * classic client (each hop, retry and auth round) on the program's thread; its entry captures and applies. Async:
 * {@code InternalAbstractHttpAsyncClient#doExecute} captures on the program's thread into the exchange's context
 * (a new one when the program passed none), and the main client execs of HTTP/1.1 and HTTP/2 apply to each hop's
 * request before the I/O reactor writes it.
 */
final class ApacheHttpClient5Instrumentation {
    private ApacheHttpClient5Instrumentation() {}

    static final String NAME = "apache-httpclient-5";
    static final String HOOKS = "io/tagalong/helpers/apache5/ApacheHttpClient5Hooks";
    static final String ASYNC_HOOKS = "io/tagalong/helpers/apache5/ApacheHttpClient5AsyncHooks";
    static final String CONTEXT = "Lorg/apache/hc/core5/http/protocol/HttpContext;";
    static final String SCOPE = "Lorg/apache/hc/client5/http/async/AsyncExecChain$Scope;";
    static final String MAIN_EXEC_EXECUTE = "(Lorg/apache/hc/core5/http/HttpRequest;Lorg/apache/hc/core5/http/nio/AsyncEntityProducer;"
            + SCOPE + "Lorg/apache/hc/client5/http/async/AsyncExecChain;Lorg/apache/hc/client5/http/async/AsyncExecCallback;)V";

    static InstrumentationSpec spec() {
        MethodPatch execute = MethodPatch.atEntry("org/apache/hc/core5/http/impl/io/HttpRequestExecutor", "execute",
                "(Lorg/apache/hc/core5/http/ClassicHttpRequest;Lorg/apache/hc/core5/http/io/HttpClientConnection;"
                        + "Lorg/apache/hc/core5/http/io/HttpResponseInformationCallback;" + CONTEXT + ")Lorg/apache/hc/core5/http/ClassicHttpResponse;",
                new MethodPatch.Code() {
                    @Override
                    public void emit(MethodVisitor method) {
                        method.visitVarInsn(Opcodes.ALOAD, 1);
                        method.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "beforeExecute",
                                "(Lorg/apache/hc/core5/http/HttpRequest;)V", false);
                    }
                });

        MethodPatch doExecute = MethodPatch.atEntry("org/apache/hc/client5/http/impl/async/InternalAbstractHttpAsyncClient", "doExecute",
                "(Lorg/apache/hc/core5/http/HttpHost;Lorg/apache/hc/core5/http/nio/AsyncRequestProducer;"
                        + "Lorg/apache/hc/core5/http/nio/AsyncResponseConsumer;Lorg/apache/hc/core5/http/nio/HandlerFactory;"
                        + CONTEXT + "Lorg/apache/hc/core5/concurrent/FutureCallback;)Ljava/util/concurrent/Future;",
                new MethodPatch.Code() {
                    @Override
                    public void emit(MethodVisitor method) {
                        // context = captureAsync(context): the same context, or a new one to carry the capture
                        method.visitVarInsn(Opcodes.ALOAD, 5);
                        method.visitMethodInsn(Opcodes.INVOKESTATIC, ASYNC_HOOKS, "captureAsync", "(" + CONTEXT + ")" + CONTEXT, false);
                        method.visitVarInsn(Opcodes.ASTORE, 5);
                    }
                });

        MethodPatch.Code beforeSend = new MethodPatch.Code() {
            @Override
            public void emit(MethodVisitor method) {
                method.visitVarInsn(Opcodes.ALOAD, 1);
                method.visitVarInsn(Opcodes.ALOAD, 3);
                method.visitMethodInsn(Opcodes.INVOKESTATIC, ASYNC_HOOKS, "beforeAsyncSend",
                        "(Lorg/apache/hc/core5/http/HttpRequest;" + SCOPE + ")V", false);
            }
        };
        MethodPatch h1 = MethodPatch.atEntry("org/apache/hc/client5/http/impl/async/HttpAsyncMainClientExec", "execute",
                MAIN_EXEC_EXECUTE, beforeSend);
        MethodPatch h2 = MethodPatch.atEntry("org/apache/hc/client5/http/impl/async/H2AsyncMainClientExec", "execute",
                MAIN_EXEC_EXECUTE, beforeSend);

        return new InstrumentationSpec(NAME, Arrays.asList(execute, doExecute, h1, h2)).withHelpers(
                "io.tagalong.helpers.apache5.Apache5Request",
                "io.tagalong.helpers.apache5.ApacheHttpClient5Hooks",
                "io.tagalong.helpers.apache5.ApacheHttpClient5AsyncHooks");
    }
}
