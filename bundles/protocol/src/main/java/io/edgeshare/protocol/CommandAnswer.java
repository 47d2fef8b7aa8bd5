package io.edgeshare.protocol;

import java.util.Map;

/**
 * The answer to a {@code cmd/{name}} request, published on the request's response topic with its
 * correlation data: {@code {"ok": true, "result": {...}}} or {@code {"ok": false, "error": "..."}}.
 * Result values are JSON values: strings, numbers, booleans, lists and maps of them.
 */
public record CommandAnswer(boolean ok, Map<String, Object> result, String error) {
    public CommandAnswer {
        if (ok) {
            result = Fields.map("result", result == null ? Map.of() : result, 1024);
            if (error != null) {
                throw new Fields.InvalidField("a successful answer has no error");
            }
        } else {
            Fields.requiredText("error", error, 1024);
            if (result != null) {
                throw new Fields.InvalidField("a failed answer has no result");
            }
        }
    }

    public static CommandAnswer success(Map<String, Object> result) {
        return new CommandAnswer(true, result, null);
    }

    public static CommandAnswer failure(String error) {
        return new CommandAnswer(false, null, error);
    }
}
