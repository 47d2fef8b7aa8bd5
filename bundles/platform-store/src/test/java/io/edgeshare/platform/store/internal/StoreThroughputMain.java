package io.edgeshare.platform.store.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.edgeshare.api.ap.GeoLocation;
import io.edgeshare.api.fleet.CatalogItem;
import io.edgeshare.api.fleet.CatalogUpdate;
import io.edgeshare.api.fleet.FleetWrite;
import io.edgeshare.api.fleet.GatewayBirth;

/**
 * Write rates of the store (bench/store/run.sh): births, status reports and 20-item catalogs per second, from 1
 * and 8 threads, on the embedded H2 file and on a throwaway PostgreSQL cluster. Every write is durable on return.
 */
public final class StoreThroughputMain {

    private StoreThroughputMain() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        boolean onlyFleetReports = args.length > 1 && args[1].equals("reports");
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        Path dir = Files.createTempDirectory("edgeshare-store-bench");
        try (JdbcFleetStore h2 = new JdbcFleetStore(Database.open(JdbcFleetStore.embeddedUrl(dir.resolve("fleet")),
                "", "", 8))) {
            h2.awaitReady();
            if (!onlyFleetReports) {
                measure("h2 (embedded file)", h2, n);
            }
            fleetReports("h2 (embedded file)", h2, n, rounds);
        }
        if (onlyFleetReports) {
            return;
        }
        Optional<Path> bin = LocalPostgres.binaries();
        if (bin.isEmpty()) {
            System.out.println("postgresql: binaries not installed, skipped");
            return;
        }
        try (LocalPostgres pg = LocalPostgres.start(bin.get());
                JdbcFleetStore store = new JdbcFleetStore(Database.open(pg.createDatabase(), LocalPostgres.USER,
                        LocalPostgres.PASSWORD, 8))) {
            store.awaitReady();
            measure("postgresql 15 (loopback, fsync on)", store, n);
            fleetReports("postgresql 15 (loopback, fsync on)", store, n, rounds);
        }
    }

    /**
     * The platform's report lane in a running fleet: {@code n} gateways each report once a round, in a shuffled
     * order, in batches of 100 (FleetIngest's), a ~300-byte document like a gateway's; {@code rounds} rounds, so each
     * gateway's history builds up as it does (past 100 rounds, the oldest is pruned with each report). The rate of
     * the second half of the rounds is printed.
     */
    private static void fleetReports(String name, JdbcFleetStore store, int n, int rounds) throws Exception {
        String run = "gw-fleet-" + Long.toString(System.nanoTime() % 100_000, 36) + "-";
        int batch = 100;
        for (int from = 0; from < n; from += 500) {
            int f = from;
            store.births(java.util.stream.IntStream.range(f, Math.min(n, f + 500)).mapToObj(i -> new GatewayBirth(
                    run + i, 1, Instant.now(), "m", "mall-ap", "f", new GeoLocation(45, 5), "http://x/", List.of()))
                    .toList());
        }
        List<Integer> order = new java.util.ArrayList<>(java.util.stream.IntStream.range(0, n).boxed().toList());
        java.util.Random random = new java.util.Random(1);
        double lastRounds = 0;
        for (int round = 0; round < rounds; round++) {
            java.util.Collections.shuffle(order, random);
            long t0 = System.nanoTime();
            for (int from = 0; from < n; from += batch) {
                store.reports(order.subList(from, Math.min(n, from + batch)).stream().map(i -> {
                    String now = Instant.now().toString();
                    String doc = "{\"deviceId\":\"" + run + i + "\",\"msgId\":" + i + ",\"seq\":1,\"ts\":\"" + now
                            + "\",\"location\":{\"lat\":45.0012,\"lon\":5.0034},\"bytesSaved\":1000000,"
                            + "\"sources\":{\"cache\":{\"at\":\"" + now + "\",\"metrics\":{\"bytes.saved\":1000000,"
                            + "\"listeners\":3},\"labels\":{}}}}";
                    return new io.edgeshare.api.fleet.GatewayReport(run + i, Instant.now(), doc);
                }).toList());
            }
            if (round >= rounds / 2) {
                lastRounds += (System.nanoTime() - t0) / 1e9;
            }
        }
        int measured = rounds - rounds / 2;
        System.out.printf("%s, a fleet of %,d reporting (rounds %d-%d of %d, batches of %d, ~300-byte documents): "
                + "%,.0f reports/s%n", name, n, rounds / 2 + 1, rounds, rounds, batch, (double) measured * n / lastRounds);
    }

    private static void measure(String name, JdbcFleetStore store, int n) throws Exception {
        List<CatalogItem> items = java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> new CatalogItem("item-" + i, "t", "video/mp4", i, "", "")).toList();
        for (int threads : new int[] { 1, 8 }) {
            String run = name.substring(0, 2) + threads;
            double births = rate(threads, n, i -> store.birth(new GatewayBirth("gw-" + run + "-" + i, 1, Instant.now(),
                    "m", "home-gateway", "f", new GeoLocation(45, 5), "http://x/", List.of())));
            double reports = rate(threads, n, i -> store.report("gw-" + run + "-" + i, "{\"sources\":{}}",
                    Instant.now()));
            double catalogs = rate(threads, n, i -> store.putCatalog(CatalogUpdate.full("gw-" + run + "-" + i, 1,
                    items, Instant.now())));
            System.out.printf("%s, %d thread%s: %,.0f births/s, %,.0f reports/s, %,.0f catalogs (20 items)/s%n",
                    name, threads, threads == 1 ? "" : "s", births, reports, catalogs);
        }
        int batch = 200;
        double births = rate(1, n / batch, b -> store.births(java.util.stream.IntStream.range(0, batch)
                .mapToObj(i -> new GatewayBirth("gw-batch-" + (b * batch + i), 1, Instant.now(), "m", "home-gateway",
                        "f", new GeoLocation(45, 5), "http://x/", List.of())).toList())) * batch;
        double reports = rate(1, n / batch, b -> store.reports(java.util.stream.IntStream.range(0, batch)
                .mapToObj(i -> new io.edgeshare.api.fleet.GatewayReport("gw-batch-" + (b * batch + i), Instant.now(),
                        "{\"sources\":{}}")).toList())) * batch;
        System.out.printf("%s, batches of %d, 1 thread: %,.0f births/s, %,.0f reports/s%n", name, batch, births,
                reports);
        // what a fleet announces arrives interleaved: a gateway's birth, then its catalog
        double alone = rate(1, n, i -> {
            String id = "gw-pair-" + i;
            store.birth(new GatewayBirth(id, 1, Instant.now(), "m", "home-gateway", "f", new GeoLocation(45, 5),
                    "http://x/", List.of()));
            return store.putCatalog(CatalogUpdate.full(id, 1, items, Instant.now()));
        });
        int pairs = batch / 2;
        double together = rate(1, n / pairs, b -> store.write(java.util.stream.IntStream.range(0, pairs)
                .boxed().flatMap(i -> {
                    String id = "gw-mixed-" + (b * pairs + i);
                    return java.util.stream.Stream.of(new FleetWrite.Birth(new GatewayBirth(id, 1, Instant.now(),
                            "m", "home-gateway", "f", new GeoLocation(45, 5), "http://x/", List.of())),
                            (FleetWrite) new FleetWrite.Catalog(CatalogUpdate.full(id, 1, items, Instant.now())));
                }).toList())) * pairs;
        System.out.printf("%s, a birth then its catalog per gateway, 1 thread: %,.0f gateways/s one transaction per"
                + " write, %,.0f gateways/s in FleetStore.write batches of %d writes%n", name, alone, together, batch);
    }

    private interface Write {
        Object run(int i);
    }

    private static double rate(int threads, int n, Write write) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                done.add(pool.submit(() -> {
                    for (int i = offset; i < n; i += threads) {
                        write.run(i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }
}
