package io.edgeshare.policy.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** What the engine counts for the "policy" telemetry source; guarded by the engine's lock. */
final class PolicyFigures {
    long offers;
    long applied;
    long rejected;
    long reverted;
    long duplicates;
    long reasserted;
    long renewed;
    long lastApplyMillis;
    String lastWatched = "";
    private final Map<String, Long> failures = new TreeMap<>();

    /** One more rejection or revert with this reason code. */
    void failed(String code) {
        failures.merge(code, 1L, Long::sum);
    }

    Map<String, Number> metrics(long runningGeneration, long lastOffered, int keysTrusted) {
        Map<String, Number> m = new LinkedHashMap<>();
        m.put("generation.running", runningGeneration);
        m.put("generation.last.offered", lastOffered);
        m.put("offers", offers);
        m.put("applied", applied);
        m.put("rejected", rejected);
        m.put("reverted", reverted);
        m.put("duplicates", duplicates);
        m.put("reasserted", reasserted);
        m.put("renewed", renewed);
        m.put("apply.last.ms", lastApplyMillis);
        m.put("keys.trusted", keysTrusted);
        failures.forEach((code, n) -> m.put("failures." + code, n));
        return m;
    }
}
