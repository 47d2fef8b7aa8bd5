package io.edgeshare.platform.broker.internal;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import io.edgeshare.testsupport.MqttCallbackAdapter;

/**
 * What access control costs in the embedded broker (bench/broker/access.sh, not a test): the same HiveMQ CE
 * with EdgeShare's access extension ("auth") or with HiveMQ's open defaults ("open"). Measures report ingest
 * (GATEWAYS clients each publishing REPORTS status reports at QoS 1 as fast as they can with at most 500 not yet
 * delivered, until the platform's subscriber has all) and the policy round trip (the platform publishes policy/desired, the gateway answers on
 * policy/reported; ROUNDS times).
 *
 * usage: BrokerAccessBench auth|open GATEWAYS REPORTS ROUNDS   (-Dedgeshare.broker.lib=target/hivemq-lib)
 */
public final class BrokerAccessBench {
    private static final String PREFIX = "edgeshare/v1";
    private static final String PLATFORM_PASSWORD = "bench-platform-password";

    public static void main(String[] args) throws Exception {
        boolean auth = args[0].equals("auth");
        int gateways = Integer.parseInt(args[1]);
        int reports = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        Path home = Files.createTempDirectory("broker-bench");
        DeviceFile devices = new DeviceFile(home.resolve("devices"));
        String[] passwords = new String[gateways];
        for (int i = 0; i < gateways; i++) {
            passwords[i] = devices.enrol("gw-" + i).password();
        }
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        BrokerAccess access = new BrokerAccess(PREFIX, auth ? new BrokerAdmission(devices, PLATFORM_PASSWORD) : null,
                e -> {
                }, 1_048_576);
        try (HiveMqBroker broker = HiveMqBroker.start(Path.of(System.getProperty("edgeshare.broker.lib")),
                home.resolve("broker"), "127.0.0.1", port, access,
                new FlowControl(10, 1000, true, 50), 120)) { // HiveMQ's defaults, as in the figures recorded so far
            String uri = "tcp://127.0.0.1:" + port;
            MqttClient platform = connect(uri, "edgeshare-platform-bench", "edgeshare-platform", PLATFORM_PASSWORD);
            List<MqttClient> clients = new ArrayList<>();
            for (int i = 0; i < gateways; i++) {
                clients.add(connect(uri, "gw-gw-" + i, "gw-" + i, passwords[i]));
            }
            ingest(platform, clients, reports); // warm-up
            double perSecond = ingest(platform, clients, reports);
            double[] latency = roundTrips(platform, clients.get(0), rounds);
            System.out.printf("%s: ingest %.0f reports/s (%d gateways x %d); policy round trip p50 %.1f ms,"
                    + " p99 %.1f ms, max %.1f ms (%d rounds)%n", auth ? "auth" : "open", perSecond, gateways, reports,
                    pct(latency, 50), pct(latency, 99), latency[latency.length - 1], rounds);
            for (MqttClient c : clients) {
                c.disconnect();
                c.close();
            }
            platform.disconnect();
            platform.close();
        } finally {
            try (var files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static double ingest(MqttClient platform, List<MqttClient> clients, int reports) throws Exception {
        int total = clients.size() * reports;
        CountDownLatch all = new CountDownLatch(total);
        AtomicInteger seen = new AtomicInteger();
        // HiveMQ queues at most 1,000 messages for a subscriber and drops the rest: keep fewer than that in
        // flight, as real gateways (one report every few seconds each) always do
        Semaphore window = new Semaphore(500);
        platform.setCallback(new MqttCallbackAdapter() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                seen.incrementAndGet();
                window.release();
                all.countDown();
            }
        });
        platform.subscribe(PREFIX + "/gw/+/status", 1);
        byte[] payload = ("{\"report\":\"" + "x".repeat(500) + "\"}").getBytes(StandardCharsets.UTF_8);
        ExecutorService pool = Executors.newFixedThreadPool(clients.size(), r -> {
            Thread t = new Thread(r, "bench-gateway");
            t.setDaemon(true); // a failed run must still end
            return t;
        });
        long t0 = System.nanoTime();
        List<Future<?>> sent = new ArrayList<>();
        for (MqttClient c : clients) {
            String topic = PREFIX + "/gw/" + c.getClientId().substring(3) + "/status";
            sent.add(pool.submit(() -> {
                for (int i = 0; i < reports; i++) {
                    window.acquire();
                    c.publish(topic, new MqttMessage(payload, 1, false, null));
                }
                return null;
            }));
        }
        for (Future<?> f : sent) {
            f.get(10, TimeUnit.MINUTES);
        }
        if (!all.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("only " + seen.get() + " of " + total + " reports arrived");
        }
        long ns = System.nanoTime() - t0;
        pool.shutdown();
        platform.unsubscribe(PREFIX + "/gw/+/status");
        return total / (ns / 1e9);
    }

    private static double[] roundTrips(MqttClient platform, MqttClient gateway, int rounds) throws Exception {
        String own = PREFIX + "/gw/" + gateway.getClientId().substring(3);
        BlockingQueue<Long> answers = new LinkedBlockingQueue<>();
        platform.setCallback(new MqttCallbackAdapter() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                answers.add(System.nanoTime());
            }
        });
        platform.subscribe(own + "/policy/reported", 1);
        gateway.setCallback(new MqttCallbackAdapter() {
            @Override
            public void messageArrived(String topic, MqttMessage message) throws Exception {
                gateway.publish(own + "/policy/reported", new MqttMessage(message.getPayload(), 1, false, null));
            }
        });
        gateway.subscribe(own + "/policy/desired", 1);
        double[] ms = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            platform.publish(own + "/policy/desired",
                    new MqttMessage(("{\"generation\":" + i + "}").getBytes(StandardCharsets.UTF_8), 1, true, null));
            Long t1 = answers.poll(10, TimeUnit.SECONDS);
            if (t1 == null) {
                throw new IllegalStateException("no policy/reported in round " + i);
            }
            ms[i] = (t1 - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.round(p / 100.0 * (sorted.length - 1)))];
    }

    private static MqttClient connect(String uri, String clientId, String user, String password) throws Exception {
        MqttClient c = new MqttClient(uri, clientId, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(user);
        o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        o.setCleanStart(true);
        o.setMaximumPacketSize(1_048_576L);
        o.setReceiveMaximum(65_535);
        c.connect(o);
        return c;
    }
}
