package io.edgeshare.platform.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.edgeshare.testsupport.EdgeShareOptions;
import io.edgeshare.testsupport.MqttCallbackAdapter;

/**
 * The embedded HiveMQ's flow control as the platform configures it (PID edgeshare.platform.broker), with real
 * MQTT 5 clients: a fleet reconnecting together sends births, catalogs and reports while the platform's session
 * is busy (it acknowledges nothing, as when its store is slow), and the broker must queue them all for it.
 * HiveMQ's own default queue (1000 messages per client) dropped births this way at 1,000 gateways (issue 9).
 */
class EmbeddedBrokerFlowControlIT {
    private static final String PREFIX = "edgeshare/v1";
    // 60 x 42 = 2,520 messages: more than HiveMQ's default queue (1000) plus the platform's window (1000)
    private static final int GATEWAYS = 60;
    private static final int REPORTS = 40; // per gateway, after its birth and catalog
    private static final int PLATFORM_RECEIVE_MAXIMUM = 1000; // as MqttPlatformSession announces

    private final String platformPassword = EmbeddedBrokerAccessIT.randomPassword();
    private final List<MqttAsyncClient> clients = new ArrayList<>();
    private Path home;
    private HiveMqBroker broker;
    private int port;

    @AfterEach
    void stop() throws Exception {
        for (MqttAsyncClient c : clients) {
            try {
                if (c.isConnected()) {
                    c.disconnect().waitForCompletion(2_000);
                }
                c.close(true);
            } catch (MqttException e) {
                // already gone
            }
        }
        if (broker != null) {
            broker.close();
        }
        try (var files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void theBrokerAnnouncesTheConfiguredReceiveMaximum() throws Exception {
        start(new FlowControl(777, 100_000, true, 1000));
        IMqttToken connected = connect(new MqttAsyncClient(uri(), "edgeshare-platform-it", new MemoryPersistence()),
                "edgeshare-platform", platformPassword);
        assertEquals(777, connected.getResponseProperties().getReceiveMaximum());
    }

    @Test
    void aBurstLargerThanHiveMqsDefaultQueueReachesABusyPlatformWhole() throws Exception {
        start(FlowControl.DEFAULTS);
        BusyPlatform platform = new BusyPlatform();
        Set<String> sent = burst();
        assertTrue(sent.size() > 2 * 1000, "the burst must exceed HiveMQ's default queue plus the platform's window");
        platform.release();
        waitFor(() -> platform.received.containsAll(sent), 60, () -> "the platform received "
                + platform.received.size() + " of " + sent.size() + " messages; broker dropped "
                + broker.droppedMessages());
        assertEquals(sent, platform.received);
        assertEquals(0, broker.droppedMessages());
    }

    @Test
    void aPlatformCatchingUpIsSentMoreThanHiveMqsOwnInFlightLimit() throws Exception {
        start(FlowControl.DEFAULTS);
        // the platform's persistent session, offline while the fleet's burst is queued for it
        MqttAsyncClient platform = new MqttAsyncClient(uri(), "edgeshare-platform-node-1", new MemoryPersistence());
        platform.setManualAcks(true);
        Set<String> received = ConcurrentHashMap.newKeySet();
        platform.setCallback(new MqttCallbackAdapter() {
            @Override
            public void messageArrived(String topic, MqttMessage m) {
                received.add(topic + "|" + new String(m.getPayload(), StandardCharsets.UTF_8)); // never acknowledged
            }
        });
        connect(platform, "edgeshare-platform", platformPassword, false);
        platform.subscribe(new String[] { PREFIX + "/gw/+/presence", PREFIX + "/gw/+/catalog",
                PREFIX + "/gw/+/status" }, new int[] { 1, 1, 1 }).waitForCompletion(10_000);
        platform.disconnect().waitForCompletion(10_000);
        burst();

        connect(platform, "edgeshare-platform", platformPassword, false);
        // HiveMQ keeps one message per topic in flight (order per topic), so at most 3 x 60 topics can arrive
        // unacknowledged; its built-in limit would stop at 50
        int distinctTopics = 3 * GATEWAYS;
        waitFor(() -> received.size() >= distinctTopics, 30, () -> "the platform was sent " + received.size()
                + " unacknowledged messages; HiveMQ's own limit is 50");
        assertTrue(received.size() <= PLATFORM_RECEIVE_MAXIMUM, "never more than its receive maximum");
    }

    @Test
    void messagesTheBrokerDropsAreCounted() throws Exception {
        start(new FlowControl(FlowControl.DEFAULTS.serverReceiveMaximum(), 1000, true, 1000)); // HiveMQ's default queue
        BusyPlatform platform = new BusyPlatform();
        Set<String> sent = burst();
        platform.release();
        waitFor(() -> broker.droppedMessages() > 0, 30, () -> "no drop counted");
        // every message is either received by the platform or counted as dropped
        waitFor(() -> platform.received.size() + broker.droppedMessages() == sent.size(), 60,
                () -> platform.received.size() + " received + " + broker.droppedMessages() + " dropped != "
                        + sent.size() + " sent");
        assertTrue(sent.containsAll(platform.received));
        // and each drop is logged with the client and the reason (HiveMQ's event log, into the broker's log folder)
        Path log = home.resolve("broker").resolve("log").resolve("dropped.log");
        waitFor(() -> droppedLines(log) > 0, 10, () -> "no drop in " + log);
        assertTrue(droppedLines(log) <= broker.droppedMessages());
    }

    /** Lines of the drop log naming the platform's session and a full queue. */
    private static long droppedLines(Path log) {
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("Receiving client: edgeshare-platform-node-1,")
                    && l.contains("The client message queue is full")).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private void start(FlowControl flow) throws Exception {
        home = Files.createTempDirectory("broker-flow-it");
        DeviceFile devices = new DeviceFile(home.resolve("devices"));
        port = EdgeShareOptions.freePort();
        BrokerAccess access = new BrokerAccess(PREFIX, new BrokerAdmission(devices, platformPassword), e -> {
        }, 1_048_576);
        gatewayPasswords.clear();
        for (int i = 0; i < GATEWAYS; i++) {
            gatewayPasswords.add(devices.enrol("gw-" + i).password());
        }
        broker = HiveMqBroker.start(Path.of(System.getProperty("edgeshare.broker.lib")), home.resolve("broker"),
                "127.0.0.1", port, access, flow, 60);
    }

    private final List<String> gatewayPasswords = new ArrayList<>();

    /**
     * Every gateway connects, sends its birth (retained), its catalog and {@link #REPORTS} status reports at
     * once; returns when the broker acknowledged them all, as topic|payload.
     */
    private Set<String> burst() throws Exception {
        Set<String> sent = ConcurrentHashMap.newKeySet();
        List<IMqttToken> acks = new ArrayList<>();
        for (int i = 0; i < GATEWAYS; i++) {
            String id = "gw-" + i;
            MqttAsyncClient gateway = new MqttAsyncClient(uri(), "gw-" + id, new MemoryPersistence());
            connect(gateway, id, gatewayPasswords.get(i));
            String own = PREFIX + "/gw/" + id + "/";
            acks.add(send(gateway, own + "presence", "{\"online\":true,\"id\":\"" + id + "\"}", true, sent));
            acks.add(send(gateway, own + "catalog", "{\"items\":[\"" + id + "-a\",\"" + id + "-b\"]}", false, sent));
            for (int r = 0; r < REPORTS; r++) {
                acks.add(send(gateway, own + "status", "{\"seq\":" + r + "}", false, sent));
            }
        }
        for (IMqttToken t : acks) {
            t.waitForCompletion(60_000);
        }
        return sent;
    }

    private static IMqttToken send(MqttAsyncClient gateway, String topic, String payload, boolean retained,
            Set<String> sent) throws MqttException {
        sent.add(topic + "|" + payload);
        return gateway.publish(topic, new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), 1, retained, null));
    }

