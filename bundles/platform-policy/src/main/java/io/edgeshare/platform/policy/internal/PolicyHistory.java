package io.edgeshare.platform.policy.internal;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Every policy published, to which gateways it was delivered, and what they reported. Publications and
 * deliveries are appended to {@code history.jsonl} (fsynced) so generations never repeat across restarts;
 * outcomes come back from the gateways' retained reports after a restart.
 */
final class PolicyHistory {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyHistory.class);
    static final String FILE = "history.jsonl";

    private final Path file;
    private final Map<Long, Published> published = new TreeMap<>();
    private final Map<Long, Set<String>> delivered = new TreeMap<>();
    private final Map<Long, Map<String, Outcome>> outcomes = new TreeMap<>();
    private final Set<String> devices = new LinkedHashSet<>();

    PolicyHistory(Path dir) throws IOException {
        Files.createDirectories(dir);
        this.file = dir.resolve(FILE);
        if (Files.exists(file)) {
            int n = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    load(JsonParser.parseString(line).getAsJsonObject());
                } catch (RuntimeException e) {
                    // a line torn by a crash mid-append is the only way to get here; the rest is intact
                    LOG.warn("edgeshare.platform.policy: {} line {} unreadable, skipped: {}", file, n, e.getMessage());
                }
            }
        }
    }

    private void load(JsonObject o) {
        String type = o.get("type").getAsString();
        long g = o.get("generation").getAsLong();
        if (type.equals("published")) {
            List<String> targets = new ArrayList<>();
            o.getAsJsonArray("targets").forEach(t -> targets.add(t.getAsString()));
            published.put(g, new Published(g, Instant.parse(o.get("publishedAt").getAsString()), List.copyOf(targets),
                    o.get("comment").getAsString(), o.get("rollbackOf").getAsLong(), o.get("payload").getAsString(),
                    o.get("envelope").getAsString(), o.has("staged") && o.get("staged").getAsBoolean()));
        } else if (type.equals("delivered")) {
            for (var d : o.getAsJsonArray("devices")) {
                delivered.computeIfAbsent(g, k -> new LinkedHashSet<>()).add(d.getAsString());
                devices.add(d.getAsString());
            }
        }
    }

    synchronized long nextGeneration() {
        return published.isEmpty() ? 1 : ((TreeMap<Long, Published>) published).lastKey() + 1;
    }

    /** Records a publication, or a renewal of one (same generation, newer document: the later line wins). */
    synchronized void record(Published p) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("type", "published");
        o.addProperty("generation", p.generation());
        o.addProperty("publishedAt", p.publishedAt().toString());
        JsonArray t = new JsonArray();
        p.targets().forEach(t::add);
        o.add("targets", t);
        o.addProperty("comment", p.comment());
        o.addProperty("rollbackOf", p.rollbackOf());
        o.addProperty("payload", p.payload());
        o.addProperty("envelope", p.envelope());
        if (p.staged()) {
            o.addProperty("staged", true);
        }
        append(o);
        published.put(p.generation(), p);
    }

    /** Records that these gateways acknowledged the generation: one fsynced line however many they are. */
    synchronized void delivered(long generation, List<String> devicesReached) throws IOException {
        Set<String> known = delivered.computeIfAbsent(generation, k -> new LinkedHashSet<>());
        JsonArray fresh = new JsonArray();
        for (String d : devicesReached) {
            if (known.add(d)) {
                fresh.add(d);
            }
            devices.add(d);
        }
        if (!fresh.isEmpty()) {
            JsonObject o = new JsonObject();
            o.addProperty("type", "delivered");
            o.addProperty("generation", generation);
            o.add("devices", fresh);
            append(o);
        }
    }

    private void append(JsonObject o) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND); Writer w = java.nio.channels.Channels.newWriter(ch, StandardCharsets.UTF_8)) {
            w.write(o.toString());
            w.write('\n');
            w.flush();
            ch.force(true);
        }
    }

    synchronized boolean wasDelivered(long generation, String device) {
        return delivered.getOrDefault(generation, Set.of()).contains(device);
    }

    /** A gateway said something: remember the device, and its outcome for the generations the report names. */
    synchronized void reported(String device, long runningGeneration, long lastOffered, String outcome, String reason,
            Instant at, Instant seenAt) {
        devices.add(device);
        if (lastOffered > 0 && !outcome.isEmpty() && !outcome.equals("none")) {
            outcomes.computeIfAbsent(lastOffered, k -> new TreeMap<>()).put(device,
                    new Outcome(outcome, reason, at, seenAt));
        }
        if (runningGeneration > 0 && runningGeneration != lastOffered) {
            Map<String, Outcome> m = outcomes.computeIfAbsent(runningGeneration, k -> new TreeMap<>());
            Outcome before = m.get(device);
            if (before == null || !before.outcome().equals("applied")) {
                m.put(device, new Outcome("applied", "", at, seenAt));
            }
        }
    }

    synchronized void seen(String device) {
        devices.add(device);
    }

    synchronized Set<String> devices() {
        return Set.copyOf(devices);
    }

    synchronized List<Published> list() {
        return List.copyOf(published.values());
    }

    synchronized Optional<Published> get(long generation) {
        return Optional.ofNullable(published.get(generation));
    }

    /** The newest policy addressed to all gateways (a staged one only if {@code handOut} allows it). */
    synchronized Optional<Published> latestForAll(java.util.function.LongPredicate handOut) {
        Published best = null;
        for (Published p : published.values()) {
            if (p.toAll() && (!p.staged() || handOut.test(p.generation()))) {
                best = p;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The generation each gateway currently holds on its desired-policy topic (the newest one addressed to it:
     * by name, or to all gateways and delivered to it), grouped by generation.
     */
    synchronized Map<Long, List<String>> currentGenerations() {
        Map<String, Long> newest = new TreeMap<>();
        for (Published p : published.values()) {
            Iterable<String> addressed = p.toAll() || p.staged() ? delivered.getOrDefault(p.generation(), Set.of())
                    : p.targets();
            for (String d : addressed) {
                newest.put(d, p.generation());
            }
        }
        Map<Long, List<String>> byGeneration = new TreeMap<>();
        newest.forEach((d, g) -> byGeneration.computeIfAbsent(g, k -> new ArrayList<>()).add(d));
        return byGeneration;
    }

    /** Per gateway: what it reported for this generation, or pending. */
    synchronized Map<String, Outcome> outcomes(Published p) {
        Map<String, Outcome> m = new TreeMap<>();
        List<String> expected = p.toAll() || p.staged()
                ? List.copyOf(delivered.getOrDefault(p.generation(), Set.of()))
                : p.targets();
        for (String d : expected) {
            m.put(d, Outcome.PENDING);
        }
        m.putAll(outcomes.getOrDefault(p.generation(), Map.of()));
        return m;
    }
}
