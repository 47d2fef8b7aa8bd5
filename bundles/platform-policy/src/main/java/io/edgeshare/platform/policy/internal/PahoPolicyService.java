package io.edgeshare.platform.policy.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.edgeshare.api.broker.PlatformBrokerLogin;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.protocol.GatewayTopic;
import io.edgeshare.protocol.MessageCodec;
import io.edgeshare.protocol.Presence;
import io.edgeshare.protocol.ProtocolException;
import io.edgeshare.protocol.TopicKind;
import io.edgeshare.protocol.Topics;

/**
 * The platform's policy authority on the gateways' broker: publishes signed policies retained, watches
 * {@code gw/+/policy/reported} for outcomes and {@code gw/+/presence} for gateways that join later. The key
 * pair and history are loaded from local files at activation; the broker is reached in the background.
 */
@Component(configurationPid = PlatformPolicyConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = PahoPolicyService.class, immediate = true)
@Designate(ocd = PlatformPolicyConfig.class)
public final class PahoPolicyService implements Publisher {
    private static final Logger LOG = LoggerFactory.getLogger(PahoPolicyService.class);
    private static final int WINDOW = 32;

    private final MqttAsyncClient client; // null while no broker is configured
    private final Topics topics;
    private final MessageCodec codec = new MessageCodec();
    private final int maxPacketBytes;
    private final int publishTimeoutS;
    private final PolicyAuthority authority;
    private final ExecutorService inbox;
    private final AtomicLong oversized = new AtomicLong();
    private volatile boolean closed;

