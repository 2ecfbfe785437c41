package io.tagalong.bootstrap;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code tagalong.audit.file}: one JSON line per audited request, appended by the monitor thread, never by the
 * request's. A request only queues its line (lock-free; when {@link #CAPACITY} lines wait, the line is dropped and
 * counted). A file that cannot be opened or written (a bad path, a full disk, a deleted directory) gives one
 * warning; its lines are counted as dropped, and opening is tried again at most once a second. Past
 * {@code tagalong.audit.file.max-bytes} the file becomes {@code PATH.1} (replacing the previous one) and a new one
 * starts.
 */
final class AuditFile {
    static final int CAPACITY = 10000;
    private static final long REOPEN_NANOS = 1000000000L;

    private final File file;
    private final long maxBytes;
    private final ConcurrentLinkedQueue<Line> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private volatile boolean closed;
    // Used by the writing thread only (under this object's lock).
    private OutputStream out;
    private long size;
    private long lastOpenAttempt;
    /** A problem was reported and not yet followed by a successful open. */
    private boolean failing;
    private long formattedSecond = Long.MIN_VALUE;
    private String formattedPrefix;

    AuditFile(String path, long maxBytes) {
        this.file = new File(path);
        this.maxBytes = maxBytes;
    }

    /** From the request's thread: queues the line, or counts it as dropped. Never blocks. */
    void add(Line line, Counters.Of counts) {
        if (closed || queued.incrementAndGet() > CAPACITY) {
            queued.decrementAndGet();
            counts.dropped.increment();
            return;
        }
        queue.offer(line);
    }

