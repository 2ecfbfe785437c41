package io.tagalong.helpers.spark;

import io.tagalong.bootstrap.HeaderSet;
import io.tagalong.bootstrap.ScopedHeaders;
import scala.Function0;

/**
 * A Spark SQL query's work handed to another driver thread (adaptive stages, broadcasts, subqueries), run there with
 * the headers decided on the query's thread, so that the jobs it submits carry them; the thread is put back after.
 */
final class QueryThreadBody<T> implements Function0<T> {
    private final HeaderSet headers;
    private final Function0<T> body;

    QueryThreadBody(HeaderSet headers, Function0<T> body) {
        this.headers = headers;
        this.body = body;
    }

    @Override
    public T apply() {
        ScopedHeaders.Scope scope = ScopedHeaders.replace(headers);
        try {
            return body.apply();
        } finally {
            scope.close();
        }
    }

    @Override
    public String toString() {
        return body.toString();
    }
}
