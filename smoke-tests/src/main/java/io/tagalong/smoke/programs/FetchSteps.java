package io.tagalong.smoke.programs;

import java.io.BufferedReader;
import java.io.InputStreamReader;

/**
 * Makes the requests given as arguments ({@link Request} specs) one after the other; an argument {@code await}
 * prints {@code awaiting N} (N counts the awaits from 1) and waits for a line on stdin, so that a test can act on
 * the running JVM (delete a directory, read its MBean) between requests. Exit 3 when a request had an
 * unexpected status.
 */
public final class FetchSteps {
    private FetchSteps() {}

    public static void main(String[] args) throws Exception {
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in));
        boolean allExpected = true;
        int awaits = 0;
        for (String step : args) {
            if (step.equals("await")) {
                System.out.println("awaiting " + ++awaits);
                System.out.flush();
                stdin.readLine();
            } else {
                allExpected &= Request.parse(step).send();
            }
        }
        if (!allExpected) {
            System.exit(3);
        }
    }
}
