package io.edgeshare.platform.fleet.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import io.edgeshare.platform.nearby.internal.GeoGrid;
import io.edgeshare.platform.store.internal.JdbcFleetStore;
import io.edgeshare.protocol.MessageCodec;
import io.edgeshare.protocol.NearbyList;
import io.edgeshare.protocol.NearbySharerEntry;
import io.edgeshare.testsupport.MosquittoBroker;
import io.edgeshare.testsupport.MqttCallbackAdapter;

/**
 * Fleet push benchmark (bench/fleet/run.sh): N simulated gateways (40 per km², 300 m range) born at once against a
 * throwaway Mosquitto (receive maximum 10, as the embedded broker) and the fleet service on an H2 file; then 1% of
 * the fleet moves per second. An observer subscribed to every nearby topic measures, for every list a move changes,
 * the time from the move's publish to the arrival of the right list (coalesced lists count from the earliest
 * change they carry). Bounded: N ≤ 5000, churn ≤ 120 s, loopback only. Usage: FleetPushBenchMain [N] [seconds]
 */
public final class FleetPushBenchMain {
    private static final double RANGE_M = 300;
    private static final String PREFIX = "edgeshare/v1/gw/";

    private final Map<String, double[]> at = new HashMap<>();
    private final Map<String, List<String>> expected = new HashMap<>();
    private final Map<String, Long> pendingSince = new HashMap<>(); // gateway -> earliest unanswered change
    private final List<Long> latencies = new ArrayList<>();
    private final MessageCodec codec = new MessageCodec();

    public static void main(String[] args) throws Exception {
        int n = Math.min(5000, args.length > 0 ? Integer.parseInt(args[0]) : 1000);
        int seconds = Math.min(120, args.length > 1 ? Integer.parseInt(args[1]) : 30);
        new FleetPushBenchMain().run(n, seconds);
    }

    private void run(int n, int seconds) throws Exception {
        Path dir = Files.createTempDirectory("fleet-bench");
        double sideKm = Math.sqrt(n / 40.0);
        double dLat = sideKm / 111.2;
        double dLon = sideKm / (111.2 * Math.cos(Math.toRadians(48.85)));
        Random random = new Random(1);
        try (MosquittoBroker broker = MosquittoBroker.start("max_inflight_messages 10\n")) {
            JdbcFleetStore store = FleetFixtures.store(dir);
            MqttFleetService fleet = FleetFixtures.fleet(FleetFixtures.fleetConfig(Map.of()), store, broker.uri(),
                    "edgeshare-platform-bench");
            MqttClient observer = new MqttClient(broker.uri(), "bench-observer", new MemoryPersistence());
            observer.setCallback(new MqttCallbackAdapter() {
                @Override
                public void messageArrived(String topic, MqttMessage m) throws Exception {
                    arrived(topic.substring(PREFIX.length(), topic.length() - "/nearby".length()),
                            codec.decode(m.getPayload(), NearbyList.class).sharers());
                }
            });
            observer.connect();
            observer.subscribe(PREFIX + "+/nearby", 1);
            MqttClient sim = new MqttClient(broker.uri(), "bench-simulator", new MemoryPersistence());
            sim.connect();
            Thread.sleep(3000); // let the fleet service connect and finish its start-up re-read (a bench, not a test)
            long t0 = System.nanoTime();
            Map<String, Long> seq = new HashMap<>();
            for (int i = 0; i < n; i++) {
                String id = String.format("gw-%05d", i);
                seq.put(id, 1L);
                move(sim, id, 48.85 + random.nextDouble() * dLat, 2.30 + random.nextDouble() * dLon, 1);
            }
            waitSettled(60);
            System.out.printf("births: %d gateways, every list right after %.2f s (%d lists)%n", n,
                    (System.nanoTime() - t0) / 1e9, latencies.size());
            synchronized (this) {
                latencies.clear();
            }
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            int moves = 0;
            while (System.nanoTime() < end) {
                for (int k = 0; k < Math.max(1, n / 1000); k++) {
                    String id = String.format("gw-%05d", random.nextInt(n));
                    double[] p = at.get(id);
                    move(sim, id, clamp(p[0] + (random.nextDouble() - 0.5) * 0.004, 48.85, dLat),
                            clamp(p[1] + (random.nextDouble() - 0.5) * 0.006, 2.30, dLon), seq.merge(id, 1L, Long::sum));
                    moves++;
                }
                Thread.sleep(100); // the churn rate: 1% of the fleet per second
            }
            boolean settled = waitSettled(30);
            report(n, moves, settled, fleet);
            sim.disconnect();
            observer.disconnect();
            FleetFixtures.stop(fleet);
            store.close();
        }
    }

