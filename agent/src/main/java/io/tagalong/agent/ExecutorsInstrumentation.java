package io.tagalong.agent;

import io.tagalong.bootstrap.StateField;

import java.util.ArrayList;
import java.util.List;

/**
 * StorageHeaders scopes follow work handed to JDK executors ({@code ExecutorsHook} at the jar root). Only entry
 * points: the task argument is replaced by a wrapper (when a scope is current), or a fork/join task is attached to the
 * scope and {@code ForkJoinTask.doExec} puts it in place around the run. Classes absent on a JDK (CompletableFuture's
 * thread-per-task executor after 17, ThreadBuilders before 19) are simply never loaded, so never patched.
 */
final class ExecutorsInstrumentation {
    private ExecutorsInstrumentation() {}

    static final String NAME = "executors";
    static final String HOOK = "io/tagalong/instrumentation/executors/ExecutorsHook";
    static final String RUNNABLE = "Ljava/lang/Runnable;";
    static final String CALLABLE = "Ljava/util/concurrent/Callable;";
    static final String TASK = "Ljava/util/concurrent/ForkJoinTask;";
    static final String UNIT = "Ljava/util/concurrent/TimeUnit;";
    static final String SCHEDULED = "Ljava/util/concurrent/ScheduledFuture;";
    static final String TPE = "java/util/concurrent/ThreadPoolExecutor";
    static final String STPE = "java/util/concurrent/ScheduledThreadPoolExecutor";
    static final String FJP = "java/util/concurrent/ForkJoinPool";
    static final String FJT = "java/util/concurrent/ForkJoinTask";

    static InstrumentationSpec spec() {
        List<MethodPatch> p = new ArrayList<MethodPatch>();
        // Thread pools: submit() builds a FutureTask and calls execute(); ScheduledThreadPoolExecutor's execute and
        // submit call schedule(), and it never calls ThreadPoolExecutor.execute: each task is wrapped once.
        p.add(replaceArg(TPE, "execute", "(" + RUNNABLE + ")V", 1, "wrap", RUNNABLE));
        p.add(replaceArg(STPE, "schedule", "(" + RUNNABLE + "J" + UNIT + ")" + SCHEDULED, 1, "wrap", RUNNABLE));
        p.add(replaceArg(STPE, "schedule", "(" + CALLABLE + "J" + UNIT + ")" + SCHEDULED, 1, "wrap", CALLABLE));
        p.add(replaceArg(STPE, "scheduleAtFixedRate", "(" + RUNNABLE + "JJ" + UNIT + ")" + SCHEDULED, 1, "wrap", RUNNABLE));
        p.add(replaceArg(STPE, "scheduleWithFixedDelay", "(" + RUNNABLE + "JJ" + UNIT + ")" + SCHEDULED, 1, "wrap", RUNNABLE));
        // CompletableFuture's executor when the common pool has parallelism 1 (JDK 17): a new thread per task.
        p.add(replaceArg("java/util/concurrent/CompletableFuture$ThreadPerTaskExecutor", "execute", "(" + RUNNABLE + ")V", 1, "wrap", RUNNABLE));
        // Every virtual thread (JDK 21+), whichever API created it.
        p.add(replaceArg("java/lang/ThreadBuilders", "newVirtualThread",
                "(Ljava/util/concurrent/Executor;Ljava/lang/String;I" + RUNNABLE + ")Ljava/lang/Thread;", 3, "wrapVirtual", RUNNABLE));
        // Fork/join: CompletableFuture's async tasks and parallel streams' subtasks are fork/join tasks.
        p.add(replaceArg(FJP, "execute", "(" + RUNNABLE + ")V", 1, "wrapForPool", RUNNABLE));
        p.add(replaceArg(FJP, "submit", "(" + RUNNABLE + ")" + TASK, 1, "wrapForPool", RUNNABLE));
        p.add(replaceArg(FJP, "submit", "(" + RUNNABLE + "Ljava/lang/Object;)" + TASK, 1, "wrapForPool", RUNNABLE));
        p.add(replaceArg(FJP, "submit", "(" + CALLABLE + ")" + TASK, 1, "wrap", CALLABLE));
        p.add(attach(FJP, "execute", "(" + TASK + ")V", 1));
        p.add(attach(FJP, "submit", "(" + TASK + ")" + TASK, 1));
        p.add(attach(FJP, "invoke", "(" + TASK + ")Ljava/lang/Object;", 1));
        p.add(attach(FJT, "fork", "()" + TASK, 0));
        String doExec = "()" + doExecReturn(System.getProperty("java.specification.version", ""));
        p.add(MethodPatch.around(FJT, "doExec", doExec, execCall("beforeExec"), execCall("afterExec")));
        return new InstrumentationSpec(NAME, p).withStateField(FJT);
    }

    /** {@code ALOAD n; INVOKESTATIC hook(T)T; ASTORE n}: the argument in slot n is replaced by what the hook returns. */
    private static MethodPatch replaceArg(String owner, String method, String descriptor, final int slot,
                                          String hook, String type) {
        return MethodPatch.atEntry(owner, method, descriptor, new MethodPatch.Code()
                .aload(slot)
                .invokestatic(HOOK, hook, "(" + type + ")" + type)
                .astore(slot));
    }

    private static MethodPatch attach(String owner, String method, String descriptor, int slot) {
        return MethodPatch.atEntry(owner, method, descriptor, taskCall("attach", slot));
    }

    private static MethodPatch.Code taskCall(String hook, int slot) {
        return new MethodPatch.Code()
                .aload(slot)
                .invokestatic(HOOK, hook, "(" + TASK + ")V");
    }

    /**
     * Around every fork/join task run: {@code hook(this, this.tagalong$state)} when the class has the field (a null
     * check in a small static method, which the JIT inlines: nearly free for the tasks that carry nothing), else
     * {@code hook(this)}, which looks the state up.
     */
    private static MethodPatch.Code execCall(String hook) {
        return new MethodPatch.Code().aload(0).invokestatic(HOOK, hook, "(" + TASK + ")V")
                .orWithStateField(new MethodPatch.Code().aload(0).aload(0).getfield(FJT, StateField.FIELD, "Ljava/lang/Object;")
                        .invokestatic(HOOK, hook, "(" + TASK + "Ljava/lang/Object;)V"));
    }

    /**
     * ForkJoinTask.doExec returns int up to JDK 18 and void since (JDK 19's jsr166 update); the patch names the one
     * this JDK has. Read from the version, not by reflection: reflecting on ForkJoinTask would load it and
     * ForkJoinPool before the transformer is installed, and retransforming both cost ~40 ms of every start.
     */
    static String doExecReturn(String specificationVersion) {
        try {
            String v = specificationVersion.startsWith("1.") ? specificationVersion.substring(2) : specificationVersion;
            return Integer.parseInt(v) >= 19 ? "V" : "I";
        } catch (RuntimeException e) {
            return "V";
        }
    }
}
