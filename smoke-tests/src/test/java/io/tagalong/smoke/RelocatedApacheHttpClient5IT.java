package io.tagalong.smoke;

/** Every Apache HttpClient 5 check on a relocated copy of the client (app relocated: shaded/acme/apache/hc/). */
class RelocatedApacheHttpClient5IT extends ApacheHttpClient5IT {
    @Override
    String app() {
        return "relocated";
    }

    /** The oldest version is ApacheHttpClient5IT's: here the first check runs on the relocated copy only. */
    @Override
    String oldestApp() {
        return app();
    }
}
