package io.tagalong.agent;

import io.tagalong.bootstrap.Config;
import io.tagalong.bootstrap.DryRun;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar tagalong-agent.jar [command]}: no arguments prints the self-check; {@code check} is the dry
 * run; {@code --help} the usage. Anything else is a usage error (exit 2), never silently ignored.
 */
public final class Cli {
    static final int USAGE_ERROR = 2;

    static final String USAGE = String.join("\n",
            "usage: java -jar tagalong-agent.jar                 self-check: version, effective configuration, instrumentations",
            "       java -jar tagalong-agent.jar check [options] URL",
            "                                                    dry run: would a request to URL be a storage request, which",
            "                                                    headers would it carry (names and sources), what would the audit say",
            "       java -jar tagalong-agent.jar scan JAR|DIR...  which supported libraries and relocated (shaded) copies of them",
            "                                                    the jars or class directories hold, and whether each class",
            "                                                    would be instrumented (exit 1 if one would not)",
            "       java -jar tagalong-agent.jar --help          this text",
            "",
            "check options (configuration as for the agent: -Dtagalong.* before -jar, TAGALONG_* variables, tagalong.config.file):",
            "  --method M            HTTP method (default GET)",
            "  --client http|s3|gcs  the layer that sees the request: a plain HTTP client (default), the AWS SDK's S3 client,",
            "                        the Google Cloud Storage client",
            "  --baggage 'k=v,...'   the program's baggage at the request (W3C format)",
            "  --scope 'Name=v,...'  headers of the context holder (StorageHeaders.with) at the request",
            "  --mdc 'k=v,...'       the program's SLF4J MDC at the request",
            "exit status: 0 the request passes the audit (or is not a storage request), 1 it misses a rule, 2 usage error");

    private Cli() {}

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            SelfCheck.print(out);
            return 0;
        }
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))) {
            out.println(USAGE);
            return 0;
        }
        if (args[0].equals("scan")) return scan(args, out, err);
        if (!args[0].equals("check")) return usageError(err, "unknown command or option: " + args[0]);
        String method = "GET", client = "http", baggage = null, scope = null, mdc = null, url = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                out.println(USAGE);
                return 0;
            }
            if (a.startsWith("--")) {
                if (i + 1 >= args.length) return usageError(err, a + " needs a value");
                String value = args[++i];
                if (a.equals("--method")) method = value;
                else if (a.equals("--client")) client = value;
                else if (a.equals("--baggage")) baggage = value;
                else if (a.equals("--scope")) scope = value;
                else if (a.equals("--mdc")) mdc = value;
                else return usageError(err, "unknown option: " + a);
            } else if (url == null) {
                url = a;
            } else {
                return usageError(err, "one URL only (got " + url + " and " + a + ")");
            }
        }
        if (url == null) return usageError(err, "check needs a URL");
        try {
            return DryRun.run(Config.load(), method, client, url, baggage, scope, mdc, out);
        } catch (IllegalArgumentException e) {
            return usageError(err, e.getMessage());
        }
    }

    private static int scan(String[] args, PrintStream out, PrintStream err) {
        List<String> paths = new ArrayList<String>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                out.println(USAGE);
                return 0;
            }
            if (args[i].startsWith("-")) return usageError(err, "unknown option: " + args[i]);
            if (!new File(args[i]).exists()) return usageError(err, "no such file or directory: " + args[i]);
            paths.add(args[i]);
        }
        if (paths.isEmpty()) return usageError(err, "scan needs a jar or a class directory");
        try {
            return Scan.run(paths, out);
        } catch (IOException e) {
            return usageError(err, "cannot read " + e.getMessage());
        }
    }

    private static int usageError(PrintStream err, String problem) {
        err.println("tagalong: " + problem);
        err.println(USAGE);
        return USAGE_ERROR;
    }
}
