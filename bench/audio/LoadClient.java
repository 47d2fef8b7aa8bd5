import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Bounded loopback load client for live MP3 streams (EdgeShare audio vs Icecast 2): opens N listeners at a
 * fixed rate from one selector thread, holds them, and reports admitted listeners, underrun-free listeners
 * (audio received >= real time since the first byte, at every 500 ms sample), server CPU seconds (from
 * /proc/PID/stat), time to first audio byte (p50, p95), the spread of stream positions between listeners
 * (found by content: each listener's newest bytes located in a reference listener's history), and how long
 * the server takes to drop a listener that stops reading (seen in /proc/net/tcp leaving ESTABLISHED), and the
 * server's resident memory (VmRSS of SERVER_PID) before the ramp and at the end of the hold, every listener
 * still connected.
 *
 * java LoadClient.java HOST PORT PATH LISTENERS HOLD_SECONDS RATE_PER_S BYTES_PER_S SERVER_PID LABEL [stall]
 */
public class LoadClient {

    static final class L {
        SocketChannel ch;
        int state; // 0 connecting, 1 headers, 2 body, 3 failed/closed
        long t0, tFirst = -1;
        long bytes;
        int status;
        boolean underrun;
        final ByteBuffer head = ByteBuffer.allocate(4096);
        byte[] hist;
        int histPos;
        long histTotal;
    }

    static final int HIST = 16 * 1024;
    static final int REF_HIST = 512 * 1024;
    static final int FP = 32;

