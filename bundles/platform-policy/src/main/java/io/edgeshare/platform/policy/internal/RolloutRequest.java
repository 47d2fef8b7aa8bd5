package io.edgeshare.platform.policy.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import io.edgeshare.api.fleet.Rollout;
import io.edgeshare.api.fleet.RolloutPlan;
import io.edgeshare.protocol.DeviceId;

/**
 * What an operator asks a rollout to do, read from a request body: the target ({@code "target":{"kind":..,
 * "value":..}} or the older {@code "targets":"all"|[ids]}), and the plan ({@code canaryPercent}, {@code waves},
 * {@code waveIntervalS}, {@code haltWhen}). Bad input is a 400 naming the field.
 *
 * @param devices the listed devices for {@link Rollout.Target.Kind#DEVICES}, else empty
 */
record RolloutRequest(Rollout.Target target, List<String> devices, RolloutPlan plan) {
    static final Set<String> PLAN_FIELDS = Set.of("canaryPercent", "waves", "waveIntervalS", "haltWhen");
    static final int DEFAULT_INTERVAL_S = 60;
    static final int DEFAULT_HALT_PERCENT = 10;

    /** @param fields the other fields this request may carry */
    static RolloutRequest parse(JsonObject body, Set<String> fields, boolean targetRequired) throws RequestException {
        for (String k : body.keySet()) {
            if (!fields.contains(k) && !PLAN_FIELDS.contains(k) && !k.equals("target") && !k.equals("targets")) {
                throw new RequestException(400, "unknown field '" + k + "'");
            }
        }
        if (body.has("target") && body.has("targets")) {
            throw new RequestException(400, "give 'target' or 'targets', not both");
        }
        RolloutRequest r;
        if (body.has("target")) {
            r = target(body.get("target"));
        } else if (body.has("targets")) {
            r = targets(body.get("targets"));
        } else if (targetRequired) {
            throw new RequestException(400, "'target' is required: {\"kind\":\"all|group|profile|device\",\"value\":..}");
        } else {
            r = null;
        }
        RolloutPlan plan = plan(body, DEFAULT_INTERVAL_S);
        return r == null ? new RolloutRequest(null, List.of(), plan) : new RolloutRequest(r.target, r.devices, plan);
    }

    private static RolloutRequest target(JsonElement e) throws RequestException {
        if (!e.isJsonObject()) {
            throw new RequestException(400, "'target' must be an object {\"kind\":..,\"value\":..}");
        }
        JsonObject o = e.getAsJsonObject();
        for (String k : o.keySet()) {
            if (!k.equals("kind") && !k.equals("value")) {
                throw new RequestException(400, "unknown field 'target." + k + "' (kind, value)");
            }
        }
        String kind = string(o, "kind", "target.kind");
        Rollout.Target.Kind k;
        try {
            k = Rollout.Target.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException x) {
            k = null;
        }
        if (k == null || k == Rollout.Target.Kind.DEVICES) {
            throw new RequestException(400, "target.kind must be all, group, profile or device, got '" + kind + "'");
        }
        if (k == Rollout.Target.Kind.ALL) {
            if (o.has("value") && !string(o, "value", "target.value").isEmpty()) {
                throw new RequestException(400, "target.value must be empty for kind all");
            }
            return new RolloutRequest(new Rollout.Target(k, ""), List.of(), null);
        }
        String value = string(o, "value", "target.value");
        if (!value.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new RequestException(400, "target.value must be a " + kind.toLowerCase(Locale.ROOT)
                    + " name ([A-Za-z0-9._-]{1,64})");
        }
        return new RolloutRequest(new Rollout.Target(k, value), k == Rollout.Target.Kind.DEVICE ? List.of(value)
                : List.of(), null);
    }

