package io.edgeshare.policy.internal;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

/**
 * The signed envelope as it travels: {@code {"format":"edgeshare-policy/1","keyId":"…","payload":"<base64>",
 * "signature":"<base64>"}}. The signature covers the decoded payload bytes exactly, so nothing needs
 * canonicalising.
 *
 * @param payload   the signed bytes: UTF-8 JSON of the policy
 * @param signature Ed25519 signature over {@code payload}; empty when the envelope has none
 * @param keyId     which platform key signed it (may be empty: try every provisioned key)
 */
record Envelope(byte[] payload, byte[] signature, String keyId) {

    static final String FORMAT = "edgeshare-policy/1";
    private static final Set<String> FIELDS = Set.of("format", "keyId", "payload", "signature");

    static Envelope parse(byte[] document) throws PolicyException {
        if (document == null || document.length == 0) {
            throw new PolicyException(PolicyException.MALFORMED, "empty document");
        }
        JsonObject o = strictObject(document, "document");
        for (String k : o.keySet()) {
            if (!FIELDS.contains(k)) {
                throw new PolicyException(PolicyException.MALFORMED, "unknown envelope field '" + k + "'");
            }
        }
        String format = string(o, "format");
        if (format == null) {
            throw new PolicyException(PolicyException.MALFORMED, "envelope has no 'format'");
        }
        if (!FORMAT.equals(format)) {
            throw new PolicyException(PolicyException.MALFORMED, "unsupported format '" + format + "', expected "
                    + FORMAT);
        }
        String payload = string(o, "payload");
        if (payload == null || payload.isEmpty()) {
            throw new PolicyException(PolicyException.MALFORMED, "envelope has no 'payload'");
        }
        byte[] payloadBytes = base64(payload, "payload");
        String signature = string(o, "signature");
        // an unsigned envelope parses (empty signature) so the caller can report the generation it claims
        byte[] sig = signature == null ? new byte[0] : base64(signature, "signature");
        String keyId = string(o, "keyId");
        return new Envelope(payloadBytes, sig, keyId == null ? "" : keyId);
    }

    /** Parses strict JSON (no comments, no trailing data, valid UTF-8) that must be an object. */
    static JsonObject strictObject(byte[] bytes, String what) throws PolicyException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new PolicyException(PolicyException.MALFORMED, what + " is not valid UTF-8");
        }
        try (JsonReader r = new JsonReader(new StringReader(text))) {
            r.setStrictness(Strictness.STRICT);
            JsonElement e = JsonParser.parseReader(r);
            boolean trailing;
            try {
                trailing = r.peek() != JsonToken.END_DOCUMENT;
            } catch (IOException | RuntimeException more) {
                trailing = true;
            }
            if (trailing) {
                throw new PolicyException(PolicyException.MALFORMED, what + " has data after the JSON value");
            }
            if (!e.isJsonObject()) {
                throw new PolicyException(PolicyException.MALFORMED, what + " is not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException | IOException | IllegalStateException e) {
            throw new PolicyException(PolicyException.MALFORMED, what + " is not valid JSON: " + firstLine(e));
        }
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static String string(JsonObject o, String key) throws PolicyException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new PolicyException(PolicyException.MALFORMED, "envelope field '" + key + "' must be a string");
        }
        return e.getAsString();
    }

    private static byte[] base64(String text, String key) throws PolicyException {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new PolicyException(PolicyException.MALFORMED, "envelope field '" + key + "' is not base64: "
                    + e.getMessage());
        }
    }
}