    /** The platform's session: subscribed to all gateways, acknowledging nothing until released. */
    private final class BusyPlatform {
        final Set<String> received = ConcurrentHashMap.newKeySet();
        private final List<MqttMessage> held = new ArrayList<>(); // guarded by this
        private final MqttAsyncClient client;
        private boolean busy = true; // guarded by this

        BusyPlatform() throws MqttException {
            client = new MqttAsyncClient(uri(), "edgeshare-platform-node-1", new MemoryPersistence());
            client.setManualAcks(true);
            client.setCallback(new MqttCallbackAdapter() {
                @Override
                public void messageArrived(String topic, MqttMessage m) throws MqttException {
                    received.add(topic + "|" + new String(m.getPayload(), StandardCharsets.UTF_8));
                    synchronized (BusyPlatform.this) {
                        if (busy) {
                            held.add(m);
                            return;
                        }
                    }
                    client.messageArrivedComplete(m.getId(), m.getQos());
                }
            });
            connect(client, "edgeshare-platform", platformPassword);
            client.subscribe(new String[] { PREFIX + "/gw/+/presence", PREFIX + "/gw/+/catalog",
                    PREFIX + "/gw/+/status" }, new int[] { 1, 1, 1 }).waitForCompletion(10_000);
        }

        void release() throws MqttException {
            List<MqttMessage> now;
            synchronized (this) {
                busy = false;
                now = new ArrayList<>(held);
                held.clear();
            }
            for (MqttMessage m : now) {
                client.messageArrivedComplete(m.getId(), m.getQos());
            }
        }
    }

    private IMqttToken connect(MqttAsyncClient client, String username, String password) throws MqttException {
        return connect(client, username, password, true);
    }

    /** @param cleanStart false: a session kept for an hour while the client is away */
    private IMqttToken connect(MqttAsyncClient client, String username, String password, boolean cleanStart)
            throws MqttException {
        if (!clients.contains(client)) {
            clients.add(client);
        }
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(username);
        o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        o.setCleanStart(cleanStart);
        if (!cleanStart) {
            o.setSessionExpiryInterval(3600L);
        }
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(10);
        o.setReceiveMaximum(PLATFORM_RECEIVE_MAXIMUM);
        IMqttToken t = client.connect(o);
        t.waitForCompletion(15_000);
        return t;
    }

    private String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    private static void waitFor(BooleanSupplier condition, int seconds, java.util.function.Supplier<String> why)
            throws Exception {
        EdgeShareOptions.await(java.time.Duration.ofSeconds(seconds), condition::getAsBoolean, why);
    }
}
