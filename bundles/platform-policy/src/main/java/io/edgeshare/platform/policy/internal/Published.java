package io.edgeshare.platform.policy.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * One signed policy as published.
 *
 * @param generation  its generation, unique and increasing on this platform
 * @param publishedAt when it was signed and published
 * @param targets     as the operator asked: {@code ["all"]} or device ids
 * @param comment     the operator's note (may be empty)
 * @param rollbackOf  the generation whose content it republishes, or 0
 * @param payload     the signed policy JSON, exactly as signed
 * @param envelope    the document sent to the gateways
 * @param staged      sent by a rollout in stages: it is current only on the gateways it was delivered to, and
 *                    handed to newcomers only once its rollout completed
 */
record Published(long generation, Instant publishedAt, List<String> targets, String comment, long rollbackOf,
        String payload, String envelope, boolean staged) {

    static final String ALL = "all";

    boolean toAll() {
        return targets.contains(ALL);
    }

    /**
     * A staged generation as another platform node signed it, read back from its envelope (kept in the shared
     * store): generation, targets and comment come from the signed payload.
     *
     * @throws IllegalArgumentException when the document is not an envelope of this platform's format
     */
    static Published fromEnvelope(String envelope, Instant storedAt) {
        try {
            JsonObject e = JsonParser.parseString(envelope).getAsJsonObject();
            String payload = new String(Base64.getDecoder().decode(e.get("payload").getAsString()),
                    StandardCharsets.UTF_8);
            JsonObject p = JsonParser.parseString(payload).getAsJsonObject();
            List<String> targets = new ArrayList<>();
            p.getAsJsonArray("targets").forEach(t -> targets.add(t.getAsString()));
            String comment = p.has("comment") ? p.get("comment").getAsString() : "";
            return new Published(p.get("generation").getAsLong(), storedAt, List.copyOf(targets), comment, 0,
                    payload, envelope, true);
        } catch (RuntimeException e) { // Gson's parse and cast errors, Base64's
            throw new IllegalArgumentException("not a policy envelope: " + e.getMessage(), e);
        }
    }
}
