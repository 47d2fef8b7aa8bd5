package io.edgeshare.platform.policy.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import io.edgeshare.protocol.DeviceId;
import io.edgeshare.protocol.MessageCodec;
import io.edgeshare.protocol.PolicyReport;
import io.edgeshare.protocol.ProtocolException;
import io.edgeshare.protocol.TopicKind;
import io.edgeshare.protocol.Topics;

/**
 * Authors, signs and publishes sharing policies and keeps track of what gateways did with them. The
 * operator supplies the policy sections; the authority adds schema, generation, issue and expiry times and
 * targets, signs the exact payload bytes with the platform key, and publishes the envelope retained to each
 * target gateway's desired-policy topic. A document expires ({@code expiresAt}) so that a captured one cannot
 * be fed to a gateway that lost its state long after; the authority re-signs each gateway's current
 * generation well before that (same generation and content, newer times). No OSGi here.
 */
final class PolicyAuthority {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyAuthority.class);
    static final String FORMAT = "edgeshare-policy/1";
    static final Set<String> SECTIONS = Set.of("sharing", "cache", "ap", "audio", "reporting");

    private final PlatformKey key;
    private final PolicyHistory history;
    private final Publisher publisher;
    private final Clock clock;
    private final Topics topics;
    private final MessageCodec codec = new MessageCodec();
    static final Duration DEFAULT_VALIDITY = Duration.ofDays(30);
    private volatile Duration validity = DEFAULT_VALIDITY;
    private volatile ReportListener reports = (device, report) -> { };
    private volatile java.util.function.LongPredicate handOut = g -> false;

    /** Told of every readable {@code policy/reported} message, after the history took it. */
    interface ReportListener {
        void reported(String device, PolicyReport report);
    }

    PolicyAuthority(PlatformKey key, PolicyHistory history, Publisher publisher, Clock clock, String prefix) {
        this.key = key;
        this.history = history;
        this.publisher = publisher;
        this.clock = clock;
        this.topics = new Topics(prefix);
    }

    /** How long a signed document stays valid; documents are re-signed when a third of that is left. */
    void validity(Duration validity) {
        this.validity = validity;
    }

    Duration validity() {
        return validity;
    }

    /**
     * Rollouts: who hears gateways' reports, and which staged generations may be handed to a gateway seen for the
     * first time (those whose rollout completed).
     */
    void rollouts(ReportListener listener, java.util.function.LongPredicate mayHandOut) {
        this.reports = listener;
        this.handOut = mayHandOut;
    }

    String desiredTopic(String device) {
        return topics.topic(device, TopicKind.POLICY_DESIRED);
    }

    /** The result of a publication: the record and, per gateway, "published" or why not. */
    record Result(Published published, Map<String, String> deliveries) {
    }

    /**
     * Publishes a new policy from an operator's request body {@code {"policy":{...},"targets":"all"|[ids],
     * "comment":"..."}}.
     */
    Result publish(JsonObject request) throws RequestException {
        for (String k : request.keySet()) {
            if (!Set.of("policy", "targets", "comment").contains(k)) {
                throw new RequestException(400, "unknown field '" + k + "' (expected policy, targets, comment)");
            }
        }
        List<String> targets = targets(request.get("targets"));
        return publish(sections(request), targets, comment(request), 0);
    }

    /** The request's {@code policy} object, its sections checked. */
    static JsonObject sections(JsonObject request) throws RequestException {
        JsonElement policy = request.get("policy");
        if (policy == null || !policy.isJsonObject()) {
            throw new RequestException(400, "'policy' must be an object with sections " + new java.util.TreeSet<>(SECTIONS));
        }
        checkSections(policy.getAsJsonObject());
        return policy.getAsJsonObject();
    }

    static String comment(JsonObject request) {
        return request.has("comment") && request.get("comment").isJsonPrimitive()
                ? request.get("comment").getAsString() : "";
    }

    /** The sections of a published generation, to publish them again as a new one. */
    JsonObject sectionsOf(long generation) throws RequestException {
        Published old = history.get(generation).orElseThrow(() -> new RequestException(404,
                "no policy generation " + generation));
        JsonObject payload = JsonParser.parseString(old.payload()).getAsJsonObject();
        JsonObject sections = new JsonObject();
        for (String s : SECTIONS) {
            if (payload.has(s)) {
                sections.add(s, payload.get(s));
            }
        }
        return sections;
    }

    /** Publishes generation {@code generation}'s content again, as a new generation, to the same targets. */
    Result rollback(long generation, JsonObject request) throws RequestException {
        JsonObject sections = sectionsOf(generation);
        List<String> targets = request != null && request.has("targets") ? targets(request.get("targets"))
                : history.get(generation).orElseThrow().targets();
        return publish(sections, targets, "rollback to generation " + generation, generation);
    }

    private static void checkSections(JsonObject sections) throws RequestException {
        for (String k : sections.keySet()) {
            if (!SECTIONS.contains(k)) {
                throw new RequestException(400, "policy." + k + " is not a section (" + new java.util.TreeSet<>(SECTIONS)
                        + "); schema, generation, issuedAt and targets are set by the platform");
            }
            if (!sections.get(k).isJsonObject()) {
                throw new RequestException(400, "policy." + k + " must be an object");
            }
        }
    }

    private synchronized Result publish(JsonObject sections, List<String> targets, String comment, long rollbackOf)
            throws RequestException {
        checkSections(sections);
        if (!publisher.connected()) {
            throw new RequestException(503, "not connected to the broker; nothing was published");
        }
        Published p = sign(sections, targets, comment, rollbackOf, false, false);
        List<String> devices = new ArrayList<>(p.toAll() ? history.devices() : targets);
        devices.sort(null);
        Map<String, String> deliveries = deliver(p, devices);
        LOG.info("edgeshare.platform.policy: generation {} published to {} ({} gateways){}", p.generation(), targets,
                devices.size(), rollbackOf > 0 ? ", rollback to generation " + rollbackOf : "");
        return new Result(p, deliveries);
    }

    /**
     * Signs a new generation and records it in the history, publishing nothing (a rollout sends it in stages).
     *
     * @param clear a document that takes every gateway it reaches back to its profile's own values (no sections)
     */
    synchronized Published sign(JsonObject sections, List<String> targets, String comment, long rollbackOf,
            boolean staged, boolean clear) throws RequestException {
        return sign(sections, targets, comment, rollbackOf, staged, clear, 0);
    }

    /**
     * As {@link #sign(JsonObject, List, String, long, boolean, boolean)}, with a generation above {@code after} (the
     * newest one any platform node stored), so that generations never repeat across nodes.
     */
    synchronized Published sign(JsonObject sections, List<String> targets, String comment, long rollbackOf,
            boolean staged, boolean clear, long after) throws RequestException {
        checkSections(sections);
        long g = Math.max(history.nextGeneration(), after + 1);
        Instant now = clock.instant();
        JsonObject payload = new JsonObject();
        payload.addProperty("schema", 1);
        payload.addProperty("generation", g);
        payload.addProperty("issuedAt", now.toString());
        payload.addProperty("expiresAt", now.plus(validity).toString());
        JsonArray t = new JsonArray();
        targets.forEach(t::add);
        payload.add("targets", t);
        if (!comment.isEmpty()) {
            payload.addProperty("comment", comment);
        }
        if (clear) {
            payload.addProperty("clear", true);
        }
        for (String s : List.of("sharing", "cache", "ap", "audio", "reporting")) {
            if (sections.has(s)) {
                payload.add(s, sections.get(s));
            }
        }
        String payloadText = payload.toString();
        String envelope;
        try {
            envelope = envelope(payloadText.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            LOG.error("edgeshare.platform.policy: signing generation {} failed: {}", g, e.toString());
            throw new RequestException(500, "the platform could not sign the policy (see the platform log)");
        }
        Published p = new Published(g, now, List.copyOf(targets), comment, rollbackOf, payloadText, envelope, staged);
        try {
            history.record(p);
        } catch (IOException e) {
            LOG.error("edgeshare.platform.policy: cannot record generation {}: {}", g, e.toString());
            throw new RequestException(500, "the platform could not record generation " + g
                    + "; nothing was published (see the platform log)");
        }
        return p;
    }

    /**
     * A staged generation found in the shared store, signed by this node or another: recorded in this node's
     * history (replacing what it held under that generation) so that this node can send it, renew it and roll
     * back to it. With several nodes the leader sends the stages of rollouts that another node started.
     */
    synchronized Published adopt(long generation, String envelope, Instant storedAt) throws IOException {
        Optional<Published> known = history.get(generation);
        if (known.isPresent() && known.get().envelope().equals(envelope)) {
            return known.get();
        }
        Published p = Published.fromEnvelope(envelope, storedAt);
        if (p.generation() != generation) {
            throw new IllegalArgumentException("the document stored as generation " + generation + " is generation "
                    + p.generation());
        }
        history.record(p);
        LOG.info("edgeshare.platform.policy: generation {} taken from the platform store{}", generation,
                known.isPresent() ? " in place of this node's own (another node stored it first)" : "");
        return p;
    }

    /** Publishes a recorded generation to these gateways: per gateway "published" or "failed: why". */
    Map<String, String> deliver(Published p, List<String> devices) {
        List<String> topics = devices.stream().map(this::desiredTopic).toList();
        Map<String, String> acks = publisher.publishRetained(topics, p.envelope().getBytes(StandardCharsets.UTF_8));
        Map<String, String> deliveries = new LinkedHashMap<>();
        List<String> delivered = new ArrayList<>();
        for (String d : devices) {
            String problem = acks.getOrDefault(desiredTopic(d), "no acknowledgement");
            if (problem.isEmpty()) {
                delivered.add(d);
                deliveries.put(d, "published");
            } else {
                LOG.warn("edgeshare.platform.policy: generation {} not delivered to {}: {}", p.generation(), d, problem);
                deliveries.put(d, "failed: " + problem);
            }
        }
        try {
            history.delivered(p.generation(), delivered);
        } catch (IOException e) {
            LOG.error("edgeshare.platform.policy: generation {} delivered but not recorded: {}", p.generation(),
                    e.toString());
        }
        return deliveries;
    }

    String envelope(byte[] payload) throws GeneralSecurityException {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("keyId", key.keyId());
        o.addProperty("payload", Base64.getEncoder().encodeToString(payload));
        o.addProperty("signature", Base64.getEncoder().encodeToString(key.sign(payload)));
        return o.toString();
    }

    private static List<String> targets(JsonElement e) throws RequestException {
        if (e == null) {
            throw new RequestException(400, "'targets' is required: \"all\" or a list of device ids");
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() && e.getAsString().equals(Published.ALL)) {
            return List.of(Published.ALL);
        }
        if (!e.isJsonArray() || e.getAsJsonArray().isEmpty()) {
            throw new RequestException(400, "'targets' must be \"all\" or a non-empty list of device ids");
        }
        List<String> ids = new ArrayList<>();
        for (JsonElement x : e.getAsJsonArray()) {
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isString()) {
                throw new RequestException(400, "'targets' must hold device id strings");
            }
            String id = x.getAsString();
            if (id.equals(Published.ALL)) {
                return List.of(Published.ALL);
            }
            if (!DeviceId.isValid(id)) {
                throw new RequestException(400, "'" + id + "' is not a device id");
            }
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return List.copyOf(ids);
    }

    /**
     * A gateway's {@code policy/reported} message (its PolicyState as JSON). Malformed reports are counted and
     * dropped.
     */
    boolean reported(String device, byte[] body) {
        try {
            PolicyReport r = codec.decode(body, PolicyReport.class);
            if (r.deviceId() != null && !r.deviceId().equals(device)) {
                throw new ProtocolException("deviceId " + r.deviceId() + " differs from the topic's " + device);
            }
            history.reported(device, r.runningGeneration(), r.lastOffered(), r.lastOutcome(),
                    r.reason() == null ? "" : r.reason(), r.at() == null ? clock.instant() : r.at(), clock.instant());
            try {
                reports.reported(device, r);
            } catch (RuntimeException e) {
                LOG.warn("edgeshare.platform.policy: the rollouts could not take {}'s report: {}", device, e.toString());
            }
            return true;
        } catch (ProtocolException e) {
            LOG.warn("edgeshare.platform.policy: unreadable report from {}: {}", device, e.getMessage());
            return false;
        }
    }

    /**
     * Re-signs every gateway's current generation whose document expires within a third of the validity, and
     * publishes it again to the gateways holding it: same generation and content, newer issuedAt and expiresAt.
     *
     * @return the generations renewed
     */
    synchronized List<Long> renewDue() {
        if (!publisher.connected()) {
            return List.of();
        }
        Instant now = clock.instant();
        Duration v = validity;
        List<Long> renewed = new ArrayList<>();
        for (Map.Entry<Long, List<String>> e : history.currentGenerations().entrySet()) {
            Optional<Published> p = history.get(e.getKey());
            if (p.isEmpty() || !renewalDue(p.get())) {
                continue;
            }
            try {
                Published fresh = resign(p.get(), now, v);
                history.record(fresh);
                Map<String, String> deliveries = deliver(fresh, e.getValue());
                long ok = deliveries.values().stream().filter("published"::equals).count();
                LOG.info("edgeshare.platform.policy: generation {} re-signed until {} and sent again to {} of {} "
                        + "gateways", fresh.generation(), now.plus(v), ok, e.getValue().size());
                renewed.add(fresh.generation());
            } catch (GeneralSecurityException | IOException x) {
                LOG.error("edgeshare.platform.policy: could not renew generation {}: {}", e.getKey(), x.toString());
            }
        }
        return renewed;
    }

    /** Less than a third of the validity left. */
    private boolean renewalDue(Published p) {
        return !expiresAt(p).isAfter(clock.instant().plus(validity.dividedBy(3)));
    }

    private Published resign(Published p, Instant now, Duration v) throws GeneralSecurityException {
        JsonObject payload = JsonParser.parseString(p.payload()).getAsJsonObject();
        payload.addProperty("issuedAt", now.toString());
        payload.addProperty("expiresAt", now.plus(v).toString());
        String text = payload.toString();
        return new Published(p.generation(), p.publishedAt(), p.targets(), p.comment(), p.rollbackOf(), text,
                envelope(text.getBytes(StandardCharsets.UTF_8)), p.staged());
    }

    /** When a published document stops being valid; documents from before expiry existed count as expired. */
    static Instant expiresAt(Published p) {
        try {
            JsonElement e = JsonParser.parseString(p.payload()).getAsJsonObject().get("expiresAt");
            return e == null ? Instant.EPOCH : Instant.parse(e.getAsString());
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    /** A gateway came online: it gets the newest policy for all gateways if it never had it. */
    void online(String device) {
        history.seen(device);
        Optional<Published> all = history.latestForAll(handOut);
        if (all.isPresent() && renewalDue(all.get())) {
            // never hand a newcomer a document about to expire (cheap check: most presences skip this)
            renewDue();
            all = history.latestForAll(handOut);
        }
        if (all.isPresent() && !history.wasDelivered(all.get().generation(), device) && publisher.connected()) {
            LOG.info("edgeshare.platform.policy: {} is new; sending it generation {} (all gateways)", device,
                    all.get().generation());
            deliver(all.get(), List.of(device));
        }
    }

    PolicyHistory history() {
        return history;
    }

    boolean connected() {
        return publisher.connected();
    }

    PlatformKey key() {
        return key;
    }
}
