package io.tagalong.demo;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A byte-for-byte TCP relay in front of the storage server that prints each HTTP request head exactly as it
 * arrived: request line and header lines unchanged, in their order and spelling. It parses only enough
 * (Content-Length, chunked) to find where the next request on a kept-alive connection starts; it never changes
 * a byte, so the storage server receives exactly what is printed (Host included). The smoke tests record
 * through it too.
 */
public final class RecordingProxy implements Closeable {
    private final ServerSocket serverSocket;
    private final int upstreamPort;
    private final Consumer<List<String>> onRequestHead;

    /** @param onRequestHead gets each request head (request line, then header lines) before it is passed on */
    public RecordingProxy(int upstreamPort, Consumer<List<String>> onRequestHead) throws IOException {
        this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.upstreamPort = upstreamPort;
        this.onRequestHead = onRequestHead;
        daemon("recorder-accept", this::acceptLoop).start();
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket client = serverSocket.accept();
                daemon("recorder-conn", () -> relay(client)).start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void relay(Socket client) {
        try (Socket c = client; Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            InputStream fromClient = new BufferedInputStream(c.getInputStream());
            OutputStream toUpstream = upstream.getOutputStream();
            // Responses go back untouched.
            Thread back = daemon("recorder-back", () -> pipe(upstream, c));
            back.start();
            List<String> head;
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            while ((head = readHead(fromClient, raw)) != null) {
                onRequestHead.accept(head);
                raw.writeTo(toUpstream);
                raw.reset();
                copyBody(head, fromClient, toUpstream);
                toUpstream.flush();
            }
        } catch (IOException e) {
            // The client or server closed the connection: nothing more to record on it.
        }
    }

    /** Reads request line and header lines up to the empty line; null at end of stream. */
    private static List<String> readHead(InputStream in, ByteArrayOutputStream raw) throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = readLine(in, raw)) != null && !line.isEmpty()) lines.add(line);
        return lines.isEmpty() ? null : lines;
    }

    /** Reads one line without its line end; every byte read is also appended to raw. Null at end of stream. */
    private static String readLine(InputStream in, ByteArrayOutputStream raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            raw.write(b);
            if (b == '\n') break;
            bytes.write(b);
        }
        if (b == -1 && bytes.size() == 0) return null;
        String line = bytes.toString(StandardCharsets.ISO_8859_1);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    /** The lower-case name of a header line. */
    static String name(String headerLine) {
        int colon = headerLine.indexOf(':');
        return (colon < 0 ? headerLine : headerLine.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
    }

    private static void copyBody(List<String> head, InputStream in, OutputStream out) throws IOException {
        String contentLength = null;
        boolean chunked = false;
        for (String line : head.subList(1, head.size())) {
            String value = line.substring(line.indexOf(':') + 1).trim();
            if (name(line).equals("content-length")) contentLength = value;
            if (name(line).equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) chunked = true;
        }
        if (chunked) {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine(in, raw);
                if (sizeLine == null) throw new IOException("end of stream in chunked body");
                long size = Long.parseLong(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    String trailer;
                    do {
                        trailer = readLine(in, raw);
                    } while (trailer != null && !trailer.isEmpty());
                    raw.writeTo(out);
                    return;
                }
                raw.writeTo(out);
                raw.reset();
                copy(in, out, size + 2);   // chunk data and its CRLF
            }
        } else if (contentLength != null) {
            copy(in, out, Long.parseLong(contentLength));
        }
    }

    private static void copy(InputStream in, OutputStream out, long count) throws IOException {
        byte[] buffer = new byte[8192];
        while (count > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, count));
            if (n < 0) throw new IOException("end of stream in body");
            out.write(buffer, 0, n);
            count -= n;
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // Either side closed.
        } finally {
            try {
                to.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }
}
