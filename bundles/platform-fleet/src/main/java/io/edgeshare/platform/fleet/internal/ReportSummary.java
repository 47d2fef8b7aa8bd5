package io.edgeshare.platform.fleet.internal;

import java.time.Instant;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;

import io.edgeshare.api.fleet.GatewayReport;

/**
 * What the console shows of a gateway's last status report (docs/mqtt.md): bytes saved, audio listeners (the sum of
 * every source's {@code listeners} metric) and the policy generation it runs ({@code policy} source,
 * {@code generation.running}). A field the report does not carry is null; an unreadable report gives only its time.
 */
record ReportSummary(Instant reportedAt, Long bytesSaved, Long listeners, Long policyGeneration) {
    private static final ReportSummary NONE = new ReportSummary(null, null, null, null);

    static ReportSummary of(GatewayReport report) {
        if (report == null) {
            return NONE;
        }
        try {
            JsonElement parsed = JsonParser.parseString(report.document());
            if (!parsed.isJsonObject()) {
                return new ReportSummary(report.receivedAt(), null, null, null);
            }
            JsonObject doc = parsed.getAsJsonObject();
            Long listeners = null;
            Long generation = null;
            JsonObject sources = object(doc, "sources");
            if (sources != null) {
                for (String name : sources.keySet()) {
                    JsonObject metrics = object(object(sources, name), "metrics");
                    Long l = number(metrics, "listeners");
                    if (l != null) {
                        listeners = listeners == null ? l : listeners + l;
                    }
                    if (name.equals("policy")) {
                        generation = number(metrics, "generation.running");
                    }
                }
            }
            return new ReportSummary(report.receivedAt(), number(doc, "bytesSaved"), listeners, generation);
        } catch (JsonSyntaxException | IllegalStateException e) {
            return new ReportSummary(report.receivedAt(), null, null, null);
        }
    }

    private static JsonObject object(JsonObject o, String key) {
        if (o == null) {
            return null;
        }
        JsonElement e = o.get(key);
        return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
    }

    private static Long number(JsonObject o, String key) {
        if (o == null) {
            return null;
        }
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            return null;
        }
        return e.getAsJsonPrimitive().getAsNumber().longValue();
    }
}
