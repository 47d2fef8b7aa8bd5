package io.edgeshare.uplink.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
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
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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

import io.edgeshare.api.ap.NearbySharers;
import io.edgeshare.api.cache.ContentCatalog;
import io.edgeshare.api.cache.ContentFetch;
import io.edgeshare.api.cache.ContentItem;
import io.edgeshare.api.cache.FetchProgress;
import io.edgeshare.api.cache.FetchRequest;
import io.edgeshare.api.policy.PolicyListener;
import io.edgeshare.api.policy.PolicyService;
import io.edgeshare.api.policy.PolicyState;
import io.edgeshare.api.telemetry.TelemetrySnapshot;
import io.edgeshare.api.telemetry.TelemetrySource;

/**
 * The gateway's MQTT 5 link to the platform (docs/mqtt.md).
 * <ul>
 * <li>Presence: a retained birth on connect and a delayed will, both with the same sequence number.</li>
 * <li>Reports (status from every {@link TelemetrySource}, shared-content changes) go through a
 * {@link DiskOutbox}: kept on disk while the broker is away, delivered in order afterwards within the
 * broker's receive maximum, each with a message id.</li>
 * <li>Receives the nearby-sharer list (offered as {@link NearbySharers}), signed policies (handed to the
 * {@link PolicyService}, outcome published back retained) and commands with MQTT 5 request/response.</li>
 * </ul>
 * All connection state is touched only on the component's single scheduler thread.
 */
@Component(configurationPid = { "edgeshare.identity", "edgeshare.uplink" },
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = {})
public final class PahoUplink {
    private static final Logger LOG = LoggerFactory.getLogger(PahoUplink.class);
    private static final Gson GSON = new Gson();
    static final int PRIORITY_CATALOG = 0;
    static final int PRIORITY_STATUS = 1;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile List<TelemetrySource> sources = List.of();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ContentCatalog catalog;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile PolicyService policy;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ContentFetch contentFetch;

    private final BundleContext context;
    private final SequenceFile birthSequence;
    private final DiskOutbox outbox;
    private final ScheduledExecutorService executor;
    private final ExecutorService policyWorker;
    private final PushedNearbySharers nearby = new PushedNearbySharers();
    private final CatalogReporter catalogReporter = new CatalogReporter();
    private final Counters counters = new Counters();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    // touched only on executor
    private Settings config;
    private Topics topics;
    private Backoff backoff;
    private MqttAsyncClient client;
    private long birthSeq;
    private int window = 1;
    private int inflight;
    private ScheduledFuture<?> reportTask;
    private ScheduledFuture<?> reconnectTask;
    private boolean closed;