    /** The older form: "all" or a list of device ids. */
    private static RolloutRequest targets(JsonElement e) throws RequestException {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() && e.getAsString().equals(Published.ALL)) {
            return new RolloutRequest(new Rollout.Target(Rollout.Target.Kind.ALL, ""), List.of(), null);
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
                return new RolloutRequest(new Rollout.Target(Rollout.Target.Kind.ALL, ""), List.of(), null);
            }
            if (!DeviceId.isValid(id) || !id.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new RequestException(400, "'" + id + "' is not a device id");
            }
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids.size() == 1
                ? new RolloutRequest(new Rollout.Target(Rollout.Target.Kind.DEVICE, ids.get(0)), ids, null)
                : new RolloutRequest(new Rollout.Target(Rollout.Target.Kind.DEVICES, ""), List.copyOf(ids), null);
    }

    /** The plan: stages are the canary (if any) followed by the waves above it. */
    static RolloutPlan plan(JsonObject body, int defaultIntervalS) throws RequestException {
        int canary = body.has("canaryPercent") ? integer(body.get("canaryPercent"), "canaryPercent", 0, 99) : 0;
        List<Integer> waves = new ArrayList<>();
        if (body.has("waves")) {
            JsonElement w = body.get("waves");
            if (!w.isJsonArray() || w.getAsJsonArray().isEmpty() || w.getAsJsonArray().size() > 19) {
                throw new RequestException(400, "'waves' must be a list of 1 to 19 percentages ending with 100");
            }
            for (JsonElement x : w.getAsJsonArray()) {
                waves.add(integer(x, "waves[]", 1, 100));
            }
        } else {
            waves.add(100);
        }
        List<Integer> stages = new ArrayList<>();
        if (canary > 0) {
            stages.add(canary);
        }
        for (int x : waves) {
            if (!stages.isEmpty() && x <= stages.get(stages.size() - 1)) {
                throw new RequestException(400, "'waves' must increase, each above canaryPercent, got " + waves);
            }
            stages.add(x);
        }
        if (stages.get(stages.size() - 1) != 100) {
            throw new RequestException(400, "the last wave must be 100, got " + waves);
        }
        int interval = body.has("waveIntervalS") ? integer(body.get("waveIntervalS"), "waveIntervalS", 0, 604_800)
                : defaultIntervalS;
        int rejected = DEFAULT_HALT_PERCENT;
        int reverted = DEFAULT_HALT_PERCENT;
        int min = 1;
        if (body.has("haltWhen")) {
            if (!body.get("haltWhen").isJsonObject()) {
                throw new RequestException(400, "'haltWhen' must be an object");
            }
            JsonObject h = body.getAsJsonObject("haltWhen");
            for (String k : h.keySet()) {
                if (!Set.of("rejectedPercent", "revertedPercent", "minOutcomes").contains(k)) {
                    throw new RequestException(400, "unknown field 'haltWhen." + k
                            + "' (rejectedPercent, revertedPercent, minOutcomes)");
                }
            }
            rejected = h.has("rejectedPercent") ? integer(h.get("rejectedPercent"), "haltWhen.rejectedPercent", 0, 100)
                    : rejected;
            reverted = h.has("revertedPercent") ? integer(h.get("revertedPercent"), "haltWhen.revertedPercent", 0, 100)
                    : reverted;
            min = h.has("minOutcomes") ? integer(h.get("minOutcomes"), "haltWhen.minOutcomes", 1, 1_000_000) : min;
        }
        return new RolloutPlan(stages, interval, rejected, reverted, min);
    }

    private static String string(JsonObject o, String key, String name) throws RequestException {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new RequestException(400, "'" + name + "' must be a string");
        }
        return e.getAsString();
    }

    static int integer(JsonElement e, String name, int min, int max) throws RequestException {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new RequestException(400, "'" + name + "' must be an integer " + min + ".." + max);
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        java.math.BigDecimal d = p.getAsBigDecimal();
        if (d.stripTrailingZeros().scale() > 0 || d.compareTo(java.math.BigDecimal.valueOf(min)) < 0
                || d.compareTo(java.math.BigDecimal.valueOf(max)) > 0 || p.getAsString().contains(".")) {
            throw new RequestException(400, "'" + name + "' must be an integer " + min + ".." + max + ", got " + p);
        }
        return d.intValueExact();
    }
}
