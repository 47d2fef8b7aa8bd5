import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import io.edgeshare.platform.nearby.internal.GeoGrid;

/**
 * Indexes N points (uniform in a 100 km x 100 km square around Paris: 100 per km2) in GeoGrid and in Redis
 * (GEOADD), then measures k-nearest queries at 200 m on both: GeoGrid in this JVM, Redis GEOSEARCH over
 * loopback with pipelining (its best case). Usage: NearbyBench <redis-port> [points] [queries]
 */
public final class NearbyBench {
    static final double LAT0 = 48.4, LON0 = 1.67, SPAN_LAT = 0.8993, SPAN_LON = 1.3675; // ~100 km each way
    static final double RADIUS_M = 200;
    static final int K = 20;

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int queries = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        Random random = new Random(2026);
        double[] lat = new double[n];
        double[] lon = new double[n];
        for (int i = 0; i < n; i++) {
            lat[i] = LAT0 + random.nextDouble() * SPAN_LAT;
            lon[i] = LON0 + random.nextDouble() * SPAN_LON;
        }
        double[][] q = new double[queries][];
        for (int i = 0; i < queries; i++) {
            q[i] = new double[] { LAT0 + random.nextDouble() * SPAN_LAT, LON0 + random.nextDouble() * SPAN_LON };
        }

        long t0 = System.nanoTime();
        GeoGrid grid = new GeoGrid(RADIUS_M);
        for (int i = 0; i < n; i++) {
            grid.put("gw-" + i, lat[i], lon[i]);
        }
        double indexS = (System.nanoTime() - t0) / 1e9;
        System.out.printf("geogrid: indexed %,d points in %.2f s%n", n, indexS);

        long found = 0;
        for (int round = 0; round < 2; round++) { // first round warms up the JIT
            found = 0;
            t0 = System.nanoTime();
            for (double[] p : q) {
                found += grid.within(p[0], p[1], RADIUS_M, K).size();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("geogrid %s: %,d queries at %.0f m (k=%d) in %.2f s = %,.0f queries/s, %.2f found each%n",
                    round == 0 ? "1 thread, cold" : "1 thread, warm", queries, RADIUS_M, K, s, queries / s,
                    found / (double) queries);
        }
        double multi = parallelQueries(grid, q, 2);
        System.out.printf("geogrid 2 threads: %,.0f queries/s%n", multi);
        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.out.printf("jvm: heap used %.0f MiB (of max %.0f MiB), RSS %s, GC %s%n",
                (rt.totalMemory() - rt.freeMemory()) / 1048576.0, rt.maxMemory() / 1048576.0, rss(), gc());

        try (Redis redis = new Redis(port)) {
            redis.call("DEL", "fleet");
            t0 = System.nanoTime();
            int batch = 1000;
            for (int i = 0; i < n; i += batch) {
                List<String> cmd = new ArrayList<>(List.of("GEOADD", "fleet"));
                for (int j = i; j < Math.min(n, i + batch); j++) {
                    cmd.add(Double.toString(lon[j]));
                    cmd.add(Double.toString(lat[j]));
                    cmd.add("gw-" + j);
                }
                redis.send(cmd.toArray(String[]::new));
                if ((i / batch) % 16 == 15) {
                    redis.drain();
                }
            }
            redis.drain();
            System.out.printf("redis: indexed %s points in %.2f s, %s%n", redis.call("ZCARD", "fleet"),
                    (System.nanoTime() - t0) / 1e9, redis.memory());
            long agree = 0;
            int checked = Math.min(2000, queries);
            for (int i = 0; i < checked; i++) {
                Object reply = redis.call("GEOSEARCH", "fleet", "FROMLONLAT", Double.toString(q[i][1]),
                        Double.toString(q[i][0]), "BYRADIUS", "200", "m", "ASC", "COUNT", Integer.toString(K));
                if (((List<?>) reply).size() == grid.within(q[i][0], q[i][1], RADIUS_M, K).size()) {
                    agree++;
                }
            }
            System.out.printf("same result count as redis for %d of %d queries (redis measures with an earth radius "
                    + "of 6372.8 km, GeoGrid with 6371.0 km: points within ~6 cm of 200 m may differ)%n", agree, checked);
        }
        double[][] few = java.util.Arrays.copyOf(q, Math.min(q.length, 50_000));
        System.out.printf("redis GEOSEARCH (1 connection, one at a time): %,.0f queries/s%n",
                redisQueries(port, few, 1, 1));
        for (int connections : new int[] { 1, 2 }) {
            System.out.printf("redis GEOSEARCH (%d connection%s, 64 pipelined): %,.0f queries/s%n", connections,
                    connections == 1 ? "" : "s", redisQueries(port, q, connections, 64));
        }
    }

