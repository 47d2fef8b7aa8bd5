package io.edgeshare.uplink.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.cache.ContentFetch;
import io.edgeshare.api.cache.FetchProgress;
import io.edgeshare.api.cache.FetchRequest;
import io.edgeshare.api.policy.PolicyService;
import io.edgeshare.api.telemetry.TelemetrySnapshot;
import io.edgeshare.api.telemetry.TelemetrySource;
import io.edgeshare.protocol.CommandAnswer;
import io.edgeshare.protocol.FetchCommand;
import io.edgeshare.protocol.MessageCodec;
import io.edgeshare.protocol.ProtocolException;

/**
 * Commands from the platform, MQTT 5 request/response (docs/mqtt.md, {@code cmd/{name}}). A request is
 * answered on its response topic with its correlation data, and only when that topic is this gateway's own
 * {@code .../res/...} (contract K2): anything else is refused unanswered, counted and logged once per cause.
 * Runs on the uplink's thread.
 */
final class Commands {
    private static final Logger LOG = LoggerFactory.getLogger(Commands.class);

    private final Connection connection;
    private final DiskOutbox outbox;
    private final Counters counters;
    private final MessageCodec codec;
    private final Supplier<List<TelemetrySource>> sources;
    private final Supplier<PolicyService> policy;
    private final Supplier<ContentFetch> contentFetch;
    private final PresenceMessages presence;
    private final ReportPump reports;
    private final Set<String> warnedCauses = ConcurrentHashMap.newKeySet();

    Commands(Connection connection, DiskOutbox outbox, Counters counters, MessageCodec codec,
            Supplier<List<TelemetrySource>> sources, Supplier<PolicyService> policy,
            Supplier<ContentFetch> contentFetch, PresenceMessages presence, ReportPump reports) {
        this.connection = connection;
        this.outbox = outbox;
        this.counters = counters;
        this.codec = codec;
        this.sources = sources;
        this.policy = policy;
        this.contentFetch = contentFetch;
        this.presence = presence;
        this.reports = reports;
    }

    void handle(String name, MqttMessage request) {
        MqttProperties in = request.getProperties();
        String replyTo = in == null ? null : in.getResponseTopic();
        if (replyTo == null || replyTo.isBlank()) {
            refuse("no-response-topic", "command {} without a response topic; not run, not answered", name);
            return;
        }
        if (!connection.topics.isResponseTopicOf(replyTo, connection.deviceId())) {
            refuse("foreign-response-topic", "command {} asks for an answer outside {}; not run, not answered",
                    name, connection.topics.responsePrefix(connection.deviceId()));
            return;
        }
        CommandAnswer answer = run(name, request.getPayload());
        counters.commands.incrementAndGet();
        MqttProperties out = new MqttProperties();
        if (in.getCorrelationData() != null) {
            out.setCorrelationData(in.getCorrelationData());
        }
        byte[] body;
        try {
            body = codec.encode(answer);
        } catch (IllegalArgumentException e) {
            body = codec.encode(CommandAnswer.failure("the answer could not be encoded"));
        }
        connection.publishDirect(replyTo, body, false, out);
    }

    private void refuse(String cause, String message, Object... args) {
        counters.commandsRefused.incrementAndGet();
        if (warnedCauses.add(cause)) {
            LOG.warn("edgeshare.uplink: " + message + " (counted as commands.refused; logged once)", args);
        } else {
            LOG.debug("edgeshare.uplink: " + message, args);
        }
    }

    private CommandAnswer run(String name, byte[] payload) {
        return switch (name) {
            case "status" -> CommandAnswer.success(status());
            case "rebirth" -> {
                presence.publishBirth();
                reports.rebirth();
                yield CommandAnswer.success(Map.of("seq", connection.birthSeq));
            }
            case "fetch" -> fetch(payload);
            default -> CommandAnswer.failure("unknown command '" + name + "' (status, rebirth, fetch)");
        };
    }

    private Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("deviceId", connection.deviceId());
        status.put("seq", connection.birthSeq);
        status.put("outbox", Map.of("messages", outbox.size(), "bytes", outbox.bytes(), "dropped", outbox.dropped(),
                "expired", outbox.expired()));
        Map<String, Object> bySource = new LinkedHashMap<>();
        for (TelemetrySource s : sources.get()) {
            TelemetrySnapshot snap = s.snapshot();
            bySource.put(s.name(), Map.of("metrics", snap.metrics(), "labels", snap.labels()));
        }
        status.put("sources", bySource);
        PolicyService p = policy.get();
        if (p != null) {
            status.put("policyGeneration", p.state().runningGeneration());
        }
        return status;
    }

    /** {@code fetch}: bring an item into the cache from the nearest sharer that has it, else its origin. */
    private CommandAnswer fetch(byte[] payload) {
        ContentFetch cache = contentFetch.get();
        if (cache == null) {
            return CommandAnswer.failure("no content cache runs on this gateway");
        }
        FetchCommand request;
        try {
            request = codec.decode(payload, FetchCommand.class);
        } catch (ProtocolException e) {
            counters.rejectedMessages.incrementAndGet();
            return CommandAnswer.failure(e.getMessage());
        }
        FetchProgress p = cache.fetch(new FetchRequest(request.id(), request.url(), request.sha256()));
        if (p.state().equals("failed")) {
            return CommandAnswer.failure(p.error() == null || p.error().isBlank() ? "fetch failed" : p.error());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", p.id());
        result.put("state", p.state());
        result.put("source", p.source());
        result.put("bytes", p.bytes());
        result.put("expected", p.expected());
        result.values().removeIf(java.util.Objects::isNull);
        return CommandAnswer.success(result);
    }
}
