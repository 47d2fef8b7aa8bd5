package io.edgeshare.uplink.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.Gson;

import io.edgeshare.api.telemetry.TelemetrySnapshot;
import io.edgeshare.api.telemetry.TelemetrySource;

/**
 * The gateway's MQTT 5 link to the platform. Announces itself with a retained birth message and leaves a
 * delayed will that says it went offline; both carry the same sequence number so the platform can tell
 * which birth a death belongs to. Reports every {@link TelemetrySource} at the configured interval.
 *
 * <p>All connection state is touched only on the component's single scheduler thread.
 */
@Component(configurationPid = { "edgeshare.identity", "edgeshare.uplink" },
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = {})
public final class PahoUplink {
    private static final Logger LOG = LoggerFactory.getLogger(PahoUplink.class);
    private static final Gson GSON = new Gson();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile List<TelemetrySource> sources = List.of();

    private final BundleContext context;
    private final SequenceFile birthSequence;
    private final ScheduledExecutorService executor;
    private final AtomicLong reportsSent = new AtomicLong();
    private final AtomicLong reportsDropped = new AtomicLong();

    // touched only on executor
    private Settings config;
    private Topics topics;
    private Backoff backoff;
    private MqttAsyncClient client;
    private long birthSeq;
    private ScheduledFuture<?> reportTask;
    private ScheduledFuture<?> reconnectTask;
    private boolean closed;