    static double parallelQueries(GeoGrid grid, double[][] q, int threads) throws InterruptedException {
        // concurrent reads are safe: nothing writes to the grid now
        Thread[] ts = new Thread[threads];
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            ts[t] = new Thread(() -> {
                for (int i = offset; i < q.length; i += threads) {
                    grid.within(q[i][0], q[i][1], RADIUS_M, K);
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        return q.length / ((System.nanoTime() - t0) / 1e9);
    }

    static double redisQueries(int port, double[][] q, int connections, int depth) throws Exception {
        AtomicLong done = new AtomicLong();
        Thread[] ts = new Thread[connections];
        long t0 = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            int offset = c;
            ts[c] = new Thread(() -> {
                try (Redis r = new Redis(port)) {
                    int inFlight = 0;
                    for (int i = offset; i < q.length; i += connections) {
                        r.send("GEOSEARCH", "fleet", "FROMLONLAT", Double.toString(q[i][1]), Double.toString(q[i][0]),
                                "BYRADIUS", "200", "m", "ASC", "COUNT", Integer.toString(K), "WITHDIST");
                        if (++inFlight == depth) {
                            r.drain();
                            inFlight = 0;
                        }
                        done.incrementAndGet();
                    }
                    r.drain();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            ts[c].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        return done.get() / ((System.nanoTime() - t0) / 1e9);
    }

    static String rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return String.format("%.0f MiB", Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0);
            }
        }
        return "?";
    }

    static String gc() {
        long count = 0, ms = 0;
        List<String> names = new ArrayList<>();
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += b.getCollectionCount();
            ms += b.getCollectionTime();
            names.add(b.getName());
        }
        return count + " collections, " + ms + " ms in all (" + String.join(", ", names) + ")";
    }

    /** Just enough RESP2 for this benchmark. */
    static final class Redis implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private int pending;

        Redis(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        }

        void send(String... args) throws IOException {
            StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
            pending++;
        }

        void drain() throws IOException {
            out.flush();
            while (pending > 0) {
                read();
                pending--;
            }
        }

        Object call(String... args) throws IOException {
            drain();
            send(args);
            out.flush();
            pending--;
            return read();
        }

        String memory() throws IOException {
            String info = (String) call("INFO", "memory");
            String used = "", rss = "";
            for (String line : info.split("\r\n")) {
                if (line.startsWith("used_memory_human:")) {
                    used = line.substring(18);
                } else if (line.startsWith("used_memory_rss_human:")) {
                    rss = line.substring(22);
                }
            }
            return "used_memory " + used + ", RSS " + rss;
        }

        private Object read() throws IOException {
            int type = in.read();
            String line = line();
            switch (type) {
                case '+', ':' -> { return line; }
                case '-' -> throw new IOException("redis: " + line);
                case '$' -> {
                    int len = Integer.parseInt(line);
                    if (len < 0) {
                        return null;
                    }
                    byte[] data = in.readNBytes(len + 2);
                    return new String(data, 0, len, StandardCharsets.UTF_8);
                }
                case '*' -> {
                    int len = Integer.parseInt(line);
                    List<Object> items = new ArrayList<>(Math.max(0, len));
                    for (int i = 0; i < len; i++) {
                        items.add(read());
                    }
                    return items;
                }
                default -> throw new IOException("unexpected reply type " + type);
            }
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) != '\r') {
                if (c < 0) {
                    throw new IOException("redis closed the connection");
                }
                b.append((char) c);
            }
            in.read(); // '\n'
            return b.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
