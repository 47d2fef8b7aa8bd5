package io.edgeshare.platform.session.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.broker.PlatformBrokerLogin;
import io.edgeshare.platform.session.MessageHandler;
import io.edgeshare.platform.session.PlatformSession;
import io.edgeshare.platform.session.SessionListener;
import io.edgeshare.platform.session.Subscription;

/**
 * The node's one broker session (PID {@code edgeshare.platform.session}): one MQTT client, its connect loop (full
 * jitter from the first retry on), the subscriptions of fleet and policy, publishes within the broker's receive
 * maximum, acknowledgements only after handling and, with {@code cluster.shared}, the node roster: leader
 * election, and draining a dead node's session ({@link Adopter}). Registered even while no broker is configured
 * (then never connected), so fleet and policy serve their APIs.
 */
@Component(configurationPid = SessionConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = PlatformSession.class, immediate = true)
@Designate(ocd = SessionConfig.class)
public final class MqttPlatformSession implements PlatformSession {
    private static final Logger LOG = LoggerFactory.getLogger(MqttPlatformSession.class);
    /** How many unacknowledged QoS 1 messages the broker may send us (ours wait for the store). */
    static final int RECEIVE_MAXIMUM = 1000;
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final long HEARTBEAT_S = 10;
    private static final long ROSTER_SETTLE_MS = 1_000;

