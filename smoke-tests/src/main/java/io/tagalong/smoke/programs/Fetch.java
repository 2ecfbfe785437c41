package io.tagalong.smoke.programs;

/**
 * Makes the requests given as arguments, one after the other (see {@link Request} for the spec format).
 * Exit 0 when every request ended with its expected status, 3 when one did not; a failure escapes (exit 1).
 */
public final class Fetch {
    private Fetch() {}

    public static void main(String[] args) throws Exception {
        TrustAllTls.install();
        boolean allExpected = true;
        for (String spec : args) {
            allExpected &= Request.parse(spec).send();
        }
        if (!allExpected) {
            System.exit(3);
        }
    }
}