    @Activate
    public PahoPolicyService(BundleContext context, PlatformPolicyConfig config,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            PlatformBrokerLogin embedded)
            throws MqttException, IOException, GeneralSecurityException {
        this.topics = new Topics(config.topic_prefix());
        this.maxPacketBytes = Math.max(16_384, config.max_packet_bytes());
        this.publishTimeoutS = Math.max(1, config.publish_timeout_s());
        Path dir = dataDir(context, config);
        PlatformKey key = PlatformKey.loadOrCreate(dir);
        if (key.generated()) {
            LOG.info("edgeshare.platform.policy: generated the platform signing key {} in {} (give gateways "
                    + "GET /api/policy-key)", key.keyId(), dir);
        } else {
            LOG.info("edgeshare.platform.policy: signing with platform key {}", key.keyId());
        }
        this.authority = new PolicyAuthority(key, new PolicyHistory(dir), this, Clock.systemUTC(),
                topics.prefix());
        // Paho calls back on its own thread; replies that publish must not wait on that thread
        this.inbox = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "edgeshare-policy-inbox");
            t.setDaemon(true);
            return t;
        });
        BrokerLogin login = BrokerLogin.resolve(config.broker_uri(), config.username(), config.password(), embedded);
        if (login == null) {
            this.client = null; // reported by BrokerLogin; a configuration change or the embedded broker reactivates
            return;
        }
        this.client = new MqttAsyncClient(login.uri(), config.client_id(), new MemoryPersistence());
        client.setCallback(new Callback());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(true);
        o.setAutomaticReconnectDelay(1, 30);
        o.setKeepAliveInterval(30);
        o.setConnectionTimeout(10);
        o.setMaximumPacketSize((long) maxPacketBytes);
        if (login.uri().startsWith("tcp://")) {
            o.setSocketFactory(new NoDelaySocketFactory());
        }
        if (!login.username().isEmpty()) {
            o.setUserName(login.username());
            o.setPassword(login.password().getBytes(StandardCharsets.UTF_8));
        }
        connectInBackground(o);
    }

    static Path dataDir(BundleContext context, PlatformPolicyConfig config) {
        if (!config.data_dir().isBlank()) {
            return Path.of(config.data_dir().trim());
        }
        return InstanceData.resolve(context, "platform-policy");
    }

    private void connectInBackground(MqttConnectionOptions o) {
        Thread t = new Thread(() -> {
            long delay = 500;
            while (!closed && !client.isConnected()) {
                try {
                    client.connect(o).waitForCompletion(15_000);
                } catch (MqttException e) {
                    if (closed) {
                        return;
                    }
                    LOG.debug("edgeshare.platform.policy: broker not reachable yet: {}", e.getMessage());
                    try {
                        Thread.sleep(delay);
                    } catch (InterruptedException ie) {
                        return;
                    }
                    delay = Math.min(delay * 2, 10_000);
                }
            }
        }, "edgeshare-policy-connect");
        t.setDaemon(true);
        t.start();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        closed = true;
        inbox.shutdownNow();
        inbox.awaitTermination(5, TimeUnit.SECONDS);
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect(2000).waitForCompletion(3000);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("edgeshare.platform.policy: close: {}", e.getMessage());
        }
    }

    PolicyAuthority authority() {
        return authority;
    }

    @Override
    public boolean connected() {
        return client != null && client.isConnected();
    }

    @Override
    public Map<String, String> publishRetained(List<String> topics, byte[] payload) {
        // Pipelined: up to WINDOW publications in flight (fewer if the broker's receive maximum says so), so
        // a policy for thousands of gateways is not one round trip per gateway.
        Map<String, String> result = new LinkedHashMap<>();
        Deque<Map.Entry<String, IMqttToken>> inFlight = new ArrayDeque<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(publishTimeoutS)
                + TimeUnit.MILLISECONDS.toNanos(20L * topics.size());
        for (String topic : topics) {
            while (true) {
                try {
                    MqttMessage m = new MqttMessage(payload, 1, true, new MqttProperties());
                    inFlight.add(Map.entry(topic, client.publish(topic, m)));
                    break;
                } catch (MqttException e) {
                    if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT && !inFlight.isEmpty()) {
                        awaitOldest(inFlight, result, deadline);
                    } else {
                        result.put(topic, e.getMessage() == null ? e.toString() : e.getMessage());
                        break;
                    }
                }
            }
            if (inFlight.size() >= WINDOW) {
                awaitOldest(inFlight, result, deadline);
            }
        }
        while (!inFlight.isEmpty()) {
            awaitOldest(inFlight, result, deadline);
        }
        return result;
    }

    private static void awaitOldest(Deque<Map.Entry<String, IMqttToken>> inFlight, Map<String, String> result,
            long deadline) {
        Map.Entry<String, IMqttToken> e = inFlight.poll();
        try {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            e.getValue().waitForCompletion(left);
            result.put(e.getKey(), "");
        } catch (MqttException x) {
            result.put(e.getKey(), x.getMessage() == null ? x.toString() : x.getMessage());
        }
    }

    void handle(String topic, byte[] payload) {
        GatewayTopic t;
        try {
            t = topics.parse(topic);
        } catch (ProtocolException e) {
            LOG.debug("edgeshare.platform.policy: ignored: {}", e.getMessage());
            return;
        }
        if (t.kind() == TopicKind.POLICY_REPORTED) {
            authority.reported(t.deviceId(), payload);
        } else if (t.kind() == TopicKind.PRESENCE) {
            Presence p;
            try {
                p = codec.decode(payload, Presence.class);
            } catch (ProtocolException e) {
                LOG.debug("edgeshare.platform.policy: unreadable presence of {}: {}", t.deviceId(), e.getMessage());
                return;
            }
            if (!p.deviceId().equals(t.deviceId())) {
                LOG.debug("edgeshare.platform.policy: presence on {}'s topic names {}; ignored", t.deviceId(),
                        p.deviceId());
            } else if (p.online()) {
                authority.online(t.deviceId());
            } else {
                authority.history().seen(t.deviceId());
            }
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            try {
                client.subscribe(new MqttSubscription[] {
                        new MqttSubscription(topics.everyGateway(TopicKind.POLICY_REPORTED), 1),
                        new MqttSubscription(topics.everyGateway(TopicKind.PRESENCE), 1) });
                LOG.info("edgeshare.platform.policy: connected to {}", serverURI);
            } catch (MqttException e) {
                LOG.error("edgeshare.platform.policy: subscribe failed: {}", e.getMessage());
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            byte[] payload = message.getPayload();
            if (payload.length == 0) {
                return; // a retained message cleared
            }
            if (payload.length > maxPacketBytes) {
                oversized.incrementAndGet();
                LOG.warn("edgeshare.platform.policy: dropped a {} byte message on {} (max.packet.bytes {})",
                        payload.length, topic, maxPacketBytes);
                return;
            }
            try {
                inbox.execute(() -> handle(topic, payload));
            } catch (RejectedExecutionException e) {
                // deactivating
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.warn("edgeshare.platform.policy: lost the broker: {}", response.getReasonString());
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("edgeshare.platform.policy: MQTT error: {}", exception.getMessage());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
