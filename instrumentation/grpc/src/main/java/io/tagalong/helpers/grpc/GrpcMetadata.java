package io.tagalong.helpers.grpc;

import io.grpc.Metadata;
import io.tagalong.bootstrap.HeaderPolicy;
import io.tagalong.bootstrap.OutgoingRequest;

/**
 * A Storage RPC's metadata as the pipeline sees it: {@code POST https://AUTHORITY/google.storage.v2.Storage/METHOD}
 * (the HTTP/2 request gRPC makes; plaintext or TLS is not known at this layer). Keys are lower case ASCII; names that
 * gRPC reserves or cannot carry as text are the layer's refusals.
 */
final class GrpcMetadata extends OutgoingRequest {
    static final String METHOD = "POST";
    static final String SCHEME = "https";

    private final Metadata headers;

    GrpcMetadata(String host, int port, String path, Metadata headers) {
        super(METHOD, SCHEME, host, port, path, null);
        this.headers = headers;
    }

    @Override
    protected String layerNameProblem(String name) {
        return HeaderPolicy.grpcMetadataProblem(name);
    }

    /** Custom audit headers go as metadata too; a User-Agent element cannot (the channel sets the user-agent). */
    @Override
    protected int carriers() {
        return GCS_AUDIT;
    }

    @Override
    protected String instrumentation() {
        return "grpc";
    }

    @Override
    public String header(String name) {
        Metadata.Key<String> key = key(name);
        return key == null ? null : headers.get(key);
    }

    @Override
    public void setHeader(String name, String value) {
        Metadata.Key<String> key = key(name);
        if (key == null) return; // refused before it gets here
        headers.discardAll(key);
        headers.put(key, value);
    }

    @Override
    public void removeHeader(String name) {
        Metadata.Key<String> key = key(name);
        if (key != null) headers.discardAll(key);
    }

    @Override
    protected Iterable<String> headerNames() {
        return headers.keys();
    }

    /** The text key of a header, or null for a name that no text key can have (a rule's name, asked by the audit). */
    private static Metadata.Key<String> key(String name) {
        if (!HeaderPolicy.isGrpcTextKey(name)) return null;
        return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    }

    /** The host of an authority ({@code host}, {@code host:port}, {@code [v6]:port}). */
    static String host(String authority) {
        if (authority == null) return null;
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end < 0 ? authority : authority.substring(1, end);
        }
        int colon = authority.lastIndexOf(':');
        return colon < 0 || authority.indexOf(':') != colon ? authority : authority.substring(0, colon);
    }

    /** The port of an authority, or -1 when it names none. */
    static int port(String authority) {
        if (authority == null) return -1;
        int colon = authority.lastIndexOf(':');
        if (colon < 0 || colon < authority.lastIndexOf(']') || (!authority.startsWith("[") && authority.indexOf(':') != colon)) return -1;
        try {
            return Integer.parseInt(authority.substring(colon + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
