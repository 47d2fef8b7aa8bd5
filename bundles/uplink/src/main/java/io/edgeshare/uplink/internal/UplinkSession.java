package io.edgeshare.uplink.internal;

import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.protocol.DeviceId;
import io.edgeshare.protocol.GatewayTopic;
import io.edgeshare.protocol.MessageCodec;
import io.edgeshare.protocol.ProtocolException;
import io.edgeshare.protocol.TopicKind;
import io.edgeshare.protocol.Topics;

/**
 * The MQTT 5 session: connects with a fresh will per attempt, reconnects with jittered backoff, subscribes to
 * what is addressed to this gateway and routes what arrives (nearby lists, policies, commands). Everything
 * runs on the uplink's single thread.
 */
final class UplinkSession {
    private static final Logger LOG = LoggerFactory.getLogger(UplinkSession.class);

    private final ScheduledExecutorService executor;
    private final Connection connection;
    private final SequenceFile birthSequence;
    private final DiskOutbox outbox;
    private final Counters counters;
    private final MessageCodec codec;
    private final PresenceMessages presence;
    private final ReportPump reports;
    private final Commands commands;
    private final PushedNearbySharers nearby;
    private final PolicyRelay policy;
    private Backoff backoff;
    private ScheduledFuture<?> reconnectTask;
    private boolean closed;

    UplinkSession(ScheduledExecutorService executor, Connection connection,
            SequenceFile birthSequence, DiskOutbox outbox, Counters counters, MessageCodec codec,
            PresenceMessages presence, ReportPump reports, Commands commands, PushedNearbySharers nearby,
            PolicyRelay policy) {
        this.executor = executor;
        this.connection = connection;
        this.birthSequence = birthSequence;
        this.outbox = outbox;
        this.counters = counters;
        this.codec = codec;
        this.presence = presence;
        this.reports = reports;
        this.commands = commands;
        this.nearby = nearby;
        this.policy = policy;
    }