    @Activate
    public PahoUplink(BundleContext context, IdentityConfig identity, UplinkConfig link) throws IOException {
        this.context = context;
        Path state = stateDir(context);
        this.birthSequence = new SequenceFile(state.resolve("birth-seq"));
        this.outbox = new DiskOutbox(state.resolve("outbox"), link.outbox_max_bytes(),
                TimeUnit.SECONDS.toMillis(link.outbox_max_age_s()), Clock.systemUTC());
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "edgeshare-uplink"));
        this.policyWorker = Executors.newSingleThreadExecutor(r -> new Thread(r, "edgeshare-uplink-policy"));
        if (outbox.size() > 0) {
            LOG.info("edgeshare.uplink: {} reports ({} bytes) waiting in the outbox from before", outbox.size(),
                    outbox.bytes());
        }
        registrations.add(context.registerService(NearbySharers.class, nearby, null));
        registrations.add(context.registerService(TelemetrySource.class, new UplinkTelemetry(), null));
        registrations.add(context.registerService(PolicyListener.class,
                state1 -> executor.execute(() -> publishPolicyState(state1)), null));
        executor.scheduleWithFixedDelay(this::syncOutbox, 250, 250, TimeUnit.MILLISECONDS);
        executor.execute(() -> {
            Settings settings = parse(identity, link);
            if (settings != null) {
                start(settings);
            }
        });
    }

    @Modified
    void modified(IdentityConfig identity, UplinkConfig link) {
        executor.execute(() -> {
            Settings next = parse(identity, link);
            if (next == null) {
                return;
            }
            Settings previous = config;
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
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // framework stopping
            }
        }
        policyWorker.shutdownNow();
        executor.execute(() -> {
            closed = true;
            stopConnection(true);
            try {
                outbox.close();
            } catch (IOException e) {
                LOG.error("edgeshare.uplink: closing the outbox: {}", e.getMessage());
            }
        });
        executor.shutdown();
        if (!executor.awaitTermination(8, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }

    /**
     * The instance's data directory when the launcher set one, so the birth sequence and the outbox survive
     * a rebuilt framework cache (a firmware update); the bundle's data area otherwise.
     */
    private static Path stateDir(BundleContext context) throws IOException {
        String instance = context.getProperty("edgeshare.instance.dir");
        Path dir = instance != null ? Path.of(instance, "data", "uplink") : context.getDataFile("").toPath();
        return Files.createDirectories(dir);
    }

    private static Settings parse(IdentityConfig identity, UplinkConfig link) {
        try {
            return Settings.from(identity, link);
        } catch (IllegalArgumentException e) {
            LOG.error("edgeshare.uplink: configuration rejected, not connecting: {}", e.getMessage());
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------ connection

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
        scheduleReports();
        connect();
    }

    private void connect() {
        if (closed || client == null) {
            return;
        }
        try {
            MqttConnectionOptions options = connectionOptions();
            birthSeq = birthSequence.next();
            options.setWill(topics.presence(), new MqttMessage(json(presence("offline")), 1, true, null));
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

    private MqttConnectionOptions connectionOptions() throws IOException {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(false); // our own jittered backoff, and a fresh will per connection
        o.setKeepAliveInterval(config.keepaliveS());
        o.setConnectionTimeout(10);
        // The broker delays the will only while the session lives, so the session must outlive the delay.
        o.setSessionExpiryInterval((long) config.willDelayS());
        if (!config.username().isEmpty()) {
            o.setUserName(config.username());
            o.setPassword(config.password().getBytes(StandardCharsets.UTF_8));
        }
        if (config.brokerUri().startsWith("ssl://") || config.brokerUri().startsWith("wss://")) {
            o.setSocketFactory(NoDelaySockets.tls(
                    TlsSockets.create(config.tlsCaFile(), config.tlsCertFile(), config.tlsKeyFile())));
            o.setHttpsHostnameVerificationEnabled(true);
        } else {
            o.setSocketFactory(NoDelaySockets.plain());
        }
        MqttProperties willProps = new MqttProperties();
        willProps.setWillDelayInterval((long) config.willDelayS());
        willProps.setContentType("application/json");
        o.setWillMessageProperties(willProps);
        return o;
    }

    private void onConnected(int receiveMaximum) {
        if (closed || client == null) {
            return;
        }
        backoff.reset();
        window = Math.max(1, Math.min(receiveMaximum, config.outboxWindow()));
        inflight = 0;
        LOG.info("edgeshare.uplink: connected to {} as {} (birth {}, {} reports waiting)", config.brokerUri(),
                config.deviceId(), birthSeq, outbox.size());
        try {
            String base = topics.base();
            client.subscribe(new MqttSubscription[] { new MqttSubscription(base + "/nearby", 1),
                    new MqttSubscription(base + "/policy/desired", 1), new MqttSubscription(base + "/cmd/+", 1) });
        } catch (MqttException e) {
            LOG.error("edgeshare.uplink: subscribing failed: {}", e.getMessage());
        }
        publishDirect(topics.presence(), presence("online"), true);
        PolicyService p = policy;
        if (p != null) {
            publishPolicyState(p.state());
        }
        outbox.rewind();
        catalogReporter.reset();
        counters.connects.incrementAndGet();
        executor.execute(this::report); // the full catalog and a fresh status right away
        pump();
    }

    private void scheduleReconnect(Throwable cause) {
        if (closed || client == null) {
            return;
        }
        inflight = 0;
        if (reconnectTask != null && !reconnectTask.isDone()) {
            return;
        }
        long delay = backoff.nextDelayMs();
        LOG.info("edgeshare.uplink: broker {} unreachable ({}); retrying in {} ms", config.brokerUri(),
                cause == null ? "disconnected" : cause.getMessage(), delay);
        reconnectTask = executor.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
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

    // ----------------------------------------------------------------------------------------------- reports

    private void scheduleReports() {
        cancelReports();
        if (config == null || topics == null) {
            return;
        }
        // reports are produced even while disconnected: the outbox keeps them
        reportTask = executor.scheduleAtFixedRate(this::report, 0, config.reportIntervalS(), TimeUnit.SECONDS);
    }

    private void cancelReports() {
        if (reportTask != null) {
            reportTask.cancel(false);
            reportTask = null;
        }
    }

    private void report() {
        try {
            reportCatalog();
            reportStatus();
        } catch (IOException e) {
            counters.outboxErrors.incrementAndGet();
            LOG.error("edgeshare.uplink: cannot store a report in the outbox: {}", e.getMessage());
        }
        pump();
    }

    private void reportStatus() throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deviceId", config.deviceId());
        body.put("msgId", outbox.nextId());
        body.put("seq", birthSeq);
        body.put("ts", Instant.now().toString());
        body.put("location", Map.of("lat", config.location().latitude(), "lon", config.location().longitude()));
        Map<String, Object> bySource = new LinkedHashMap<>();
        long bytesSaved = 0;
        for (TelemetrySource source : sources) {
            try {
                TelemetrySnapshot s = source.snapshot();
                bySource.put(source.name(), Map.of("at", s.at().toString(), "metrics", s.metrics(), "labels",
                        s.labels()));
                Number saved = s.metrics().get("bytes.saved");
                if (saved != null) {
                    bytesSaved += saved.longValue();
                }
            } catch (RuntimeException e) {
                LOG.warn("edgeshare.uplink: telemetry source {} failed: {}", source.name(), e.toString());
            }
        }
        body.put("bytesSaved", bytesSaved);
        body.put("sources", bySource);
        outbox.append(topics.status(), json(body), PRIORITY_STATUS, TimeUnit.SECONDS.toMillis(config.statusTtlS()));
        counters.reportsQueued.incrementAndGet();
    }

    /** The shared-content list (A5): whole once per connection, then changes only. */
    private void reportCatalog() throws IOException {
        ContentCatalog c = catalog;
        if (c == null || client == null || !client.isConnected()) {
            return; // a change made while offline is folded into the full list sent at the next connection
        }
        CatalogReporter.Change change = catalogReporter.next(c.items(), c.revision());
        if (change.isEmpty()) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deviceId", config.deviceId());
        body.put("msgId", outbox.nextId());
        body.put("full", change.full());
        body.put("rev", change.revision());
        if (!change.full()) {
            body.put("baseRev", change.baseRevision());
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (ContentItem i : change.upserted()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", i.id());
            m.put("title", i.title());
            m.put("mediaType", i.mediaType());
            m.put("size", i.size());
            m.put("sha256", i.sha256());
            m.put("category", i.category());
            m.put("added", i.added() == null ? null : i.added().toString());
            items.add(m);
        }
        body.put(change.full() ? "items" : "upserted", items);
        if (!change.full()) {
            body.put("removed", change.removed());
        }
        outbox.append(topics.catalog(), json(body), PRIORITY_CATALOG, 0);
    }

    /** Sends from the outbox while the broker lets us (its receive maximum, our window). */
    private void pump() {
        MqttAsyncClient c = client;
        if (c == null || !c.isConnected()) {
            return;
        }
        try {
            while (inflight < window) {
                DiskOutbox.Message m = outbox.next().orElse(null);
                if (m == null) {
                    return;
                }
                MqttProperties props = new MqttProperties();
                props.setContentType("application/json");
                props.setUserProperties(List.of(new UserProperty("msg-id", Long.toString(m.entry().id()))));
                MqttMessage message = new MqttMessage(m.payload(), 1, false, props);
                inflight++;
                c.publish(m.topic(), message, null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        executor.execute(() -> delivered(m.entry()));
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable failure) {
                        executor.execute(() -> {
                            inflight = Math.max(0, inflight - 1);
                            LOG.debug("edgeshare.uplink: report {} not acknowledged: {}", m.entry().id(),
                                    failure.toString());
                            outbox.rewind(); // resent, in order, once the connection is back
                        });
                    }
                });
            }
        } catch (MqttException | IOException e) {
            inflight = Math.max(0, inflight - 1);
            outbox.rewind();
            LOG.debug("edgeshare.uplink: sending paused: {}", e.getMessage());
        }
    }

    private void delivered(DiskOutbox.Entry entry) {
        inflight = Math.max(0, inflight - 1);
        try {
            outbox.acknowledged(entry);
            counters.reportsDelivered.incrementAndGet();
        } catch (IOException e) {
            LOG.error("edgeshare.uplink: outbox: {}", e.getMessage());
        }
        pump();
    }

    private void syncOutbox() {
        try {
            outbox.sync();
        } catch (IOException e) {
            LOG.error("edgeshare.uplink: outbox cursor not saved: {}", e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------ from the platform

    private void onMessage(String topic, MqttMessage message) {
        String base = topics.base() + "/";
        String what = topic.startsWith(base) ? topic.substring(base.length()) : topic;
        if (what.equals("nearby")) {
            try {
                nearby.update(message.getPayload(), config.deviceId());
                LOG.info("edgeshare.uplink: {} nearby sharers pushed by the platform", nearby.sharers().size());
            } catch (IllegalArgumentException e) {
                counters.rejectedMessages.incrementAndGet();
                LOG.warn("edgeshare.uplink: ignored nearby list: {}", e.getMessage());
            }
        } else if (what.equals("policy/desired")) {
            PolicyService p = policy;
            if (p == null) {
                counters.rejectedMessages.incrementAndGet();
                LOG.warn("edgeshare.uplink: a policy arrived but no policy engine runs here");
                return;
            }
            byte[] document = message.getPayload();
            if (document.length == 0) {
                return; // an operator cleared the retained policy: nothing to apply, nothing to reject
            }
            // offer() waits for the apply and health check: never on the MQTT thread or ours. The outcome is
            // published by our PolicyListener, which also hears the boot restore.
            policyWorker.execute(() -> p.offer(document));
        } else if (what.startsWith("cmd/")) {
            command(what.substring(4), message);
        } else {
            counters.rejectedMessages.incrementAndGet();
        }
    }

    private void publishPolicyState(PolicyState s) {
        if (topics == null) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deviceId", config.deviceId());
        body.put("runningGeneration", s.runningGeneration());
        body.put("lastOffered", s.lastOffered());
        body.put("lastOutcome", s.lastOutcome());
        body.put("reason", s.reason());
        body.put("at", s.at() == null ? null : s.at().toString());
        publishDirect(topics.base() + "/policy/reported", body, true);
    }

    /** MQTT 5 request/response: answers on the request's response topic with its correlation data. */
    private void command(String name, MqttMessage request) {
        MqttProperties in = request.getProperties();
        String replyTo = in == null ? null : in.getResponseTopic();
        Map<String, Object> answer = new LinkedHashMap<>();
        switch (name) {
            case "status" -> {
                answer.put("ok", true);
                Map<String, Object> status = new LinkedHashMap<>();
                status.put("deviceId", config.deviceId());
                status.put("seq", birthSeq);
                status.put("outbox", Map.of("messages", outbox.size(), "bytes", outbox.bytes(), "dropped",
                        outbox.dropped(), "expired", outbox.expired()));
                Map<String, Object> bySource = new LinkedHashMap<>();
                for (TelemetrySource s : sources) {
                    TelemetrySnapshot snap = s.snapshot();
                    bySource.put(s.name(), Map.of("metrics", snap.metrics(), "labels", snap.labels()));
                }
                status.put("sources", bySource);
                PolicyService p = policy;
                if (p != null) {
                    status.put("policyGeneration", p.state().runningGeneration());
                }
                answer.put("result", status);
            }
            case "rebirth" -> {
                publishDirect(topics.presence(), presence("online"), true);
                catalogReporter.reset();
                executor.execute(this::report);
                answer.put("ok", true);
                answer.put("result", Map.of("seq", birthSeq));
            }
            case "fetch" -> fetch(request.getPayload(), answer);
            default -> {
                answer.put("ok", false);
                answer.put("error", "unknown command '" + name + "' (status, rebirth, fetch)");
            }
        }
        counters.commands.incrementAndGet();
        if (replyTo == null || replyTo.isBlank()) {
            LOG.warn("edgeshare.uplink: command {} without a response topic; answered nothing", name);
            return;
        }
        MqttProperties out = new MqttProperties();
        out.setContentType("application/json");
        if (in.getCorrelationData() != null) {
            out.setCorrelationData(in.getCorrelationData());
        }
        try {
            client.publish(replyTo, new MqttMessage(json(answer), 1, false, out));
        } catch (MqttException e) {
            LOG.warn("edgeshare.uplink: answering command {}: {}", name, e.getMessage());
        }
    }

    /** {@code fetch}: bring an item into the cache from the nearest sharer that has it, else its origin. */
    private void fetch(byte[] payload, Map<String, Object> answer) {
        ContentFetch cache = contentFetch;
        if (cache == null) {
            answer.put("ok", false);
            answer.put("error", "no content cache runs on this gateway");
            return;
        }
        String id;
        String url;
        String sha;
        try {
            com.google.gson.JsonObject body = com.google.gson.JsonParser
                    .parseString(new String(payload, StandardCharsets.UTF_8)).getAsJsonObject();
            id = body.has("id") ? body.get("id").getAsString() : null;
            url = body.has("url") ? body.get("url").getAsString() : null;
            sha = body.has("sha256") ? body.get("sha256").getAsString() : null;
        } catch (RuntimeException e) {
            counters.rejectedMessages.incrementAndGet();
            answer.put("ok", false);
            answer.put("error", "body must be a JSON object {\"id\", \"url\"?, \"sha256\"?}");
            return;
        }
        if (id == null || id.isBlank()) {
            answer.put("ok", false);
            answer.put("error", "give the item's \"id\"");
            return;
        }
        FetchProgress p = cache.fetch(new FetchRequest(id, url, sha));
        answer.put("ok", !p.state().equals("failed"));
        if (p.state().equals("failed")) {
            answer.put("error", p.error());
        } else {
            answer.put("result", Map.of("id", p.id(), "state", p.state(), "source", p.source(), "bytes", p.bytes(),
                    "expected", p.expected()));
        }
    }

    // ------------------------------------------------------------------------------------------------- helpers

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

    /** Presence and policy state: retained, not queued (only the latest matters). */
    private void publishDirect(String topic, Object body, boolean retained) {
        if (client == null || !client.isConnected()) {
            return;
        }
        try {
            MqttProperties props = new MqttProperties();
            props.setContentType("application/json");
            client.publish(topic, new MqttMessage(json(body), 1, retained, props));
        } catch (MqttException e) {
            LOG.warn("edgeshare.uplink: publish to {} failed: {}", topic, e.getMessage());
        }
    }

    private static byte[] json(Object body) {
        return GSON.toJson(body).getBytes(StandardCharsets.UTF_8);
    }

    private static final class Counters {
        final AtomicLong connects = new AtomicLong();
        final AtomicLong reportsQueued = new AtomicLong();
        final AtomicLong reportsDelivered = new AtomicLong();
        final AtomicLong rejectedMessages = new AtomicLong();
        final AtomicLong commands = new AtomicLong();
        final AtomicLong outboxErrors = new AtomicLong();
    }

    /** The uplink's own figures, for the portal and the platform. */
    private final class UplinkTelemetry implements TelemetrySource {
        @Override
        public String name() {
            return "uplink";
        }

        @Override
        public TelemetrySnapshot snapshot() {
            MqttAsyncClient c = client;
            Map<String, Number> m = new LinkedHashMap<>();
            m.put("connects", counters.connects.get());
            m.put("reports.queued", counters.reportsQueued.get());
            m.put("reports.delivered", counters.reportsDelivered.get());
            m.put("outbox.messages", outbox.size());
            m.put("outbox.bytes", outbox.bytes());
            m.put("outbox.dropped", outbox.dropped());
            m.put("outbox.expired", outbox.expired());
            m.put("messages.rejected", counters.rejectedMessages.get());
            m.put("commands", counters.commands.get());
            m.put("nearby.sharers", nearby.sharers().size());
            return new TelemetrySnapshot("uplink", Instant.now(), m,
                    Map.of("state", c != null && c.isConnected() ? "connected" : "disconnected"));
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
