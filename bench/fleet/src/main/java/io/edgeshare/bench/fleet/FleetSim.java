package io.edgeshare.bench.fleet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Fleet simulator (bench/fleet/run.sh): N gateways as real MQTT 5 clients against a running platform on loopback.
 * Places them at 40 per km² (300 m range: about 11 neighbours each) with a small catalog, enrols them once
 * (credentials cached in the state directory), connects them all at once, then churns 1% of the fleet per second
 * (moves, catalog changes, outages and clean leaves) while every gateway reports every few seconds. Measures the
 * connect rate, the time until every gateway holds its right nearby list, presence accuracy (the platform's online
 * list against the simulator's), report throughput, and the push latency of every list a timed change altered:
 * from the change's publish to the arrival of exactly the expected list. Bounded: N ≤ 20,000, churn ≤ 600 s.
 *
 * <p>Usage: FleetSim HTTP_URL MQTT_PORT TOKEN_FILE STATE_DIR N CHURN_S [REPORT_EVERY_S]
 */
public final class FleetSim {
    private static final double RANGE_M = 300;
    private static final double LAT0 = 48.85;
    private static final double LON0 = 2.30;
    private static final int CONNECTS_IN_FLIGHT = 100;
    /** Connects are started for at most this long (then the fleet is what connected). */
    private static final int CONNECT_PHASE_S = Integer.getInteger("fleet.connect.phase.s", 900);

    private record Rejoin(long atNanos, SimGateway gateway, boolean timed) {
    }

    private final Random random = new Random(1);
    private final List<SimGateway> fleet = new ArrayList<>();
    private final Set<SimGateway> away = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final PriorityQueue<Rejoin> rejoins = new PriorityQueue<>((a, b) -> Long.compare(a.atNanos(), b.atNanos()));
    private final AtomicLong reportsAcked = new AtomicLong();
    private final AtomicLong publishFailures = new AtomicLong();
    private final AtomicLong reconnectFailures = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final List<CompletableFuture<Void>> reconnects = new ArrayList<>();
    private Oracle oracle;
    private PlatformHttp platform;
    private double dLat;
    private double dLon;

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: FleetSim HTTP_URL MQTT_PORT TOKEN_FILE STATE_DIR N CHURN_S [REPORT_EVERY_S]");
            System.exit(2);
        }
        String url = args[0];
        if (!url.startsWith("http://127.0.0.1:")) {
            throw new IllegalArgumentException("loopback only: the platform URL must be http://127.0.0.1:PORT");
        }
        int n = Math.min(20_000, Integer.parseInt(args[4]));
        int churnS = Math.min(600, Integer.parseInt(args[5])); // < 0: enrol only
        int reportEveryS = args.length > 6 ? Math.max(1, Integer.parseInt(args[6])) : 10;
        String token = Files.readAllLines(Path.of(args[2])).get(0).trim();
        new FleetSim().run(new PlatformHttp(url, token), Integer.parseInt(args[1]), Path.of(args[3]), n, churnS,
                reportEveryS);
        System.exit(0); // the MQTT client's event loop threads are not daemons
    }

    private void run(PlatformHttp http, int port, Path state, int n, int churnS, int reportEveryS) throws Exception {
        platform = http;
        Files.createDirectories(state);
        double sideKm = Math.sqrt(n / 40.0);
        dLat = sideKm / 111.2;
        dLon = sideKm / (111.2 * Math.cos(Math.toRadians(LAT0)));
        oracle = new Oracle(RANGE_M, 20, 500, LAT0 + dLat);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(String.format("sim-%05d", i));
        }
        Map<String, String> credentials = http.credentials(ids, state.resolve("credentials.txt"), 4);
        http.enrolmentSample(20, 4);
        if (churnS < 0) {
            return; // enrolment only
        }
        for (String id : ids) {
            SimGateway g = new SimGateway(id, credentials.get(id), port, LAT0 + random.nextDouble() * dLat,
                    LON0 + random.nextDouble() * dLon, oracle);
            for (int k = 0; k < 3; k++) {
                g.items.add("c-" + id + "-" + k);
            }
            fleet.add(g);
        }
        System.out.printf("fleet: %d gateways on %.1f km x %.1f km (40 per km2), 300 m range%n", n, sideKm, sideKm);
        births(n);
        churn(n, churnS, reportEveryS);
        long t0 = System.nanoTime();
        List<CompletableFuture<Void>> bye = new ArrayList<>();
        for (SimGateway g : fleet) {
            if (g.connected) {
                bye.add(g.goodbye().exceptionally(e -> null));
            }
        }
        CompletableFuture.allOf(bye.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        System.out.printf("goodbye: %d gateways disconnected cleanly in %.1f s%n", bye.size(),
                (System.nanoTime() - t0) / 1e9);
    }

    /** Every gateway connects at once (at most CONNECTS_IN_FLIGHT handshakes in flight). */
    private void births(int n) throws Exception {
        Semaphore slots = new Semaphore(CONNECTS_IN_FLIGHT);
        long t0 = System.nanoTime();
        long[][] acks = new long[n][1];
        List<CompletableFuture<Void>> done = new ArrayList<>();
        AtomicLong failed = new AtomicLong();
        long stopIssuing = t0 + TimeUnit.SECONDS.toNanos(CONNECT_PHASE_S);
        for (int i = 0; i < n; i++) {
            SimGateway g = fleet.get(i);
            if (!slots.tryAcquire(Math.max(0, stopIssuing - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                away.add(g); // the connect phase is over: it never tried
                continue;
            }
            done.add(connectWithRetries(g, acks[i], 1).whenComplete((v, e) -> {
                slots.release();
                if (e != null) {
                    if (failed.incrementAndGet() <= 3) {
                        System.out.println("connect of " + g.id + " failed: " + e);
                    }
                    away.add(g); // not connected: the churn leaves it alone
                }
            }).exceptionally(e -> null));
        }
        try {
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
                    .get(Math.max(1, stopIssuing + TimeUnit.SECONDS.toNanos(60) - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            System.out.printf("connect: phase cut at %d s; %d connects still pending%n", CONNECT_PHASE_S + 60,
                    done.stream().filter(f -> !f.isDone()).count());
        }
        long last = 0;
        for (long[] a : acks) {
            last = Math.max(last, a[0]);
        }
        double connectS = (last - t0) / 1e9;
        int connected = (int) fleet.stream().filter(x -> x.connected).count();
        System.out.printf("connect: %d of %d connected in %.2f s (%.1f connects/s), %d retries, %d failed after 5 "
                + "attempts%n", connected, n, connectS, connected / connectS, retries.get(), failed.get());
        boolean settled = waitFor(() -> oracle.pending() == 0, 180);
        double listsS = (System.nanoTime() - t0) / 1e9;
        System.out.printf("births: every list right %s %.1f s after the first connect; %d of %d online gateways hold "
                + "the right list, %d never received one; %.1f sharers per list%n", settled ? "after" : "NOT settled,",
                listsS, oracle.right(), oracle.onlineCount(), oracle.neverReceived(), oracle.meanSharers());
        oracle.takeLatencies();
        oracle.takeDeliveries();
        presence("after births");
    }

    private void churn(int n, int churnS, int reportEveryS) throws Exception {
        int ticksPerReport = reportEveryS * 10;
        int eventsPerTick = Math.max(1, n / 1000); // 1% of the fleet per second
        long reportsBefore = platform.reportsStored();
        Map<String, Double> metricsBefore = platform.metrics();
        long t0 = System.nanoTime();
        long end = t0 + TimeUnit.SECONDS.toNanos(churnS);
        int[] kinds = new int[4];
        long tick = 0;
        for (long next = t0; System.nanoTime() < end; next += 100_000_000L, tick++) {
            rejoinDue(System.nanoTime());
            for (int i = (int) (tick % ticksPerReport); i < n; i += ticksPerReport) {
                SimGateway g = fleet.get(i);
                if (g.connected && !away.contains(g)) {
                    g.report().whenComplete((v, e) -> (e == null ? reportsAcked : publishFailures).incrementAndGet());
                }
            }
            for (int k = 0; k < eventsPerTick; k++) {
                SimGateway g = fleet.get(random.nextInt(n));
                if (!away.contains(g)) {
                    kinds[event(g)]++;
                }
            }
            long sleep = next + 100_000_000L - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep); // the churn's pace (a bench driver, not a test wait)
            }
        }
        double churnSeconds = (System.nanoTime() - t0) / 1e9;
        long rejoinDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!rejoins.isEmpty() && System.nanoTime() < rejoinDeadline) {
            rejoinDue(System.nanoTime());
            TimeUnit.MILLISECONDS.sleep(50);
        }
        CompletableFuture.allOf(reconnects.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        boolean settled = waitFor(() -> oracle.pending() == 0, 60);
        List<Long> sorted = oracle.takeLatencies().stream().sorted().toList();
        List<Long> deliveries = oracle.takeDeliveries().stream().sorted().toList();
        long reportsAfter = platform.reportsStored();
        System.out.printf("churn: %.0f s, %d moves, %d catalog changes, %d outages (back in 2-6 s), %d clean leaves "
                + "(back in 3-8 s)%n", churnSeconds, kinds[0], kinds[1], kinds[2], kinds[3]);
        System.out.printf("reports: %d acknowledged by the broker (%.0f/s), %d publishes failed; platform stored %s%n",
                reportsAcked.get(), reportsAcked.get() / churnSeconds, publishFailures.get(),
                reportsBefore < 0 || reportsAfter < 0 ? "(no /metrics figure)"
                        : String.format("%d (%.0f/s)", reportsAfter - reportsBefore,
                                (reportsAfter - reportsBefore) / churnSeconds));
        System.out.printf("lists after churn: %s; %d of %d online gateways hold the right list, %d still waiting, "
                + "%d never received one; %d reconnects failed%n", settled ? "settled" : "NOT settled after 60 s",
                oracle.right(), oracle.onlineCount(), oracle.pending(), oracle.neverReceived(),
                reconnectFailures.get());
        if (!sorted.isEmpty()) {
            System.out.printf("push latency (change published -> right list received), %d lists: p50 %.1f ms, p95 %.1f"
                    + " ms, p99 %.1f ms, max %.1f ms%n", sorted.size(), ms(sorted, 0.50), ms(sorted, 0.95),
                    ms(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6);
        }
        if (!deliveries.isEmpty()) {
            System.out.printf("  of which the list's way from the platform's publish to the gateway (generatedAt -> "
                    + "received): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms%n", ms(deliveries, 0.50), ms(deliveries, 0.95),
                    ms(deliveries, 0.99));
        }
        platformSide(metricsBefore, platform.metrics());
        presence("after churn");
    }

    /**
     * The platform's own share of the push latency during churn (its histogram: a change's arrival at the platform
     * to the broker's acknowledgement of the list), to tell platform time from broker and simulator time.
     */
    private static void platformSide(Map<String, Double> before, Map<String, Double> after) {
        String bucket = "edgeshare_fleet_push_latency_seconds_bucket";
        String count = "edgeshare_fleet_push_latency_seconds_count";
        Double total = PlatformHttp.sample(after, count, "");
        if (total == null) {
            System.out.println("platform side: no push latency histogram on /api/metrics");
            return;
        }
        Double start = PlatformHttp.sample(before, count, "");
        double n = total - (start == null ? 0 : start);
        StringBuilder line = new StringBuilder(String.format("platform side (change in -> list acknowledged by the "
                + "broker), %.0f lists:", n));
        for (String le : new String[] { "0.05", "0.1", "0.5", "1", "10" }) {
            String label = "le=\"" + le + "\"";
            Double a = PlatformHttp.sample(after, bucket, label);
            Double b = PlatformHttp.sample(before, bucket, label);
            double within = (a == null ? 0 : a) - (b == null ? 0 : b);
            line.append(String.format(" <= %s s %.1f%%", le, n == 0 ? 0 : 100 * within / n));
        }
        System.out.println(line);
    }

    /** One churn event on a connected gateway; returns its kind (0 move, 1 catalog, 2 outage, 3 leave). */
    private int event(SimGateway g) {
        int r = random.nextInt(100);
        long now = System.nanoTime();
        if (r < 45) {
            g.lat = clamp(g.lat + (random.nextDouble() - 0.5) * 0.003, LAT0, dLat);
            g.lon = clamp(g.lon + (random.nextDouble() - 0.5) * 0.0045, LON0, dLon);
            oracle.online(g.id, g.lat, g.lon, now, true);
            count(g.birth());
            return 0;
        }
        if (r < 75) {
            g.items.set(0, "c-" + g.id + "-r" + (g.rev + 1));
            oracle.catalog(g.id, g.items, now, true);
            count(g.catalog());
            return 1;
        }
        away.add(g);
        if (r < 90) {
            oracle.outage(g.id); // back within the will delay: its neighbours keep it (see Oracle.outage)
            g.drop().exceptionally(e -> null);
            rejoins.add(new Rejoin(now + TimeUnit.MILLISECONDS.toNanos(2000 + random.nextInt(4000)), g, false));
            return 2;
        }
        oracle.offline(g.id, now, true);
        count(g.goodbye());
        rejoins.add(new Rejoin(now + TimeUnit.MILLISECONDS.toNanos(3000 + random.nextInt(5000)), g, true));
        return 3;
    }

    /** A gateway's connect, retried like the uplink does (jittered 1-3 s pauses), at most 5 attempts. */
    private CompletableFuture<Void> connectWithRetries(SimGateway g, long[] ack, int attempt) {
        return g.connect(ack, false).handle((v, e) -> {
            if (e == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            if (attempt >= 5) {
                return CompletableFuture.<Void>failedFuture(e);
            }
            retries.incrementAndGet();
            g.seq--; // the next attempt takes the same seq again
            return CompletableFuture.runAsync(() -> { },
                    CompletableFuture.delayedExecutor(1000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(2000), TimeUnit.MILLISECONDS))
                    .thenCompose(x -> connectWithRetries(g, ack, attempt + 1));
        }).thenCompose(f -> f);
    }

    private void rejoinDue(long now) {
        while (!rejoins.isEmpty() && rejoins.peek().atNanos() <= now) {
            Rejoin r = rejoins.poll();
            reconnects.add(r.gateway().connect(new long[1], r.timed()).whenComplete((v, e) -> {
                if (e != null) {
                    reconnectFailures.incrementAndGet();
                }
            }).exceptionally(e -> null));
            away.remove(r.gateway());
        }
    }

    private void count(CompletableFuture<Void> publish) {
        publish.whenComplete((v, e) -> {
            if (e != null) {
                publishFailures.incrementAndGet();
            }
        });
    }

    /** The platform's online gateways against the simulator's. */
    private void presence(String when) throws Exception {
        Set<String> expected = oracle.onlineIds();
        Set<String> listed = Set.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        do {
            listed = platform.online();
            if (listed.equals(expected)) {
                break;
            }
            TimeUnit.SECONDS.sleep(5); // polling a REST API while the fleet settles (bench driver; 10 pages a poll)
        } while (System.nanoTime() < deadline);
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(listed);
        Set<String> phantom = new HashSet<>(listed);
        phantom.removeAll(expected);
        System.out.printf("presence %s: %d online here, %d listed online by the platform, %d missing, %d phantom "
                + "(accuracy %.2f%%)%n", when, expected.size(), listed.size(), missing.size(), phantom.size(),
                100.0 * (expected.size() - missing.size()) / Math.max(1, expected.size()));
    }

    private static boolean waitFor(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return true;
    }

    private static double clamp(double v, double base, double span) {
        return Math.max(base, Math.min(base + span, v));
    }

    private static double ms(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)) / 1e6;
    }
}
