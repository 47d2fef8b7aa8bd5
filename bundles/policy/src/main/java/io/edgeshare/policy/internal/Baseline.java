package io.edgeshare.policy.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The profile's own values: for every configuration key a policy changed, the value it had before the first
 * policy changed it (or that it was absent). Kept in the policy data directory (owner-only: it may hold the
 * profile's AP passphrase) and written before a policy's changes, so a crash between the two loses nothing. A
 * {@code clear} document puts these values back; the baseline then starts afresh.
 */
final class Baseline {
    /** A key the configuration did not have. */
    static final Object ABSENT = new Object() {
        @Override
        public String toString() {
            return "(absent)";
        }
    };

    private final PolicyStore store;
    private final Map<String, Map<String, Object>> values = new TreeMap<>();

    /** The saved baseline, or an empty one when there is none (a damaged file is an error for the caller). */
    static Baseline load(PolicyStore store) throws IOException {
        Baseline b = new Baseline(store);
        b.read();
        return b;
    }

    static Baseline empty(PolicyStore store) {
        return new Baseline(store);
    }

    private Baseline(PolicyStore store) {
        this.store = store;
    }

    private void read() throws IOException {
        Optional<byte[]> saved = store.loadBaseline();
        if (saved.isPresent()) {
            JsonObject o = JsonParser.parseString(new String(saved.get(), StandardCharsets.UTF_8)).getAsJsonObject();
            for (String pid : o.keySet()) {
                Map<String, Object> keys = new TreeMap<>();
                for (Map.Entry<String, JsonElement> e : o.getAsJsonObject(pid).entrySet()) {
                    keys.put(e.getKey(), decode(e.getValue().getAsJsonObject()));
                }
                values.put(pid, keys);
            }
        }
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * Remembers the values before this plan for every key it changes that no policy changed before.
     *
     * @return what it added, for {@link #forget} if the plan is reverted
     */
    Map<String, List<String>> record(ConfigPlan plan) throws IOException {
        Map<String, List<String>> added = new TreeMap<>();
        boolean changed = false;
        for (ConfigPlan.Change c : plan.changes()) {
            Map<String, Object> before = c.previous() == null ? Map.of() : c.previous();
            Map<String, Object> keys = values.computeIfAbsent(c.pid(), k -> new TreeMap<>());
            for (String key : c.next().keySet()) {
                if (key.equals(ConfigPlan.GENERATION_KEY) || keys.containsKey(key)) {
                    continue;
                }
                Object old = before.get(key);
                if (old != null && ConfigPlan.sameProperties(Map.of(key, old), Map.of(key, c.next().get(key)))) {
                    continue; // not changed by the policy: nothing to put back
                }
                keys.put(key, old == null ? ABSENT : old);
                added.computeIfAbsent(c.pid(), k -> new ArrayList<>()).add(key);
                changed = true;
            }
            if (keys.isEmpty()) {
                values.remove(c.pid());
            }
        }
        if (changed) {
            save();
        }
        return added;
    }

    /** Undoes {@link #record} for a plan that was reverted: those keys hold their old values again. */
    void forget(Map<String, List<String>> added) throws IOException {
        if (added.isEmpty()) {
            return;
        }
        added.forEach((pid, keys) -> {
            Map<String, Object> m = values.get(pid);
            if (m != null) {
                keys.forEach(m::remove);
                if (m.isEmpty()) {
                    values.remove(pid);
                }
            }
        });
        save();
    }

    /** The changes that put every remembered value back, marked with the clear's generation. */
    ConfigPlan restore(long generation, ConfigStore configs) throws IOException {
        List<ConfigPlan.Change> changes = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> e : values.entrySet()) {
            Optional<Map<String, Object>> now = configs.read(e.getKey());
            if (now.isEmpty()) {
                continue; // deleted since (an audio channel removed): nothing to put back
            }
            Map<String, Object> next = new LinkedHashMap<>(now.get());
            e.getValue().forEach((k, v) -> {
                if (v == ABSENT) {
                    next.remove(k);
                } else {
                    next.put(k, v);
                }
            });
            Map<String, Object> before = new LinkedHashMap<>(now.get());
            before.remove(ConfigPlan.GENERATION_KEY);
            next.remove(ConfigPlan.GENERATION_KEY);
            if (ConfigPlan.sameProperties(before, next)) {
                continue; // already the profile's values (a policy that was reverted, or put back by hand)
            }
            next.put(ConfigPlan.GENERATION_KEY, generation);
            changes.add(new ConfigPlan.Change(e.getKey(), now.get(), next));
        }
        return new ConfigPlan(generation, List.copyOf(changes));
    }

    /** After a clear took effect: the configurations hold the profile's values again. */
    void reset() throws IOException {
        values.clear();
        save();
    }

    private void save() throws IOException {
        JsonObject o = new JsonObject();
        values.forEach((pid, keys) -> {
            JsonObject k = new JsonObject();
            keys.forEach((key, v) -> k.add(key, encode(v)));
            o.add(pid, k);
        });
        store.saveBaseline(o.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static JsonObject encode(Object v) {
        JsonObject o = new JsonObject();
        if (v == ABSENT) {
            o.addProperty("type", "absent");
        } else if (v instanceof String[] a) {
            JsonArray arr = new JsonArray();
            for (String s : a) {
                arr.add(s);
            }
            o.addProperty("type", "String[]");
            o.add("value", arr);
        } else {
            o.addProperty("type", v.getClass().getSimpleName());
            o.addProperty("value", String.valueOf(v));
        }
        return o;
    }

    private static Object decode(JsonObject o) {
        String type = o.get("type").getAsString();
        return switch (type) {
            case "absent" -> ABSENT;
            case "String[]" -> {
                JsonArray arr = o.getAsJsonArray("value");
                String[] a = new String[arr.size()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = arr.get(i).getAsString();
                }
                yield a;
            }
            case "Long" -> Long.valueOf(o.get("value").getAsString());
            case "Integer" -> Integer.valueOf(o.get("value").getAsString());
            case "Boolean" -> Boolean.valueOf(o.get("value").getAsString());
            case "Double" -> Double.valueOf(o.get("value").getAsString());
            default -> o.get("value").getAsString();
        };
    }
}
