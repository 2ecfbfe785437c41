package io.tagalong.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-job context from the Spark driver to its tasks, through the job's local properties that Spark ships with every
 * task ({@code SparkHooks}, a helper defined next to Spark). On the driver, the properties argument of each way a job
 * is submitted is replaced by the hook's result; on executors, the job's headers are the thread's scope from
 * {@code TaskContext.setTaskContext} to {@code TaskContext.unset}, which Spark calls in the finally of every task run.
 * Spark 3.5 and 4.0; Scala 2.12 builds name {@code scala.collection.Seq} where 2.13 ones name the immutable one.
 */
final class SparkInstrumentation {
    private SparkInstrumentation() {}

    static final String NAME = "spark";
    static final String HELPER = "io/tagalong/helpers/spark/SparkHooks";
    static final String DAG = "org/apache/spark/scheduler/DAGScheduler";
    static final String CONTEXT = "org/apache/spark/TaskContext$";
    static final String SQL_EXECUTION = "org/apache/spark/sql/execution/SQLExecution$";
    static final String PROPERTIES = "Ljava/util/Properties;";
    static final String CALL_SITE = "Lorg/apache/spark/util/CallSite;";

    static InstrumentationSpec spec() {
        List<MethodPatch> p = new ArrayList<MethodPatch>();
        for (String seq : new String[] {"Lscala/collection/immutable/Seq;", "Lscala/collection/Seq;"}) {
            p.add(jobProperties("submitJob", "(Lorg/apache/spark/rdd/RDD;Lscala/Function2;" + seq + CALL_SITE
                    + "Lscala/Function2;" + PROPERTIES + ")Lorg/apache/spark/scheduler/JobWaiter;", 6).inGroup("submitJob"));
        }
        p.add(jobProperties("submitMapStage", "(Lorg/apache/spark/ShuffleDependency;Lscala/Function1;" + CALL_SITE
                + PROPERTIES + ")Lorg/apache/spark/scheduler/JobWaiter;", 4));
        p.add(jobProperties("runApproximateJob", "(Lorg/apache/spark/rdd/RDD;Lscala/Function2;"
                + "Lorg/apache/spark/partial/ApproximateEvaluator;" + CALL_SITE + "J" + PROPERTIES
                + ")Lorg/apache/spark/partial/PartialResult;", 7));
        // Spark SQL hands a query's adaptive stages, broadcasts and subqueries to pool threads through this one method.
        // (4.0: classic.SparkSession and a CompletableFuture; 3.5: sql.SparkSession and a Future).
        String[][] handOff = {{"classic/SparkSession", "CompletableFuture"}, {"SparkSession", "Future"}};
        for (String[] v : handOff) {
            p.add(MethodPatch.atEntry(SQL_EXECUTION, "withThreadLocalCaptured", "(Lorg/apache/spark/sql/" + v[0]
                    + ";Ljava/util/concurrent/ExecutorService;Lscala/Function0;)Ljava/util/concurrent/" + v[1] + ";",
                    new MethodPatch.Code()
                            .aload(3)
                            .invokestatic(HELPER, "queryBody", "(Lscala/Function0;)Lscala/Function0;")
                            .astore(3)).inGroup("withThreadLocalCaptured"));
        }
        p.add(MethodPatch.atEntry(CONTEXT, "setTaskContext", "(Lorg/apache/spark/TaskContext;)V", new MethodPatch.Code()
                .aload(1)
                .invokestatic(HELPER, "taskStarted", "(Lorg/apache/spark/TaskContext;)V")));
        p.add(MethodPatch.atEntry(CONTEXT, "unset", "()V", new MethodPatch.Code()
                .invokestatic(HELPER, "taskEnded", "()V")));
        return new InstrumentationSpec(NAME, p).withHelpers("io.tagalong.helpers.spark.QueryThreadBody",
                "io.tagalong.helpers.spark.SparkHooks");
    }

    /** {@code properties = SparkHooks.jobSubmitted(this, properties)} at the entry of a job submission. */
    private static MethodPatch jobProperties(String method, String descriptor, int slot) {
        return MethodPatch.atEntry(DAG, method, descriptor, new MethodPatch.Code()
                .aload(0)
                .aload(slot)
                .invokestatic(HELPER, "jobSubmitted", "(L" + DAG + ";" + PROPERTIES + ")" + PROPERTIES)
                .astore(slot));
    }
}
