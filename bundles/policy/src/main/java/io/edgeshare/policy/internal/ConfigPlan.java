package io.edgeshare.policy.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The configurations a policy needs, computed in full before anything is written, with each one's previous
 * properties kept for the revert. Keys a document does not set keep their current values. Every changed
 * configuration also gets {@value #GENERATION_KEY}, so the health check can see when a component has taken
 * the change.
 */
record ConfigPlan(long generation, List<Change> changes) {

    static final String GENERATION_KEY = "edgeshare.policy.generation";
    static final String CACHE_PID = "edgeshare.cache";
    static final String AP_PID = "edgeshare.ap";
    static final String UPLINK_PID = "edgeshare.uplink";
    static final String AUDIO_FACTORY_PID = "edgeshare.audio.channel";
    /** A category no item has: the cache shares nothing while sharing is off (it reads no on/off key yet). */
    static final String NO_CATEGORY = "none";

    /**
     * One configuration's change.
     *
     * @param previous properties before, or null when the configuration did not exist (a revert deletes it)
     */
    record Change(String pid, Map<String, Object> previous, Map<String, Object> next) {
    }

    Set<String> pids() {
        Set<String> s = new LinkedHashSet<>();
        changes.forEach(c -> s.add(c.pid()));
        return s;
    }

    boolean isEmpty() {
        return changes.isEmpty();
    }

    static ConfigPlan of(SharingPolicy p, ConfigStore store) throws IOException {
        List<Change> changes = new ArrayList<>();
        Optional<Map<String, Object>> cacheNow = store.read(CACHE_PID);
        add(changes, CACHE_PID, cacheNow, cacheKeys(p, cacheNow.orElse(Map.of())), p.generation());
        add(changes, AP_PID, store.read(AP_PID), apKeys(p), p.generation());
        Map<String, Object> audio = audioKeys(p);
        if (!audio.isEmpty()) {
            for (String pid : store.factoryInstances(AUDIO_FACTORY_PID)) {
                Optional<Map<String, Object>> now = store.read(pid);
                if (now.isPresent()) {
                    add(changes, pid, now, audio, p.generation());
                }
            }
        }
        Optional<Map<String, Object>> uplink = store.read(UPLINK_PID);
        // Only an existing uplink configuration: creating one would start an unconfigured uplink.
        if (uplink.isPresent()) {
            add(changes, UPLINK_PID, uplink, uplinkKeys(p), p.generation());
        }
        return new ConfigPlan(p.generation(), List.copyOf(changes));
    }

    private static void add(List<Change> changes, String pid, Optional<Map<String, Object>> now,
            Map<String, Object> keys, long generation) {
        if (keys.isEmpty()) {
            return;
        }
        Map<String, Object> next = new LinkedHashMap<>(now.orElse(Map.of()));
        next.putAll(keys);
        next.put(GENERATION_KEY, generation);
        if (now.isPresent() && sameProperties(now.get(), next)) {
            return;
        }
        changes.add(new Change(pid, now.map(LinkedHashMap::new).orElse(null), next));
    }

    static Map<String, Object> cacheKeys(SharingPolicy p, Map<String, Object> current) {
        Map<String, Object> k = new LinkedHashMap<>();
        SharingPolicy.Sharing s = p.sharing();
        if (s != null) {
            if (s.enabled() != null) {
                k.put("sharing.enabled", s.enabled());
            }
            if (Boolean.FALSE.equals(s.enabled())) {
                k.put("allowed.categories", new String[] { NO_CATEGORY });
            } else if (s.categories() != null) {
                k.put("allowed.categories", s.categories().toArray(String[]::new));
            } else if (Boolean.TRUE.equals(s.enabled())
                    && Arrays.equals(new String[] { NO_CATEGORY }, asStrings(current.get("allowed.categories")))) {
                // sharing back on after an "off" policy that set the no-category marker: share all again
                k.put("allowed.categories", new String[0]);
            }
            if (s.maxItemBytes() != null) {
                k.put("max.item.bytes", s.maxItemBytes());
            }
            if (s.clientRateBytesPerSecond() != null) {
                k.put("client.rate.bytes.per.s", s.clientRateBytesPerSecond());
            }
            if (s.maxConcurrentDownloads() != null) {
                k.put("max.concurrent.downloads", s.maxConcurrentDownloads());
            }
        }
        SharingPolicy.Cache c = p.cache();
        if (c != null) {
            if (c.quotaBytes() != null) {
                k.put("quota.bytes", c.quotaBytes());
            }
            if (c.prefetch() != null) {
                k.put("prefetch", c.prefetch().stream().map(SharingPolicy.Prefetch::entry).toArray(String[]::new));
            }
        }
        return k;
    }

    static Map<String, Object> apKeys(SharingPolicy p) {
        Map<String, Object> k = new LinkedHashMap<>();
        SharingPolicy.Ap a = p.ap();
        if (a != null) {
            putIf(k, "ssid", a.ssid());
            putIf(k, "security", a.security());
            putIf(k, "passphrase", a.passphrase());
            putIf(k, "max.stations", a.maxStations());
            if (a.hours() != null) {
                k.put("on.hours", a.hours().toArray(String[]::new));
            }
        }
        return k;
    }

    static Map<String, Object> audioKeys(SharingPolicy p) {
        Map<String, Object> k = new LinkedHashMap<>();
        SharingPolicy.Audio a = p.audio();
        if (a != null) {
            putIf(k, "admission.mode", a.admission());
            putIf(k, "max.listeners", a.maxListeners());
            putIf(k, "breaks.every", a.breaksEvery());
        }
        return k;
    }

    static Map<String, Object> uplinkKeys(SharingPolicy p) {
        Map<String, Object> k = new LinkedHashMap<>();
        if (p.reporting() != null) {
            putIf(k, "report.interval.s", p.reporting().intervalSeconds());
        }
        return k;
    }

    private static void putIf(Map<String, Object> k, String key, Object value) {
        if (value != null) {
            k.put(key, value);
        }
    }

    private static String[] asStrings(Object v) {
        if (v instanceof String[] a) {
            return a;
        }
        if (v instanceof String s) {
            return new String[] { s };
        }
        if (v instanceof java.util.Collection<?> c) {
            return c.stream().map(String::valueOf).toArray(String[]::new);
        }
        return null;
    }

    /** Equal keys and values, arrays by content, numbers by value (ConfigAdmin may hand back Integer or Long). */
    static boolean sameProperties(Map<String, Object> a, Map<String, Object> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : a.entrySet()) {
            if (!sameValue(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameValue(Object x, Object y) {
        if (x instanceof Number n && y instanceof Number m && !(x instanceof Double) && !(y instanceof Double)
                && !(x instanceof Float) && !(y instanceof Float)) {
            return n.longValue() == m.longValue() && x.getClass() == y.getClass();
        }
        return Objects.deepEquals(x, y);
    }
}