    public static void main(String[] a) throws Exception {
        String host = a[0];
        int port = Integer.parseInt(a[1]);
        String path = a[2];
        int n = Integer.parseInt(a[3]);
        int hold = Integer.parseInt(a[4]);
        int rate = Integer.parseInt(a[5]);
        double byterate = Double.parseDouble(a[6]);
        int pid = Integer.parseInt(a[7]);
        String label = a[8];
        boolean stallTest = a.length > 9 && a[9].equals("stall");
        byte[] req = ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: edgeshare-bench\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        warmUp(host, port, req);
        Selector sel = Selector.open();
        List<L> ls = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
        byte[] tmp = new byte[64 * 1024];
        long cpu0 = cpu(pid);
        long rssBefore = rssKib(pid);
        long rssPeak = rssBefore;
        long start = System.nanoTime();
        long rampEnd = -1;
        long end = Long.MAX_VALUE;
        long nextSample = start;
        int connectErrors = 0;
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            // ramp: open listeners at the given rate
            long due = Math.min(n, (now - start) * rate / 1_000_000_000L + 1);
            while (ls.size() < due) {
                L l = new L();
                l.t0 = System.nanoTime();
                l.hist = new byte[ls.isEmpty() ? REF_HIST : HIST];
                try {
                    l.ch = SocketChannel.open();
                    l.ch.configureBlocking(false);
                    l.ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    l.ch.connect(new InetSocketAddress(host, port));
                    l.ch.register(sel, SelectionKey.OP_CONNECT, l);
                } catch (IOException e) {
                    l.state = 3;
                    connectErrors++;
                }
                ls.add(l);
            }
            if (ls.size() == n && rampEnd < 0) {
                rampEnd = System.nanoTime();
                end = rampEnd + hold * 1_000_000_000L;
                cpu0 = cpu(pid); // CPU measured over the hold, all listeners connected
            }
            sel.select(50);
            for (SelectionKey k : sel.selectedKeys()) {
                L l = (L) k.attachment();
                try {
                    if (k.isConnectable()) {
                        l.ch.finishConnect();
                        l.ch.write(ByteBuffer.wrap(req));
                        l.state = 1;
                        k.interestOps(SelectionKey.OP_READ);
                        continue;
                    }
                    if (!k.isReadable()) {
                        continue;
                    }
                    buf.clear();
                    int r = l.ch.read(buf);
                    if (r < 0) {
                        l.state = 3;
                        k.cancel();
                        l.ch.close();
                        continue;
                    }
                    buf.flip();
                    if (l.state == 1) {
                        while (buf.hasRemaining() && l.head.hasRemaining()) {
                            l.head.put(buf.get());
                            int p = l.head.position();
                            if (p >= 4 && l.head.get(p - 1) == '\n' && l.head.get(p - 2) == '\r'
                                    && l.head.get(p - 3) == '\n' && l.head.get(p - 4) == '\r') {
                                String h = new String(l.head.array(), 0, p, StandardCharsets.ISO_8859_1);
                                String[] first = h.split("\r\n")[0].split(" ");
                                l.status = Integer.parseInt(first[1]);
                                l.state = l.status == 200 ? 2 : 3;
                                if (l.state == 3) {
                                    k.cancel();
                                    l.ch.close();
                                }
                                break;
                            }
                        }
                    }
                    if (l.state == 2 && buf.hasRemaining()) {
                        int m = buf.remaining();
                        if (l.tFirst < 0) {
                            l.tFirst = System.nanoTime();
                        }
                        l.bytes += m;
                        buf.get(tmp, 0, m);
                        int from = Math.max(0, m - l.hist.length); // keep the newest bytes for the positions
                        for (int i = from; i < m;) {
                            int step = Math.min(m - i, l.hist.length - l.histPos);
                            System.arraycopy(tmp, i, l.hist, l.histPos, step);
                            l.histPos = (l.histPos + step) % l.hist.length;
                            i += step;
                        }
                        l.histTotal += m;
                    }
                } catch (IOException e) {
                    l.state = 3;
                    k.cancel();
                }
            }
            sel.selectedKeys().clear();
            if (now >= nextSample) {
                nextSample = now + 500_000_000L;
                rssPeak = Math.max(rssPeak, rssKib(pid));
                for (L l : ls) {
                    if (l.state == 2 && l.tFirst > 0) {
                        double playing = (now - l.tFirst) / 1e9;
                        if (l.bytes < byterate * playing) {
                            l.underrun = true;
                        }
                    }
                }
            }
        }
        long cpu1 = cpu(pid);
        long rssHeld = rssKib(pid);
        rssPeak = Math.max(rssPeak, rssHeld);
        // position spread, all listeners at the same instant (no reads in between)
        L ref = ls.get(0);
        byte[] refHist = linear(ref);
        Map<Long, Integer> index = new HashMap<>();
        for (int i = 0; i + FP <= refHist.length; i++) {
            index.putIfAbsent(hash(refHist, i), i);
        }
        List<Long> lags = new ArrayList<>();
        int unmatched = 0;
        for (L l : ls) {
            if (l.state != 2 || l.histTotal < HIST) {
                continue;
            }
            byte[] h = linear(l);
            Integer at = index.get(hash(h, h.length - FP));
            if (at != null) {
                lags.add((long) (refHist.length - (at + FP)));
                continue;
            }
            int found = -1;
            long target = hash(refHist, refHist.length - FP);
            for (int i = 0; i + FP <= h.length; i++) {
                if (hash(h, i) == target) {
                    found = i;
                }
            }
            if (found >= 0) {
                lags.add(-(long) (h.length - (found + FP)));
            } else {
                unmatched++;
            }
        }
        int admitted = 0, healthy = 0, refused = 0, closed = 0;
        List<Long> ttfb = new ArrayList<>();
        for (L l : ls) {
            if (l.status == 200) {
                admitted++;
                if (l.state == 2 && !l.underrun) {
                    healthy++;
                }
                if (l.state != 2) {
                    closed++;
                }
            } else {
                refused++;
            }
            if (l.tFirst > 0) {
                ttfb.add(l.tFirst - l.t0);
            }
        }
        long[] t = ttfb.stream().mapToLong(Long::longValue).sorted().toArray();
        long minLag = lags.stream().mapToLong(Long::longValue).min().orElse(0);
        long maxLag = lags.stream().mapToLong(Long::longValue).max().orElse(0);
        String drop = stallTest ? stallDrop(host, port, path, req) : "n/a";
        System.out.printf(Locale.ROOT,
                "RESULT %s listeners=%d admitted=%d refused_or_failed=%d closed_during_hold=%d no_underrun=%d "
                        + "cpu_s=%.2f hold_s=%d ttfb_p50_ms=%.1f ttfb_p95_ms=%.1f ttfb_max_ms=%.1f "
                        + "spread_bytes=%d spread_ms=%.0f positions_compared=%d unmatched=%d stall_drop_s=%s "
                        + "rss_before_kib=%d rss_held_kib=%d rss_peak_kib=%d%n",
                label, n, admitted, refused + connectErrors, closed, healthy, (cpu1 - cpu0) / 100.0, hold,
                pct(t, 50), pct(t, 95), t.length == 0 ? 0 : t[t.length - 1] / 1e6, maxLag - minLag,
                (maxLag - minLag) * 1000.0 / byterate, lags.size(), unmatched, drop, rssBefore, rssHeld, rssPeak);
        for (L l : ls) {
            try {
                if (l.ch != null) {
                    l.ch.close();
                }
            } catch (IOException ignored) {
            }
        }
    }

    /**
     * Exercises this JVM's own connect/read path for 2 s before measuring, so the first listeners' time to
     * first byte is not the load client's JIT warm-up.
     */
    static void warmUp(String host, int port, byte[] req) throws Exception {
        List<SocketChannel> cs = new ArrayList<>();
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        long end = System.nanoTime() + 2_000_000_000L;
        int i = 0;
        while (System.nanoTime() < end) {
            SocketChannel c = SocketChannel.open(new InetSocketAddress(host, port));
            c.write(ByteBuffer.wrap(req));
            b.clear();
            c.read(b);
            cs.add(c);
            if (cs.size() > 10) {
                cs.remove(0).close();
            }
            i++;
            Thread.sleep(20);
        }
        for (SocketChannel c : cs) {
            c.close();
        }
    }

    /** One listener that reads the headers and then nothing: seconds until the server closes it. */
    static String stallDrop(String host, int port, String path, byte[] req) throws Exception {
        SocketChannel ch = SocketChannel.open();
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        ch.connect(new InetSocketAddress(host, port));
        ch.write(ByteBuffer.wrap(req));
        ByteBuffer b = ByteBuffer.allocate(512);
        ch.read(b); // headers and a little audio, then stop reading
        int local = ((InetSocketAddress) ch.getLocalAddress()).getPort();
        long t0 = System.nanoTime();
        long limit = t0 + 90_000_000_000L;
        while (System.nanoTime() < limit) {
            if (!serverEstablished(port, local)) {
                ch.close();
                return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9);
            }
            Thread.sleep(250);
        }
        ch.close();
        return ">90";
    }

    /** Whether the server side of (port, clientPort) is still ESTABLISHED, from /proc/net/tcp{,6}. */
    static boolean serverEstablished(int port, int clientPort) throws IOException {
        String me = String.format("%04X", port);
        String peer = String.format("%04X", clientPort);
        for (String t : new String[] { "/proc/net/tcp", "/proc/net/tcp6" }) {
            for (String line : Files.readAllLines(Path.of(t))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[1].endsWith(":" + me) && f[2].endsWith(":" + peer)) {
                    return f[3].equals("01");
                }
            }
        }
        return false;
    }

    static byte[] linear(L l) {
        int len = (int) Math.min(l.hist.length, l.histTotal);
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            out[i] = l.hist[(l.histPos - len + i + l.hist.length) % l.hist.length];
        }
        return out;
    }

    static long hash(byte[] b, int off) {
        long h = 1125899906842597L;
        for (int i = off; i < off + FP; i++) {
            h = 31 * h + b[i];
        }
        return h;
    }

    static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    /** Resident set size of the process, KiB ({@code VmRSS} in /proc/PID/status). */
    static long rssKib(int pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    static long cpu(int pid) throws IOException {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime, in clock ticks (100/s)
    }
}
