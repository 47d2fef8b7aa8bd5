package io.edgeshare.platform.policy.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * Takes secrets out of a policy before the API shows it: the value of every field, at any depth, whose name
 * contains passphrase, password, secret or token becomes {@value #REDACTED}. The signed document itself is
 * unchanged; only views are redacted.
 */
final class SecretRedaction {
    static final String REDACTED = "(redacted)";
    private static final List<String> SECRET_WORDS = List.of("passphrase", "password", "secret", "token");

    private SecretRedaction() {
    }

    static boolean secret(String fieldName) {
        String n = fieldName.toLowerCase(Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(n::contains);
    }

    /** A copy of {@code e} with every secret value replaced. */
    static JsonElement redact(JsonElement e) {
        if (e.isJsonObject()) {
            JsonObject out = new JsonObject();
            for (Map.Entry<String, JsonElement> f : e.getAsJsonObject().entrySet()) {
                out.add(f.getKey(), secret(f.getKey()) && !f.getValue().isJsonNull() ? new JsonPrimitive(REDACTED)
                        : redact(f.getValue()));
            }
            return out;
        }
        if (e.isJsonArray()) {
            JsonArray out = new JsonArray();
            e.getAsJsonArray().forEach(x -> out.add(redact(x)));
            return out;
        }
        return e;
    }

    /** Whether {@code e} holds any secret value. */
    static boolean holdsSecrets(JsonElement e) {
        return !redact(e).equals(e);
    }
}