    void start(Settings cfg) {
        connection.config = cfg;
        if (cfg.deviceId().isBlank()) {
            LOG.error("edgeshare.uplink: no device.id in PID edgeshare.identity; the gateway is not enrolled and"
                    + " will not report to the platform");
            return;
        }
        connection.topics = new Topics(cfg.topicPrefix());
        backoff = new Backoff(cfg.reconnectMinMs(), cfg.reconnectMaxMs(),
                () -> ThreadLocalRandom.current().nextDouble());
        try {
            connection.client = new MqttAsyncClient(cfg.brokerUri(), DeviceId.clientId(cfg.deviceId()),
                    new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            LOG.error("edgeshare.uplink: cannot use broker.uri '{}': {}", cfg.brokerUri(), e.getMessage());
            connection.client = null;
            return;
        }
        connection.client.setCallback(new Callback());
        reports.scheduleReports();
        connect();
    }

    /** Applies new settings: in place when only the report interval changed, else by reconnecting. */
    void reconfigure(Settings next) {
        Settings previous = connection.config;
        if (previous != null && previous.sameConnection(next)) {
            connection.config = next;
            reports.scheduleReports();
            LOG.info("edgeshare.uplink: report interval now {} s", next.reportIntervalS());
        } else {
            LOG.info("edgeshare.uplink: connection settings changed, reconnecting");
            stop(true);
            start(next);
        }
    }

    void close() {
        closed = true;
        stop(true);
    }

    private void connect() {
        MqttAsyncClient client = connection.client;
        if (closed || client == null) {
            return;
        }
        try {
            MqttConnectionOptions options = ConnectOptions.from(connection.config);
            connection.birthSeq = birthSequence.next();
            options.setWill(topic(TopicKind.PRESENCE),
                    new MqttMessage(codec.encode(presence.death(connection.config, connection.birthSeq)), 1, true,
                            null));
            client.connect(options, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    MqttProperties props = token.getResponseProperties();
                    Integer receiveMaximum = props == null ? null : props.getReceiveMaximum();
                    executor.execute(() -> onConnected(receiveMaximum == null ? 65_535 : receiveMaximum));
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    executor.execute(() -> scheduleReconnect(failure));
                }
            });
        } catch (MqttException | IOException e) {
            scheduleReconnect(e);
        }
    }

    private void onConnected(int receiveMaximum) {
        MqttAsyncClient client = connection.client;
        if (closed || client == null) {
            return;
        }
        backoff.reset();
        Settings config = connection.config;
        LOG.info("edgeshare.uplink: connected to {} as {} (birth {}, {} reports waiting)", config.brokerUri(),
                config.deviceId(), connection.birthSeq, outbox.size());
        try {
            String id = config.deviceId();
            client.subscribe(new MqttSubscription[] {
                    new MqttSubscription(connection.topics.ownFilter(id, TopicKind.NEARBY), 1),
                    new MqttSubscription(connection.topics.ownFilter(id, TopicKind.POLICY_DESIRED), 1),
                    new MqttSubscription(connection.topics.ownFilter(id, TopicKind.COMMAND), 1) });
        } catch (MqttException e) {
            LOG.error("edgeshare.uplink: subscribing failed: {}", e.getMessage());
        }
        presence.publishBirth();
        policy.publishCurrent();
        counters.connects.incrementAndGet();
        reports.connected(receiveMaximum); // the full catalog and a fresh status right away
    }

    private void scheduleReconnect(Throwable cause) {
        if (closed || connection.client == null) {
            return;
        }
        reports.disconnected();
        if (reconnectTask != null && !reconnectTask.isDone()) {
            return;
        }
        long delay = backoff.nextDelayMs();
        LOG.info("edgeshare.uplink: broker {} unreachable ({}); retrying in {} ms", connection.config.brokerUri(),
                cause == null ? "disconnected" : cause.getMessage(), delay);
        reconnectTask = executor.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void stop(boolean announceOffline) {
        reports.cancelReports();
        if (reconnectTask != null) {
            reconnectTask.cancel(false);
            reconnectTask = null;
        }
        MqttAsyncClient c = connection.client;
        connection.client = null;
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                if (announceOffline) {
                    // A clean disconnect suppresses the will, so say goodbye ourselves.
                    c.publish(topic(TopicKind.PRESENCE), new MqttMessage(
                            codec.encode(presence.death(connection.config, connection.birthSeq)), 1, true, null))
                            .waitForCompletion(2000);
                }
                c.disconnect(2000).waitForCompletion(3000);
            }
        } catch (MqttException e) {
            LOG.debug("edgeshare.uplink: disconnect: {}", e.getMessage());
        } finally {
            try {
                c.close(true);
            } catch (MqttException e) {
                LOG.debug("edgeshare.uplink: close: {}", e.getMessage());
            }
        }
    }

    private String topic(TopicKind kind) {
        return connection.topics.topic(connection.deviceId(), kind);
    }

    private void onMessage(String topicName, MqttMessage message) {
        if (connection.topics == null) {
            return;
        }
        GatewayTopic t;
        try {
            t = connection.topics.parse(topicName);
        } catch (ProtocolException e) {
            counters.rejectedMessages.incrementAndGet();
            LOG.warn("edgeshare.uplink: ignored a message: {}", e.getMessage());
            return;
        }
        if (!t.deviceId().equals(connection.deviceId())) {
            counters.rejectedMessages.incrementAndGet();
            return;
        }
        switch (t.kind()) {
            case NEARBY -> {
                try {
                    nearby.update(message.getPayload(), connection.deviceId());
                    LOG.info("edgeshare.uplink: {} nearby sharers pushed by the platform", nearby.sharers().size());
                } catch (IllegalArgumentException e) {
                    counters.rejectedMessages.incrementAndGet();
                    LOG.warn("edgeshare.uplink: ignored nearby list: {}", e.getMessage());
                }
            }
            case POLICY_DESIRED -> policy.offer(message.getPayload());
            case COMMAND -> commands.handle(t.name(), message);
            default -> counters.rejectedMessages.incrementAndGet();
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            executor.execute(() -> scheduleReconnect(response.getException()));
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("edgeshare.uplink: MQTT error: {}", exception.getMessage());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            int max = connection.config.maxPacketBytes();
            if (message.getPayload().length > max) {
                counters.oversizedMessages.incrementAndGet();
                counters.rejectedMessages.incrementAndGet();
                LOG.warn("edgeshare.uplink: dropped a {} byte message on {} (max.packet.bytes {})",
                        message.getPayload().length, topic, max);
                return;
            }
            executor.execute(() -> onMessage(topic, message));
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