    @Activate
    public PahoUplink(BundleContext context, IdentityConfig identity, UplinkConfig config) {
        this.context = context;
        this.birthSequence = new SequenceFile(stateDir(context).resolve("birth-seq"));
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "edgeshare-uplink"));
        executor.execute(() -> {
            Settings settings = parse(identity, config);
            if (settings != null) {
                start(settings);
            }
        });
    }

    @Modified
    void modified(IdentityConfig identity, UplinkConfig link) {
        executor.execute(() -> {
            Settings next = parse(identity, link);
            Settings previous = config;
            if (next == null) {
                return;
            }
            if (previous != null && previous.sameConnection(next)) {
                config = next;
                scheduleReports();
                LOG.info("edgeshare.uplink: report interval now {} s", next.reportIntervalS());
            } else {
                LOG.info("edgeshare.uplink: connection settings changed, reconnecting");
                stopConnection(true);
                start(next);
            }
        });
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        executor.execute(() -> {
            closed = true;
            stopConnection(true);
        });
        executor.shutdown();
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }

    /**
     * The instance's data directory when the launcher set one, so the birth sequence survives a rebuilt
     * framework cache (a firmware update); the bundle's data area otherwise.
     */
    private static java.nio.file.Path stateDir(BundleContext context) {
        String instance = context.getProperty("edgeshare.instance.dir");
        java.nio.file.Path dir = instance != null ? java.nio.file.Path.of(instance, "data", "uplink")
                : context.getDataFile("").toPath();
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (IOException e) {
            LOG.error("edgeshare.uplink: cannot create state directory {}: {}", dir, e.getMessage());
        }
        return dir;
    }

    private static Settings parse(IdentityConfig identity, UplinkConfig link) {
        try {
            return Settings.from(identity, link);
        } catch (IllegalArgumentException e) {
            LOG.error("edgeshare.uplink: configuration rejected, not connecting: {}", e.getMessage());
            return null;
        }
    }

    private void start(Settings cfg) {
        config = cfg;
        if (cfg.deviceId().isBlank()) {
            LOG.error("edgeshare.uplink: no device.id in PID edgeshare.identity; the gateway is not enrolled and"
                    + " will not report to the platform");
            return;
        }
        topics = new Topics(cfg.topicPrefix(), cfg.deviceId());
        backoff = new Backoff(cfg.reconnectMinMs(), cfg.reconnectMaxMs(),
                () -> ThreadLocalRandom.current().nextDouble());
        try {
            client = new MqttAsyncClient(cfg.brokerUri(), "gw-" + cfg.deviceId(), new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            LOG.error("edgeshare.uplink: cannot use broker.uri '{}': {}", cfg.brokerUri(), e.getMessage());
            client = null;
            return;
        }
        client.setCallback(new Callback());
        connect();
    }

    private void connect() {
        if (closed || client == null) {
            return;
        }
        try {
            birthSeq = birthSequence.next();
            client.connect(connectionOptions(), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    executor.execute(PahoUplink.this::onConnected);
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

    private MqttConnectionOptions connectionOptions() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(false); // our own jittered backoff, and a fresh will per connection
        o.setKeepAliveInterval(config.keepaliveS());
        o.setConnectionTimeout(10);
        // The will is delayed by the broker only while the session lives, so the session must outlive it.
        o.setSessionExpiryInterval((long) config.willDelayS());
        if (!config.username().isEmpty()) {
            o.setUserName(config.username());
            o.setPassword(config.password().getBytes(StandardCharsets.UTF_8));
        }
        MqttMessage will = new MqttMessage(json(presence("offline")), 1, true, null);
        o.setWill(topics.presence(), will);
        MqttProperties willProps = new MqttProperties();
        willProps.setWillDelayInterval((long) config.willDelayS());
        willProps.setContentType("application/json");
        o.setWillMessageProperties(willProps);
        return o;
    }

    private void onConnected() {
        if (closed) {
            return;
        }
        backoff.reset();
        LOG.info("edgeshare.uplink: connected to {} as {} (birth {})", config.brokerUri(), config.deviceId(),
                birthSeq);
        publish(topics.presence(), presence("online"), true);
        scheduleReports();
    }

    private void scheduleReconnect(Throwable cause) {
        if (closed || client == null) {
            return;
        }
        cancelReports();
        if (reconnectTask != null && !reconnectTask.isDone()) {
            return;
        }
        long delay = backoff.nextDelayMs();
        LOG.info("edgeshare.uplink: broker {} unreachable ({}); retrying in {} ms", config.brokerUri(),
                cause == null ? "disconnected" : cause.getMessage(), delay);
        reconnectTask = executor.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void scheduleReports() {
        cancelReports();
        if (client == null || !client.isConnected()) {
            return;
        }
        long interval = config.reportIntervalS();
        reportTask = executor.scheduleAtFixedRate(this::report, 0, interval, TimeUnit.SECONDS);
    }

    private void cancelReports() {
        if (reportTask != null) {
            reportTask.cancel(false);
            reportTask = null;
        }
    }

    private void report() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deviceId", config.deviceId());
        body.put("seq", birthSeq);
        body.put("ts", Instant.now().toString());
        Map<String, Object> bySource = new LinkedHashMap<>();
        for (TelemetrySource source : sources) {
            try {
                TelemetrySnapshot s = source.snapshot();
                bySource.put(source.name(), Map.of("at", s.at().toString(), "metrics", s.metrics(), "labels",
                        s.labels()));
            } catch (RuntimeException e) {
                LOG.warn("edgeshare.uplink: telemetry source {} failed: {}", source.name(), e.toString());
            }
        }
        body.put("sources", bySource);
        if (publish(topics.status(), body, false)) {
            reportsSent.incrementAndGet();
        } else {
            reportsDropped.incrementAndGet();
        }
    }

    private Map<String, Object> presence(String state) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("state", state);
        p.put("deviceId", config.deviceId());
        p.put("seq", birthSeq);
        p.put("ts", Instant.now().toString());
        if ("online".equals(state)) {
            p.put("model", config.model());
            p.put("profile", config.profile());
            p.put("firmware", context.getBundle().getVersion().toString());
            p.put("location", Map.of("lat", config.location().latitude(), "lon", config.location().longitude()));
            p.put("portalUrl", config.portalUrl());
            p.put("bundles", ourBundles());
            List<String> capabilities = new ArrayList<>();
            for (TelemetrySource s : sources) {
                capabilities.add(s.name());
            }
            p.put("capabilities", capabilities);
        }
        return p;
    }

    private Map<String, String> ourBundles() {
        Map<String, String> versions = new LinkedHashMap<>();
        for (Bundle b : context.getBundles()) {
            String bsn = b.getSymbolicName();
            if (bsn != null && bsn.startsWith("io.edgeshare.")) {
                versions.put(bsn, b.getVersion().toString());
            }
        }
        return versions;
    }

    private boolean publish(String topic, Object body, boolean retained) {
        if (client == null || !client.isConnected()) {
            return false;
        }
        try {
            MqttProperties props = new MqttProperties();
            props.setContentType("application/json");
            MqttMessage m = new MqttMessage(json(body), 1, retained, props);
            client.publish(topic, m);
            return true;
        } catch (MqttException e) {
            LOG.warn("edgeshare.uplink: publish to {} failed: {}", topic, e.getMessage());
            return false;
        }
    }

    private void stopConnection(boolean announceOffline) {
        cancelReports();
        if (reconnectTask != null) {
            reconnectTask.cancel(false);
            reconnectTask = null;
        }
        MqttAsyncClient c = client;
        client = null;
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                if (announceOffline) {
                    // A clean disconnect suppresses the will, so say goodbye ourselves.
                    c.publish(topics.presence(), new MqttMessage(json(presence("offline")), 1, true, null))
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

    private static byte[] json(Object body) {
        return GSON.toJson(body).getBytes(StandardCharsets.UTF_8);
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
            // no subscriptions yet
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
