import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;

/** The start-up benchmark's program: a JVM that makes ONE HttpURLConnection GET and prints the answer. Java 8 source. */
public final class HelloRequest {
    public static void main(String[] args) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) new URL(args[0]).openConnection();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (InputStream in = connection.getInputStream()) {
            byte[] buffer = new byte[1024];
            for (int n; (n = in.read(buffer)) > 0; ) body.write(buffer, 0, n);
        }
        System.out.println(connection.getResponseCode() + " " + body.toString("UTF-8"));
    }
}
