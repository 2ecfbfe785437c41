package io.tagalong.smoke.programs;

import java.io.BufferedReader;
import java.io.InputStreamReader;

/**
 * For runtime attach: makes the first request, prints {@code waiting for attach}, waits for a line on
 * stdin (the test sends it once the agent is loaded), then makes the second request.
 */
public final class FetchAttachFetch {
    private FetchAttachFetch() {}

    public static void main(String[] args) throws Exception {
        boolean firstExpected = Request.parse(args[0]).send();
        System.out.println("waiting for attach");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in)).readLine();
        boolean secondExpected = Request.parse(args[1]).send();
        if (!firstExpected || !secondExpected) {
            System.exit(3);
        }
    }
}
