package io.tagalong.helpers.spark;

import io.tagalong.bootstrap.HeaderSet;
import io.tagalong.bootstrap.Log;
import io.tagalong.bootstrap.SparkJobs;
import java.util.Properties;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.scheduler.DAGScheduler;
import scala.Function0;

/**
 * Defined in the class loader of Spark's scheduler and TaskContext; called at the entry of the methods where a job
 * is submitted (on the submitting driver thread, with the job's properties) and where a task's context is set and
 * unset on an executor thread. Never throws into Spark: a job or task goes on unchanged.
 */
public final class SparkHooks {
    private SparkHooks() {}

    /** DAGScheduler.submitJob / submitMapStage / runApproximateJob: the properties the job is submitted with. */
    public static Properties jobSubmitted(DAGScheduler scheduler, Properties properties) {
        try {
            SparkContext sc = scheduler.sc();
            return SparkJobs.submitted(properties, sc.applicationId(), sc.appName(), sc.sparkUser());
        } catch (Throwable t) {
            failed(t);
            return properties;
        }
    }

    /**
     * SQLExecution.withThreadLocalCaptured, on the query's thread: Spark copies the thread's local properties and
     * session to the thread that runs {@code body}; this carries the query's headers (context holder, baggage, MDC,
     * decided here) along with them.
     */
    public static <T> Function0<T> queryBody(Function0<T> body) {
        try {
            HeaderSet headers = SparkJobs.queryContext();
            return headers.size() == 0 || body == null ? body : new QueryThreadBody<T>(headers, body);
        } catch (Throwable t) {
            failed(t);
            return body;
        }
    }

    /** TaskContext.setTaskContext: the task's thread takes on its job's headers. */
    public static void taskStarted(TaskContext context) {
        try {
            SparkJobs.taskStarted(context == null ? null : context.getLocalProperty(SparkJobs.PROPERTY));
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** TaskContext.unset, in the finally of every task run: the job's headers leave the thread. */
    public static void taskEnded() {
        try {
            SparkJobs.taskEnded();
        } catch (Throwable t) {
            failed(t);
        }
    }

    private static void failed(Throwable t) {
        Log.warnOnce("spark-failed", "spark: a job or task goes on without its context (" + t.getClass().getSimpleName() + ")");
    }
}
