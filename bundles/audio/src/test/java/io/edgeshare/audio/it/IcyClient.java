package io.edgeshare.audio.it;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A minimal Icecast-style listener over a raw socket, as a player does it: sends {@code Icy-MetaData: 1}
 * when asked, splits audio from in-band metadata, and records where each title starts in the audio.
 */
final class IcyClient implements AutoCloseable {

    record Title(String title, long audioOffset) {
    }

    final int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    final ByteArrayOutputStream audio = new ByteArrayOutputStream();
    final List<Title> titles = new ArrayList<>();
    private final Socket socket;
    private final InputStream in;
    private final int metaint;
    private int untilMeta;
    final long connectedNanos = System.nanoTime();
    long firstByteNanos = -1;

    IcyClient(int port, String path, boolean icy, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.setSoTimeout(15_000);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        String req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: edgeshare-it\r\n"
                + (icy ? "Icy-MetaData: 1\r\n" : "") + "\r\n";
        socket.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
        InputStream raw = socket.getInputStream();
        String statusLine = line(raw);
        status = Integer.parseInt(statusLine.split(" ")[1]);
        String h;
        while (!(h = line(raw)).isEmpty()) {
            int c = h.indexOf(':');
            headers.put(h.substring(0, c).trim().toLowerCase(Locale.ROOT), h.substring(c + 1).trim());
        }
        in = "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? new Dechunker(raw) : raw;
        metaint = headers.containsKey("icy-metaint") ? Integer.parseInt(headers.get("icy-metaint")) : 0;
        untilMeta = metaint;
    }

    /** The rest of a non-stream answer (an error body). */
    String body() throws IOException {
        int len = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        return new String(in.readNBytes(len), StandardCharsets.UTF_8);
    }

    /** Reads until {@code audioBytes} more audio bytes arrived. */
    void readAudio(int audioBytes) throws IOException {
        long target = audio.size() + (long) audioBytes;
        while (audio.size() < target) {
            step((int) Math.min(8192, target - audio.size()));
        }
    }

    /** Reads until a title matching {@code p} starts, or the deadline passes; true if it did. */
    boolean readUntilTitle(Predicate<String> p, long timeoutMs) throws IOException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        int seen = titles.size();
        while (System.nanoTime() < deadline) {
            step(4096);
            for (int i = seen; i < titles.size(); i++) {
                if (p.test(titles.get(i).title())) {
                    return true;
                }
            }
            seen = titles.size();
        }
        return false;
    }

    private void step(int max) throws IOException {
        if (metaint > 0 && untilMeta == 0) {
            int len = in.read() * 16;
            if (len < 0) {
                throw new EOFException("stream ended");
            }
            if (len > 0) {
                byte[] m = in.readNBytes(len);
                String text = new String(m, StandardCharsets.UTF_8).replace("\0", "");
                int a = text.indexOf("StreamTitle='");
                int b = text.indexOf("';", a + 13);
                if (a >= 0 && b > a) {
                    String t = text.substring(a + 13, b);
                    if (titles.isEmpty() || !titles.get(titles.size() - 1).title().equals(t)) {
                        titles.add(new Title(t, audio.size()));
                    }
                }
            }
            untilMeta = metaint;
            return;
        }
        int n = metaint > 0 ? Math.min(max, untilMeta) : max;
        byte[] b = new byte[n];
        int r = in.read(b);
        if (r < 0) {
            throw new EOFException("stream ended after " + audio.size() + " audio bytes");
        }
        if (firstByteNanos < 0) {
            firstByteNanos = System.nanoTime();
        }
        audio.write(b, 0, r);
        if (metaint > 0) {
            untilMeta -= r;
        }
    }

    String lastTitle() {
        return titles.isEmpty() ? "" : titles.get(titles.size() - 1).title();
    }

    /** Whether the server closed the connection (reads EOF or reset within the timeout). */
    boolean closedByServer(int timeoutMs) {
        try {
            socket.setSoTimeout(timeoutMs);
            byte[] b = new byte[65536];
            while (true) {
                if (in.read(b) < 0) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        if (c < 0 && sb.length() == 0) {
            throw new EOFException("connection closed");
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** HTTP/1.1 chunked body decoding, in case the server frames the stream. */
    private static final class Dechunker extends InputStream {
        private final InputStream in;
        private int left;
        private boolean done;

        Dechunker(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            int r = read(b, 0, 1);
            return r < 0 ? -1 : b[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                if (size.isEmpty()) {
                    size = line(in);
                }
                left = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int r = in.read(b, off, Math.min(len, left));
            if (r > 0) {
                left -= r;
            }
            return r;
        }
    }
}
