package io.tagalong.bootstrap;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** STUB: replaced by the real configuration. */
public final class Config {
    /** Instrumentation names of the contract, in the order the self-check prints them. */
    public static final List<String> INSTRUMENTATIONS = Collections.unmodifiableList(Arrays.asList(
            "http-url-connection", "okhttp", "apache-httpclient-4", "apache-httpclient-5", "java-http-client",
            "aws-sdk-1", "aws-sdk-2", "google-http-client", "opentelemetry", "mdc", "executors"));

    public static Config load() { return new Config(); }
    public boolean instrumentationEnabled(String name) { return !"false".equalsIgnoreCase(System.getProperty("tagalong.instrumentation." + name + ".enabled")); }
    public boolean debug() { return false; }
    /** Effective configuration, one "key = value" line each, header values redacted. */
    public List<String> describe() { return Collections.emptyList(); }
}
