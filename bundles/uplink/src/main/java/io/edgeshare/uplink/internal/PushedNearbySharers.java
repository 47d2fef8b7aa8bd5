package io.edgeshare.uplink.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import io.edgeshare.api.ap.NearbySharer;
import io.edgeshare.api.ap.NearbySharers;

/**
 * The sharers the platform found within range of this gateway and pushed to it (claim A7); offered as a
 * service to the cache (which fetches from them) and the portal.
 */
final class PushedNearbySharers implements NearbySharers {
    private volatile List<NearbySharer> sharers = List.of();

    @Override
    public List<NearbySharer> sharers() {
        return sharers;
    }

    /**
     * Replaces the list from a pushed message.
     *
     * @throws IllegalArgumentException with a precise reason when the message is not a valid list; the
     *                                  previous list stays
     */
    void update(byte[] payload, String selfDeviceId) {
        JsonObject body;
        try {
            JsonElement e = JsonParser.parseString(new String(payload, java.nio.charset.StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException("nearby list must be a JSON object");
            }
            body = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("nearby list is not JSON: " + e.getMessage());
        }
        JsonElement list = body.get("sharers");
        if (list == null || !list.isJsonArray()) {
            throw new IllegalArgumentException("nearby list has no \"sharers\" array");
        }
        List<NearbySharer> parsed = new ArrayList<>();
        for (JsonElement el : (JsonArray) list) {
            if (!el.isJsonObject()) {
                throw new IllegalArgumentException("a sharer must be a JSON object");
            }
            JsonObject s = el.getAsJsonObject();
            String id = text(s, "deviceId");
            String base = text(s, "baseUrl");
            if (id.isEmpty() || !(base.startsWith("http://") || base.startsWith("https://"))) {
                throw new IllegalArgumentException("sharer needs deviceId and an http(s) baseUrl: " + s);
            }
            if (id.equals(selfDeviceId)) {
                continue;
            }
            List<String> ids = new ArrayList<>();
            if (s.has("contentIds") && s.get("contentIds").isJsonArray()) {
                s.getAsJsonArray("contentIds").forEach(c -> ids.add(c.getAsString()));
            }
            double distance = s.has("distanceM") ? s.get("distanceM").getAsDouble() : Double.NaN;
            parsed.add(new NearbySharer(id, text(s, "ssid"), base, distance, ids));
        }
        parsed.sort(Comparator.comparingDouble(NearbySharer::distanceM));
        sharers = List.copyOf(parsed);
    }

    private static String text(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? "" : e.getAsString();
    }
}
