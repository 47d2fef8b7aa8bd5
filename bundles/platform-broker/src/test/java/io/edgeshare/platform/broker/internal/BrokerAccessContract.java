package io.edgeshare.platform.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.edgeshare.testsupport.MqttCallbackAdapter;

/**
 * The attacks of issue 8 on the MQTT side (anonymous clients, impersonation, history rewriting, reading another
 * gateway's policy, client-id takeover, a revoked device), each refused, and the paths a gateway and the
 * platform need (K2), each working. Run against every broker EdgeShare supports: the embedded HiveMQ with its
 * access extension and Mosquitto with dynamic security.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrokerAccessContract {
    static final String PREFIX = "edgeshare/v1";
    static final String PLATFORM = "edgeshare-platform";

    private final List<MqttClient> clients = new ArrayList<>();
    private String louvre;
    private String rivoli;

    /** Starts the broker with its access rules on a free loopback port. */
    abstract void startBroker() throws Exception;

    abstract void stopBroker() throws Exception;

    // not on the abstract method: JUnit does not run a lifecycle method that a subclass overrides
    @AfterAll
    void stopTheBroker() throws Exception {
        stopBroker();
    }

    /** The broker's port on 127.0.0.1. */
    abstract int port();

    /** Enrols the device and returns its new password. */
    abstract String enrol(String deviceId) throws Exception;

    abstract void revoke(String deviceId) throws Exception;

    abstract String platformPassword();

    @BeforeAll
    void startAndEnrolGateways() throws Exception {
        startBroker();
        louvre = enrol("gw-louvre");
        rivoli = enrol("gw-rivoli");
        MqttClient platform = connect("edgeshare-platform-test", PLATFORM, platformPassword());
        MqttMessage policy = new MqttMessage("{\"ap.passphrase\":\"secret\"}".getBytes(StandardCharsets.UTF_8), 1,
                true, null);
        platform.publish(PREFIX + "/gw/gw-rivoli/policy/desired", policy);
        platform.disconnect();
        platform.close();
    }

    @AfterEach
    void closeClients() {
        for (MqttClient c : clients) {
            try {
                if (c.isConnected()) {
                    c.disconnect();
                }
                c.close();
            } catch (MqttException e) {
                // already gone
            }
        }
        clients.clear();
    }

    @Test
    void anonymousPublishIsRefusedAtConnect() throws Exception {
        Peer peer = peer("mosquitto_pub", "-i", "anonymous", "-t", PREFIX + "/gw/gw-evil/status", "-m", "{}");
        assertNotEquals(0, peer.exit(), peer.output());
    }

    @Test
    void wrongPasswordIsRefused() {
        MqttException e = assertThrows(MqttException.class, () -> connect("gw-gw-louvre", "gw-louvre", "guess"));
        assertTrue(e.getReasonCode() >= 0x80, "reason " + e.getReasonCode());
    }

    @ParameterizedTest
    @ValueSource(strings = { "status", "presence", "catalog", "policy/reported" })
    void aGatewayCannotPublishAnotherGatewaysReport(String report) throws Exception {
        BlockingQueue<String> seen = platformWatching(PREFIX + "/gw/+/#");
        MqttClient gateway = connect("gw-gw-louvre", "gw-louvre", louvre);
        publishIgnoringRefusal(gateway, PREFIX + "/gw/gw-rivoli/" + report, "{\"bytes.saved\":1e15}");
        // Messages arrive in order: once louvre's own status is in, the forged one would have been too.
        publishSentinel(gateway, PREFIX + "/gw/gw-louvre/status");
        List<String> topics = drainUntil(seen, PREFIX + "/gw/gw-louvre/status");
        assertFalse(topics.contains(PREFIX + "/gw/gw-rivoli/" + report), topics.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = { PREFIX + "/gw/gw-rivoli/policy/desired", PREFIX + "/#", "#",
            PREFIX + "/gw/+/policy/desired" })
    void aGatewayCannotReadAnotherGatewaysPolicy(String filter) throws Exception {
        Peer peer = peer("mosquitto_sub", "-u", "gw-louvre", "-P", louvre, "-i", "gw-gw-louvre", "-t", filter,
                "-C", "1", "-W", "4");
        assertFalse(peer.output().contains("ap.passphrase"), peer.output());
    }

    @Test
    void aGatewayReadsItsOwnPolicy() throws Exception {
        Peer peer = peer("mosquitto_sub", "-u", "gw-rivoli", "-P", rivoli, "-i", "gw-gw-rivoli", "-t",
                PREFIX + "/gw/gw-rivoli/policy/desired", "-C", "1", "-W", "10");
        assertEquals(0, peer.exit(), peer.output());
        assertTrue(peer.output().contains("ap.passphrase"), peer.output());
    }

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void aClientIdTakeoverIsRefusedAndTheGatewayStaysConnected(boolean withAnotherDevicesCredential)
            throws Exception {
        CountDownLatch dropped = new CountDownLatch(1);
        MqttClient gateway = connect("gw-gw-rivoli", "gw-rivoli", rivoli);
        gateway.setCallback(new MqttCallbackAdapter() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                dropped.countDown();
            }
        });
        List<String> args = new ArrayList<>(List.of("mosquitto_sub", "-i", "gw-gw-rivoli", "-t", "x", "-C", "1",
                "-W", "3"));
        if (withAnotherDevicesCredential) {
            args.addAll(List.of("-u", "gw-louvre", "-P", louvre));
        }
        Peer stranger = peer(args.toArray(String[]::new));
        // 27 is mosquitto_sub's "connected, but nothing arrived in time"
        assertTrue(stranger.exit() != 0 && stranger.exit() != 27, stranger.exit() + " " + stranger.output());
        assertFalse(dropped.await(0, TimeUnit.SECONDS), "the real gateway was disconnected");
        assertTrue(gateway.isConnected());
        gateway.publish(PREFIX + "/gw/gw-rivoli/status", new MqttMessage("{}".getBytes(StandardCharsets.UTF_8), 1,
                false, null));
    }

    @Test
    void aRevokedGatewayIsRefused() throws Exception {
        String password = enrol("gw-revoked");
        connect("gw-gw-revoked", "gw-revoked", password).disconnect();
        revoke("gw-revoked");
        MqttException e = assertThrows(MqttException.class, () -> connect("gw-gw-revoked", "gw-revoked", password));
        assertTrue(e.getReasonCode() >= 0x80, "reason " + e.getReasonCode());
    }

    @Test
    void aRevokedGatewaysConnectionIsClosed() throws Exception {
        String password = enrol("gw-revoked-live");
        CountDownLatch dropped = new CountDownLatch(1);
        MqttClient gateway = connect("gw-gw-revoked-live", "gw-revoked-live", password);
        gateway.setCallback(new MqttCallbackAdapter() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                dropped.countDown();
            }
        });
        revoke("gw-revoked-live");
        assertTrue(dropped.await(10, TimeUnit.SECONDS), "still connected after revocation");
    }

    @Test
    void aGatewayAnswersAPlatformCommand() throws Exception {
        BlockingQueue<MqttMessage> answers = new LinkedBlockingQueue<>();
        MqttClient platform = connect("edgeshare-platform-ops", PLATFORM, platformPassword());
        platform.setCallback(new MqttCallbackAdapter() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                answers.add(message);
            }
        });
        platform.subscribe(PREFIX + "/gw/gw-louvre/res/cli", 1);
        MqttClient gateway = connect("gw-gw-louvre", "gw-louvre", louvre);
        gateway.setCallback(new MqttCallbackAdapter() {
            @Override
            public void messageArrived(String topic, MqttMessage request) throws MqttException {
                MqttProperties props = new MqttProperties();
                props.setCorrelationData(request.getProperties().getCorrelationData());
                MqttMessage answer = new MqttMessage("{\"ok\":true}".getBytes(StandardCharsets.UTF_8), 1, false, props);
                gateway.publish(request.getProperties().getResponseTopic(), answer);
            }
        });
        gateway.subscribe(PREFIX + "/gw/gw-louvre/cmd/+", 1);
        MqttProperties props = new MqttProperties();
        props.setResponseTopic(PREFIX + "/gw/gw-louvre/res/cli");
        props.setCorrelationData("c1".getBytes(StandardCharsets.UTF_8));
        platform.publish(PREFIX + "/gw/gw-louvre/cmd/status",
                new MqttMessage("{}".getBytes(StandardCharsets.UTF_8), 1, false, props));
        MqttMessage answer = answers.poll(15, TimeUnit.SECONDS);
        assertNotNull(answer, "no answer");
        assertEquals("c1", new String(answer.getProperties().getCorrelationData(), StandardCharsets.UTF_8));
    }

    @Test
    void thePlatformSeesAGatewaysPresenceAndStatus() throws Exception {
        BlockingQueue<String> seen = platformWatching(PREFIX + "/gw/gw-rivoli/+");
        MqttClient gateway = connect("gw-gw-rivoli", "gw-rivoli", rivoli);
        gateway.publish(PREFIX + "/gw/gw-rivoli/presence", new MqttMessage("{}".getBytes(StandardCharsets.UTF_8)));
        gateway.publish(PREFIX + "/gw/gw-rivoli/status", new MqttMessage("{}".getBytes(StandardCharsets.UTF_8)));
        List<String> topics = drainUntil(seen, PREFIX + "/gw/gw-rivoli/status");
        assertTrue(topics.contains(PREFIX + "/gw/gw-rivoli/presence"), topics.toString());
    }

    private BlockingQueue<String> platformWatching(String filter) throws MqttException {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        MqttClient platform = connect("edgeshare-platform-watch", PLATFORM, platformPassword());
        platform.setCallback(new MqttCallbackAdapter() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                if (!message.isRetained()) {
                    seen.add(topic);
                }
            }
        });
        platform.subscribe(filter, 1);
        return seen;
    }

    private static List<String> drainUntil(BlockingQueue<String> seen, String last) throws InterruptedException {
        List<String> topics = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            String t = seen.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (t == null) {
                break;
            }
            topics.add(t);
            if (t.equals(last)) {
                return topics;
            }
        }
        throw new AssertionError("never saw " + last + ", only " + topics);
    }

    /**
     * Publishes an allowed message from the gateway that just tried a forbidden one. A broker may answer the
     * forbidden publish with an error PUBACK or by closing the connection: then log in again and send it.
     */
    private void publishSentinel(MqttClient gateway, String topic) throws Exception {
        MqttMessage sentinel = new MqttMessage("{\"sentinel\":true}".getBytes(StandardCharsets.UTF_8), 1, false, null);
        try {
            gateway.publish(topic, sentinel);
        } catch (MqttException closed) {
            connect(gateway.getClientId(), "gw-louvre", louvre).publish(topic, sentinel);
        }
    }

    private static void publishIgnoringRefusal(MqttClient client, String topic, String payload) {
        try {
            client.publish(topic, new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), 1, false, null));
        } catch (MqttException refused) {
            // a broker may answer a refused publish with an error reason code; what counts is who receives it
        }
    }

    MqttClient connect(String clientId, String username, String password) throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port(), clientId, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(username);
        o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        o.setCleanStart(true);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(10);
        o.setMaximumPacketSize(1_048_576L);
        client.connect(o);
        clients.add(client);
        return client;
    }

    record Peer(int exit, String output) {
    }

    /** Runs a Mosquitto command-line client against the broker, as an attacker or an operator would. */
    Peer peer(String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(1, List.of("-V", "5", "-h", "127.0.0.1", "-p", String.valueOf(port())));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command[0] + " did not finish");
        }
        return new Peer(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
