package io.tagalong.smoke.programs;

/**
 * Makes the requests given as arguments, one after the other (see {@link Request} for the spec format).
 * Exit 0 when every request got a status, whatever it was; any failure escapes and ends the JVM with 1.
 */
public final class Fetch {
    private Fetch() {}

    public static void main(String[] args) throws Exception {
        TrustAllTls.install();
        for (String spec : args) {
            Request.parse(spec).send();
        }
    }
}