    private final String nodeId;
    private final String clientId;
    private final boolean clustered;
    private final String rosterPrefix;
    private final SessionConfig config;
    private final BrokerLogin login; // null: not connecting (said why)
    private final MqttAsyncClient client; // null with login
    private final Handlers handlers;
    private final Outbox outbox;
    private final Roster roster;
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "edgeshare-session-timers"));
    private final ExecutorService adoptions = Executors.newSingleThreadExecutor(
            r -> daemon(r, "edgeshare-session-adopt"));
    private final Object wake = new Object();
    private final AtomicLong epoch = new AtomicLong();
    private final Thread connector;
    private volatile boolean closed;
    private volatile int receiveMaximum = 65_535;
    private volatile boolean leading;

    @Activate
    public MqttPlatformSession(SessionConfig config, Map<String, Object> properties,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            PlatformBrokerLogin embedded,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL) ConfigurationAdmin configAdmin)
            throws MqttException {
        this.config = config;
        String id = config.node_id().strip();
        if (!NODE_ID.matcher(id).matches()) {
            LOG.error("{}: node.id '{}' is not [A-Za-z0-9._-]{{1,64}}; using node-1", SessionConfig.PID, id);
            id = "node-1";
        }
        this.nodeId = id;
        this.clientId = config.client_id().isBlank() ? "edgeshare-platform-" + id : config.client_id().strip();
        this.clustered = config.cluster_shared();
        String prefix = config.topic_prefix().endsWith("/") ? config.topic_prefix() : config.topic_prefix() + "/";
        this.rosterPrefix = prefix + "platform/nodes/";
        this.handlers = new Handlers(clustered);
        this.roster = new Roster(nodeId, TimeUnit.SECONDS.toNanos(3 * HEARTBEAT_S + 5), System::nanoTime);
        String[] legacy = properties.containsKey("broker.uri") ? null : LegacyKeys.find(configAdmin);
        this.login = legacy == null ? BrokerLogin.resolve(config.broker_uri(), config.username(), config.password(),
                embedded) : BrokerLogin.resolve(legacy[0], legacy[1], legacy[2], embedded);
        this.client = login == null ? null : new MqttAsyncClient(login.uri(), clientId, new MemoryPersistence());
        this.outbox = client == null ? null : new Outbox(client, () -> receiveMaximum, timers);
        this.connector = new Thread(this::connectLoop, "edgeshare-session-connect");
        connector.setDaemon(true);
        if (client != null) {
            client.setManualAcks(true);
            client.setCallback(new SessionCallback(this));
            LOG.info("{}: node {} as {} on {}{}", SessionConfig.PID, nodeId, clientId, login.uri(),
                    clustered ? " (cluster.shared: shared ingest subscriptions, one leader)" : "");
            connector.start();
            if (clustered) {
                timers.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT_S, HEARTBEAT_S, TimeUnit.SECONDS);
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public boolean clustered() {
        return clustered;
    }

    @Override
    public boolean connected() {
        return client != null && client.isConnected();
    }

    @Override
    public boolean leader() {
        return !clustered || leading;
    }

    @Override
    public int receiveMaximum() {
        return receiveMaximum;
    }

    @Override
    public Subscription subscribe(String filter, boolean shared, MessageHandler handler) {
        Handlers.Entry e = handlers.add(filter, shared, handler);
        if (connected()) {
            subscribeOnBroker(List.of(e.wire()), null);
        }
        return new Subscription() {
            @Override
            public void reread() {
                if (connected()) {
                    subscribeOnBroker(List.of(e.wire()), null);
                }
            }

            @Override
            public void close() {
                if (handlers.remove(e) && connected()) {
                    try {
                        client.unsubscribe(e.wire());
                    } catch (MqttException x) {
                        LOG.debug("{}: unsubscribe {}: {}", SessionConfig.PID, e.wire(), x.getMessage());
                    }
                }
            }
        };
    }

    @Override
    public CompletionStage<Void> publish(String topic, byte[] payload, boolean retained, MqttProperties props) {
        if (outbox == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no broker configured"));
        }
        return outbox.publish(topic, payload, retained, props);
    }

    @Override
    public void addListener(SessionListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(SessionListener listener) {
        listeners.remove(listener);
    }

    @Deactivate
    public void close() {
        closed = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        connector.interrupt();
        timers.shutdownNow();
        adoptions.shutdownNow();
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                if (clustered) { // a clean leave: the others need not wait for our will
                    client.publish(rosterPrefix + nodeId, Roster.encode(new Roster.Entry(nodeId, clientId, false)),
                            1, true).waitForCompletion(2_000);
                }
                client.disconnect(2000).waitForCompletion(3000);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("{}: close: {}", SessionConfig.PID, e.getMessage());
        }
        outbox.failWaiting("the session closed");
    }

    // ---- connection

    private MqttConnectionOptions options() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        // clustered: a persistent session keeps what the broker sent us but we did not acknowledge, for our
        // restart or for the other node to adopt
        o.setCleanStart(!clustered);
        o.setSessionExpiryInterval(clustered ? Math.max(60, config.session_expiry_s()) : 0L);
        o.setAutomaticReconnect(false); // Paho's first retry is a fixed 1 s: this loop jitters every one
        o.setKeepAliveInterval(30);
        o.setConnectionTimeout(10);
        o.setReceiveMaximum(RECEIVE_MAXIMUM);
        o.setMaximumPacketSize((long) Math.max(16_384, config.max_packet_bytes()));
        if (!login.username().isEmpty()) {
            o.setUserName(login.username());
            o.setPassword(login.password().getBytes(StandardCharsets.UTF_8));
        }
        if (login.uri().startsWith("tcp://")) {
            o.setSocketFactory(new NoDelaySocketFactory()); // pipelined small publishes must not wait for Nagle
        }
        if (clustered) {
            o.setWill(rosterPrefix + nodeId, new MqttMessage(Roster.encode(new Roster.Entry(nodeId, clientId, false)),
                    1, true, null));
        }
        return o;
    }

    /** Connects at once, and after every loss or failure waits a jittered, growing delay (the first one too). */
    private void connectLoop() {
        long min = Math.max(10, config.reconnect_min_ms());
        long max = Math.max(min, config.reconnect_max_ms());
        long cap = min;
        boolean first = true;
        while (!closed) {
            try {
                if (client.isConnected()) {
                    synchronized (wake) {
                        if (client.isConnected() && !closed) {
                            wake.wait(1000); // a loss wakes us sooner
                        }
                    }
                    continue;
                }
                if (!first) {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(min / 2, cap + 1));
                    cap = Math.min(cap * 2, max);
                }
                first = false;
                IMqttToken connected = client.connect(options());
                connected.waitForCompletion(15_000);
                Integer announced = connected.getResponseProperties() == null ? null
                        : connected.getResponseProperties().getReceiveMaximum();
                receiveMaximum = announced == null ? 65_535 : announced;
                cap = min;
            } catch (InterruptedException e) {
                return;
            } catch (MqttException e) {
                LOG.debug("{}: broker not reachable: {}", SessionConfig.PID, e.getMessage());
            }
        }
    }

    /** Called by the callback after each connect. */
    void onConnected(String serverUri) {
        long myEpoch = epoch.incrementAndGet();
        List<String> wire = new java.util.ArrayList<>(handlers.wireFilters());
        if (clustered) {
            wire.add(rosterPrefix + "+");
        }
        subscribeOnBroker(wire, () -> {
            LOG.info("{}: connected to {} as {}", SessionConfig.PID, serverUri, clientId);
            if (clustered) {
                heartbeat();
                schedule(() -> {
                    if (epoch.get() == myEpoch && client.isConnected()) {
                        roster.self(true);
                        evaluate();
                    }
                }, ROSTER_SETTLE_MS); // the others' retained entries arrive first
            }
            listeners.forEach(l -> call(l, SessionListener::connected));
        });
    }

    void onDisconnected(String why) {
        LOG.warn("{}: lost the broker: {}", SessionConfig.PID, why);
        outbox.failWaiting("lost the broker");
        roster.self(false);
        evaluate();
        synchronized (wake) {
            wake.notifyAll(); // the connect loop waits a jittered delay, then reconnects
        }
    }

    void onMessage(String topic, MqttMessage m) {
        long myEpoch = epoch.get();
        Runnable ack = () -> acknowledge(m, myEpoch);
        if (clustered && topic.startsWith(rosterPrefix)) {
            Roster.Entry e = Roster.decode(m.getPayload());
            if (e != null && roster.seen(e) && leader()) {
                adopt(e.clientId());
            }
            evaluate();
            ack.run();
            return;
        }
        handlers.deliver(topic, m, ack);
    }

    /** Acknowledges on the connection the message came on; after a reconnect the broker sends it again. */
    private void acknowledge(MqttMessage m, long myEpoch) {
        if (m.getQos() == 0 || epoch.get() != myEpoch || !client.isConnected()) {
            return;
        }
        try {
            client.messageArrivedComplete(m.getId(), m.getQos());
        } catch (MqttException e) {
            LOG.debug("{}: acknowledgement not sent: {}", SessionConfig.PID, e.getMessage());
        }
    }

    private void subscribeOnBroker(List<String> wire, Runnable then) {
        if (wire.isEmpty()) {
            if (then != null) {
                then.run();
            }
            return;
        }
        String[] filters = wire.toArray(String[]::new);
        int[] qos = new int[filters.length];
        java.util.Arrays.fill(qos, 1);
        try {
            client.subscribe(filters, qos, null, new org.eclipse.paho.mqttv5.client.MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    if (then != null) {
                        then.run();
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    LOG.error("{}: subscribe to {} failed: {}", SessionConfig.PID, wire, e.getMessage());
                }
            });
        } catch (MqttException e) {
            LOG.error("{}: subscribe to {} failed: {}", SessionConfig.PID, wire, e.getMessage());
        }
    }

    // ---- roster and leadership

    private void heartbeat() {
        if (connected()) {
            publish(rosterPrefix + nodeId, Roster.encode(new Roster.Entry(nodeId, clientId, true)), true, null);
        }
        roster.expire().forEach(gone -> {
            LOG.warn("{}: node {} stopped refreshing its roster entry; counted offline", SessionConfig.PID, gone);
            if (leader()) {
                adopt(gone);
            }
        });
        evaluate();
    }

    /** Tells the listeners when this node's leadership changed; a new leader drains the offline nodes' sessions. */
    private synchronized void evaluate() {
        boolean now = roster.leader();
        if (now == leading) {
            return;
        }
        leading = now;
        LOG.info("{}: node {} {} the leader", SessionConfig.PID, nodeId, now ? "is now" : "is no longer");
        if (now) {
            roster.offline().forEach(this::adopt);
        }
        listeners.forEach(l -> call(l, x -> x.leadership(now)));
    }

    private void adopt(String deadClientId) {
        if (deadClientId.equals(clientId)) {
            return;
        }
        List<String> wire = new java.util.ArrayList<>(handlers.wireFilters());
        wire.add(rosterPrefix + "+");
        try {
            adoptions.execute(() -> {
                try {
                    int n = Adopter.drain(login, deadClientId, wire, handlers,
                            Math.max(16_384, config.max_packet_bytes()));
                    LOG.info("{}: drained the session of {}: {} messages handled", SessionConfig.PID, deadClientId,
                            n);
                } catch (MqttException e) {
                    LOG.warn("{}: could not drain the session of {}: {}", SessionConfig.PID, deadClientId,
                            e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void schedule(Runnable r, long ms) {
        try {
            timers.schedule(r, ms, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private static void call(SessionListener l, Consumer<SessionListener> what) {
        try {
            what.accept(l);
        } catch (RuntimeException e) {
            LOG.error("{}: a session listener failed: {}", SessionConfig.PID, e.toString());
        }
    }
}