    private static double clamp(double v, double base, double span) {
        return Math.max(base, Math.min(base + span, v));
    }

    /** Publishes a birth at a new place and records which lists that changes, from now. */
    private void move(MqttClient sim, String id, double lat, double lon, long seq) throws Exception {
        synchronized (this) {
            double[] old = at.put(id, new double[] { lat, lon });
            long now = System.nanoTime();
            for (String affected : around(old, lat, lon, id)) {
                List<String> list = listFor(affected);
                if (!list.equals(expected.get(affected))) {
                    expected.put(affected, list);
                    pendingSince.putIfAbsent(affected, now);
                }
            }
        }
        String json = "{\"state\":\"online\",\"deviceId\":\"" + id + "\",\"seq\":" + seq + ",\"location\":{\"lat\":"
                + lat + ",\"lon\":" + lon + "},\"portalUrl\":\"http://127.0.0.1:9/" + id + "/\"}";
        FleetFixtures.publish(sim, PREFIX + id + "/presence", json, true);
    }

    private List<String> around(double[] old, double lat, double lon, String self) {
        List<String> out = new ArrayList<>(List.of(self));
        for (Map.Entry<String, double[]> e : at.entrySet()) {
            double[] p = e.getValue();
            if (!e.getKey().equals(self) && (GeoGrid.haversineM(lat, lon, p[0], p[1]) <= RANGE_M
                    || old != null && GeoGrid.haversineM(old[0], old[1], p[0], p[1]) <= RANGE_M)) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** Brute force: sharers within range, nearest first (ties by id), at most 20. */
    private List<String> listFor(String id) {
        double[] self = at.get(id);
        List<Map.Entry<String, Double>> near = new ArrayList<>();
        for (Map.Entry<String, double[]> e : at.entrySet()) {
            double d = GeoGrid.haversineM(self[0], self[1], e.getValue()[0], e.getValue()[1]);
            if (!e.getKey().equals(id) && d <= RANGE_M) {
                near.add(Map.entry(e.getKey(), d));
            }
        }
        near.sort(Map.Entry.<String, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
        return near.stream().limit(20).map(Map.Entry::getKey).toList();
    }

    private synchronized void arrived(String id, List<NearbySharerEntry> sharers) {
        Long since = pendingSince.get(id);
        if (since != null && sharers.stream().map(NearbySharerEntry::deviceId).toList().equals(expected.get(id))) {
            latencies.add(System.nanoTime() - since);
            pendingSince.remove(id);
        }
    }

    private boolean waitSettled(int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            synchronized (this) {
                if (pendingSince.isEmpty()) {
                    return true;
                }
            }
            Thread.sleep(50);
        }
        return false;
    }

    private synchronized void report(int n, int moves, boolean settled, MqttFleetService fleet) {
        List<Long> sorted = latencies.stream().sorted().toList();
        System.out.printf("churn: %d moves, %d changed lists arrived right, %d never did%s%n", moves, sorted.size(),
                pendingSince.size(), settled ? "" : " (not settled after 30 s)");
        if (!sorted.isEmpty()) {
            System.out.printf("push latency (move published -> right list received): p50 %.1f ms, p95 %.1f ms, "
                    + "p99 %.1f ms, max %.1f ms%n", ms(sorted, 0.50), ms(sorted, 0.95), ms(sorted, 0.99),
                    sorted.get(sorted.size() - 1) / 1e6);
        }
        Map<String, Number> m = fleet.snapshot().metrics();
        System.out.printf("platform histogram: %d lists acknowledged, mean %.1f ms; fleet gateways %s online %s%n",
                m.get("push.latency.seconds.count").longValue(), 1000 * m.get("push.latency.seconds.sum").doubleValue()
                        / Math.max(1, m.get("push.latency.seconds.count").longValue()), m.get("gateways"),
                m.get("gateways.online"));
    }

    private static double ms(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)) / 1e6;
    }
}
