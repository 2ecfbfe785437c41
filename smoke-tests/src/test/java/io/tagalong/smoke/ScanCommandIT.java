package io.tagalong.smoke;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar tagalong-agent.jar scan PATH...}: the supported libraries and relocated copies in a job's jars, and
 * whether the agent's own transformer would instrument each class, before the job runs.
 */
class ScanCommandIT {
    private static ChildResult scan(Jdk jdk, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "scan";
        System.arraycopy(args, 0, command, 1, args.length);
        return ChildJvm.withoutAgent(jdk).classPath(ChildJvm.agentJar().toString()).run(ConfiguredValues.AGENT_MAIN, command);
    }

    @OnEveryJdk
    void relocatedCopiesAreNamedWithEachClassTheAgentWouldPatch(Jdk jdk) {
        ChildResult result = scan(jdk, AppClassPath.target("relocated").resolve("lib/relocated-clients.jar").toString());

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).as("%s", result)
                .contains("  okhttp relocated under shaded/acme/\n"
                        + "    shaded.acme.okhttp3.internal.connection.RealCall\n"
                        + "    shaded.acme.okhttp3.internal.http.RealInterceptorChain\n")
                .contains("  apache-httpclient-4 relocated under shaded/acme/ (first package segment dropped)\n"
                        + "    shaded.acme.apache.http.protocol.HttpRequestExecutor\n")
                .contains("  apache-httpclient-5 relocated under shaded/acme/ (first package segment dropped)\n")
                .doesNotContain("NOT instrumented")
                .endsWith("result: everything found would be instrumented (exit 0)\n");
    }

    /** The real drivers' private copies (apps snowflake-jdbc-4 and databricks-jdbc copy the driver jars). */
    @OnEveryJdk
    void theCopiesInRealDriversAreFound(Jdk jdk) {
        ChildResult result = scan(jdk, AppClassPath.target("snowflake-jdbc-4").resolve("lib").toString(),
                AppClassPath.target("databricks-jdbc").resolve("lib").toString());

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).as("%s", result)
                .contains("  aws-sdk-2 relocated under net/snowflake/client/jdbc/internal/\n"
                        + "    net.snowflake.client.jdbc.internal.software.amazon.awssdk.core.interceptor.ExecutionInterceptorChain\n")
                .contains("  apache-httpclient-4 relocated under net/snowflake/client/jdbc/internal/ (first package segment dropped)\n")
                .contains("  apache-httpclient-5 relocated under com/databricks/internal/ (first package segment dropped)\n"
                        + "    com.databricks.internal.apache.hc.client5.http.async.AsyncExecChain$Scope\n");
    }

    /** A class path directory (lib/*): each jar reported; OkHttp 3.8 is older than supported, and says so. */
    @OnEveryJdk
    void aLibraryInAShapeThatCannotBePatchedFailsTheScan(Jdk jdk) {
        ChildResult result = scan(jdk, AppClassPath.target("okhttp-3.8").resolve("lib").toString());

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        assertThat(result.stdout()).as("%s", result)
                .contains("okhttp-3.8.1.jar\n  okhttp\n"
                        + "    okhttp3.internal.http.RealInterceptorChain   NOT instrumented: its shape does not fit (see the warning)\n")
                .contains("okio-1.13.0.jar\n  no supported library\n");
        assertThat(result.stderr()).contains("[tagalong] WARN okhttp: okhttp3.internal.http.RealInterceptorChain does not have the expected shape");
    }

    @OnEveryJdk
    void badArgumentsAreUsageErrors(Jdk jdk) {
        assertThat(scan(jdk).exitCode()).isEqualTo(2);
        ChildResult unknown = scan(jdk, "--deep", "x.jar");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).startsWith("tagalong: unknown option: --deep\nusage:");
        ChildResult missing = scan(jdk, "/no/such.jar");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).startsWith("tagalong: no such file or directory: /no/such.jar\n");
    }
}
