package io.edgeshare.uplink.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.cache.ContentCatalog;
import io.edgeshare.api.cache.ContentItem;
import io.edgeshare.api.telemetry.TelemetrySnapshot;
import io.edgeshare.api.telemetry.TelemetrySource;
import io.edgeshare.protocol.CatalogItem;
import io.edgeshare.protocol.CatalogMessage;
import io.edgeshare.protocol.MessageCodec;
import io.edgeshare.protocol.SourceReport;
import io.edgeshare.protocol.StatusReport;
import io.edgeshare.protocol.TopicKind;

/**
 * Reports (status from every {@link TelemetrySource}, shared-content changes) go through the {@link DiskOutbox}:
 * produced on schedule whether connected or not, kept on disk while the broker is away, delivered in order
 * afterwards within the broker's receive maximum, each with a message id. Runs on the uplink's thread.
 */
final class ReportPump {
    private static final Logger LOG = LoggerFactory.getLogger(ReportPump.class);
    static final int PRIORITY_CATALOG = 0;
    static final int PRIORITY_STATUS = 1;
    /** Publishes kept free of reports for presence, policy state and command answers. */
    static final int DIRECT_SLOTS = 2;

    private final DiskOutbox outbox;
    private final Connection connection;
    private final Counters counters;
    private final ScheduledExecutorService executor;
    private final Supplier<List<TelemetrySource>> sources;
    private final Supplier<ContentCatalog> catalog;
    private final MessageCodec codec;
    private final CatalogReporter catalogReporter = new CatalogReporter();
    private int window = 1;
    private int inflight;
    private ScheduledFuture<?> reportTask;

    ReportPump(DiskOutbox outbox, Connection connection, Counters counters, ScheduledExecutorService executor,
            Supplier<List<TelemetrySource>> sources, Supplier<ContentCatalog> catalog, MessageCodec codec) {
        this.outbox = outbox;
        this.connection = connection;
        this.counters = counters;
        this.executor = executor;
        this.sources = sources;
        this.catalog = catalog;
        this.codec = codec;
    }

    void scheduleReports() {
        cancelReports();
        if (connection.config == null || connection.topics == null) {
            return;
        }
        // reports are produced even while disconnected: the outbox keeps them
        reportTask = executor.scheduleAtFixedRate(this::report, 0, connection.config.reportIntervalS(),
                TimeUnit.SECONDS);
    }

    void cancelReports() {
        if (reportTask != null) {
            reportTask.cancel(false);
            reportTask = null;
        }
    }

    /** A new connection: resend from the oldest unacknowledged report, then a full catalog and a fresh status. */
    void connected(int receiveMaximum) {
        window = window(receiveMaximum, connection.config.outboxWindow());
        inflight = 0;
        outbox.rewind();
        catalogReporter.reset();
        executor.execute(this::report);
        pump();
    }

    /**
     * How many reports may await the broker's acknowledgement at once: the outbox window, within the broker's
     * receive maximum less {@link #DIRECT_SLOTS} (at least one report). Paho refuses a publish past the receive
     * maximum (32202); a backlog draining at the full maximum left none for the birth, a policy state or a command
     * answer, and those are sent now or never.
     */
    static int window(int receiveMaximum, int outboxWindow) {
        int reserved = Math.min(DIRECT_SLOTS, receiveMaximum - 1);
        return Math.max(1, Math.min(receiveMaximum - Math.max(0, reserved), outboxWindow));
    }

    void disconnected() {
        inflight = 0;
    }

    /** The platform asked for everything again: the next catalog message is a full list. */
    void rebirth() {
        catalogReporter.reset();
        executor.execute(this::report);
    }

    void report() {
        try {
            reportCatalog();
            reportStatus();
        } catch (IOException e) {
            counters.outboxErrors.incrementAndGet();
            LOG.error("edgeshare.uplink: cannot store a report in the outbox: {}", e.getMessage());
        } catch (IllegalArgumentException e) {
            counters.outboxErrors.incrementAndGet(); // a value the contract refuses; the next report tries again
            LOG.error("edgeshare.uplink: a report breaks the wire contract, not sent: {}", e.getMessage());
        }
        pump();
    }

    private void reportStatus() throws IOException {
        Map<String, SourceReport> bySource = new LinkedHashMap<>();
        long bytesSaved = 0;
        for (TelemetrySource source : sources.get()) {
            try {
                TelemetrySnapshot s = source.snapshot();
                Map<String, Number> metrics = new LinkedHashMap<>();
                s.metrics().forEach((k, v) -> {
                    if (v != null && Double.isFinite(v.doubleValue())) {
                        metrics.put(k, v); // JSON has no NaN or infinity
                    }
                });
                bySource.put(source.name(), new SourceReport(s.at(), metrics, s.labels()));
                Number saved = s.metrics().get("bytes.saved");
                if (saved != null) {
                    bytesSaved += saved.longValue();
                }
            } catch (RuntimeException e) {
                LOG.warn("edgeshare.uplink: telemetry source {} failed: {}", source.name(), e.toString());
            }
        }
        Settings config = connection.config;
        StatusReport body = new StatusReport(config.deviceId(), outbox.nextId(), connection.birthSeq, Instant.now(),
                PresenceMessages.location(config), Math.max(0, bytesSaved), bySource);
        outbox.append(connection.topics.topic(config.deviceId(), TopicKind.STATUS), codec.encode(body),
                PRIORITY_STATUS, TimeUnit.SECONDS.toMillis(config.statusTtlS()));
        counters.reportsQueued.incrementAndGet();
    }

    /** The shared-content list (A5): whole once per connection, then changes only. */
    private void reportCatalog() throws IOException {
        ContentCatalog c = catalog.get();
        if (c == null || !connection.isUp()) {
            return; // a change made while offline is folded into the full list sent at the next connection
        }
        CatalogReporter.Change change = catalogReporter.next(c.items(), c.revision());
        if (change.isEmpty()) {
            return;
        }
        String deviceId = connection.deviceId();
        List<CatalogItem> items = new ArrayList<>();
        for (ContentItem i : change.upserted()) {
            items.add(new CatalogItem(i.id(), printable(i.title()), printable(i.mediaType()), i.size(), i.sha256(),
                    printable(i.category()), i.added()));
        }
        CatalogMessage body = change.full() ? CatalogMessage.full(deviceId, outbox.nextId(), change.revision(), items)
                : CatalogMessage.delta(deviceId, outbox.nextId(), change.revision(), change.baseRevision(), items,
                        change.removed());
        outbox.append(connection.topics.topic(deviceId, TopicKind.CATALOG), codec.encode(body), PRIORITY_CATALOG, 0);
    }

    /** A title from an upload or import may hold control characters; the contract (and logs) must not. */
    private static String printable(String text) {
        return text == null ? null : text.replaceAll("\\p{Cntrl}", " ");
    }

    /** Sends from the outbox while the broker lets us (its receive maximum, our window). */
    void pump() {
        MqttAsyncClient c = connection.client;
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

    void syncOutbox() {
        try {
            outbox.sync();
        } catch (IOException e) {
            LOG.error("edgeshare.uplink: outbox cursor not saved: {}", e.getMessage());
        }
    }
}