    /** Writes what is queued (the monitor thread, and once more at exit). */
    synchronized void drain() {
        Line line = queue.poll();
        if (line == null) return;
        if (out != null && !file.exists()) {
            // Deleted (or its directory was): writing on would fill a file nobody can read.
            problem("the file was deleted", null);
        }
        for (; line != null; line = queue.poll()) {
            queued.decrementAndGet();
            write(line);
        }
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                problem("cannot write", e);
            }
        }
    }

    /** At exit: writes everything queued, then closes; lines that come later are counted as dropped. */
    synchronized void close() {
        drain();
        closed = true;
        drain(); // lines that raced with the flag
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // flushed above; nothing more to say
            }
            out = null;
        }
    }

    private void write(Line line) {
        byte[] bytes = line.json(time(line.time)).getBytes(StandardCharsets.UTF_8);
        if (out != null && size > 0 && size + bytes.length > maxBytes) rollOver();
        if (out == null && !open()) {
            line.counts.dropped.increment();
            return;
        }
        try {
            out.write(bytes);
            size += bytes.length;
        } catch (IOException e) {
            line.counts.dropped.increment();
            problem("cannot write", e);
        }
    }

    /**
     * ISO-8601 in UTC with milliseconds. The text up to the second is made once per second: formatting an Instant
     * costs more than the rest of the line.
     */
    private String time(long millis) {
        long second = Math.floorDiv(millis, 1000L);
        if (second != formattedSecond) {
            String whole = java.time.Instant.ofEpochSecond(second).toString(); // ...T00:02:51Z
            formattedPrefix = whole.substring(0, whole.length() - 1) + ".";
            formattedSecond = second;
        }
        int ms = (int) Math.floorMod(millis, 1000L);
        return formattedPrefix + (char) ('0' + ms / 100) + (char) ('0' + ms / 10 % 10) + (char) ('0' + ms % 10) + "Z";
    }

    private boolean open() {
        long now = System.nanoTime();
        if (lastOpenAttempt != 0 && now - lastOpenAttempt < REOPEN_NANOS) return false;
        lastOpenAttempt = now;
        try {
            out = new BufferedOutputStream(new FileOutputStream(file, true), 16384);
            size = file.length();
            if (failing) Log.warn("audit file " + file + ": writing again");
            failing = false;
            return true;
        } catch (IOException | RuntimeException e) {
            out = null;
            failing = true;
            Log.warnOnce("audit-file", "audit file " + file + ": cannot open (" + reason(e)
                    + "); its lines are counted as dropped, and the program goes on");
            return false;
        }
    }

    private void rollOver() {
        closeQuietly();
        try {
            Files.move(file.toPath(), new File(file.getPath() + ".1").toPath(), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Log.warnOnce("audit-file-roll", "audit file " + file + ": cannot roll over to " + file + ".1 ("
                    + e.getClass().getSimpleName() + "); writing on in the same file");
        }
        lastOpenAttempt = 0;
    }

    private void problem(String what, Exception e) {
        closeQuietly();
        failing = true;
        lastOpenAttempt = System.nanoTime();
        Log.warnOnce("audit-file", "audit file " + file + ": " + what + (e == null ? "" : " (" + reason(e) + ")")
                + "; its lines are counted as dropped until it can be written again, and the program goes on");
    }

    /** The system's reason ("Not a directory", "No space left on device"), else the kind of failure. */
    private static String reason(Exception e) {
        String message = e.getMessage();
        int open = message == null ? -1 : message.lastIndexOf(" (");
        if (open >= 0 && message.endsWith(")")) return message.substring(open + 2, message.length() - 1);
        if (message != null && !message.contains(File.separator)) return message;
        return e.getClass().getSimpleName().replace("Exception", "").replace("Error", "") + " failure";
    }

    private void closeQuietly() {
        if (out == null) return;
        try {
            out.close();
        } catch (IOException ignored) {
            // the data that could not be flushed is what failed
        }
        out = null;
    }

    /** One audited request: names and places only. Made on the request's thread, formatted on the monitor's. */
    static final class Line {
        final long time = System.currentTimeMillis();
        private final String method, scheme, host, path, instrumentation, thread;
        private final int port;
        private final String[] missing, set, kept;
        final Counters.Of counts;

        Line(OutgoingRequest r, Counters.Of counts, String[] missing, NameList set, NameList kept) {
            method = r.method;
            scheme = r.scheme;
            host = r.host;
            port = r.port >= 0 ? r.port : Targets.defaultPort(r.scheme);
            path = OutgoingRequest.slashed(r.path); // never the query: it may hold a signature
            instrumentation = counts.instrumentation;
            thread = Thread.currentThread().getName();
            this.missing = missing;
            this.set = names(set);
            this.kept = names(kept);
            this.counts = counts;
        }

        private static String[] names(NameList list) {
            if (list == null) return new String[0];
            String[] names = new String[list.size()];
            for (int i = 0; i < names.length; i++) names[i] = list.get(i);
            return names;
        }

        /** The line, with its newline. */
        String json(String formattedTime) {
            StringBuilder sb = new StringBuilder(320);
            sb.append("{\"time\":");
            string(sb, formattedTime);
            sb.append(",\"method\":");
            string(sb, method);
            sb.append(",\"scheme\":");
            string(sb, scheme);
            sb.append(",\"host\":");
            string(sb, host);
            sb.append(",\"port\":").append(port >= 0 ? String.valueOf(port) : "null");
            sb.append(",\"path\":");
            string(sb, path);
            sb.append(",\"missing\":");
            array(sb, missing);
            sb.append(",\"set\":");
            array(sb, set);
            sb.append(",\"kept\":");
            array(sb, kept);
            sb.append(",\"instrumentation\":");
            string(sb, instrumentation);
            sb.append(",\"thread\":");
            string(sb, thread);
            return sb.append("}\n").toString();
        }

        /** Non-null entries; {@code missing} holds the missed rules at their positions. */
        private static void array(StringBuilder sb, String[] items) {
            sb.append('[');
            boolean first = true;
            if (items != null) {
                for (String item : items) {
                    if (item == null) continue;
                    if (!first) sb.append(',');
                    string(sb, item);
                    first = false;
                }
            }
            sb.append(']');
        }

        private static void string(StringBuilder sb, String s) {
            if (s == null) {
                sb.append("null");
                return;
            }
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') sb.append('\\').append(c);
                else if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) sb.append(String.format("\\u%04x", (int) c));
                else sb.append(c);
            }
            sb.append('"');
        }
    }
}
