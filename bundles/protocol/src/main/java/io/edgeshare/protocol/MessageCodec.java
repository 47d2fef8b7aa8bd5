package io.edgeshare.protocol;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.ToNumberPolicy;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;

/**
 * Turns the payload records of this package into UTF-8 JSON and back. Decoding is strict JSON, ignores
 * unknown fields (so fields can be added without a new version) and runs each record's checks, so a decoded
 * record can be trusted. Thread-safe; Gson stays inside.
 */
public final class MessageCodec {
    private static final Pattern GSON_PATH = Pattern.compile("path (\\$[\\w.\\[\\]-]*)");

    private final Gson gson = new GsonBuilder()
            .registerTypeAdapter(Instant.class, new InstantAdapter().nullSafe())
            .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
            .setNumberToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
            .disableHtmlEscaping()
            .create();

    /**
     * @param message one of this package's payload records
     * @return its JSON, UTF-8
     * @throws IllegalArgumentException when the record holds a value JSON cannot carry (NaN, infinity)
     */
    public byte[] encode(Record message) {
        try {
            return gson.toJson(message).getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot encode " + kind(message.getClass())
                    + ": a number is not finite");
        }
    }

    /**
     * @param payload UTF-8 JSON object
     * @param type    the payload record it must be
     * @throws ProtocolException with a one-line reason when it is not JSON, not an object, or breaks a rule
     */
    public <T extends Record> T decode(byte[] payload, Class<T> type) throws ProtocolException {
        String what = kind(type);
        if (payload == null || payload.length == 0) {
            throw new ProtocolException(what + ": empty payload");
        }
        JsonElement tree = parse(payload, what);
        if (!tree.isJsonObject()) {
            throw new ProtocolException(what + ": payload must be a JSON object");
        }
        try {
            T value = gson.fromJson(tree, type);
            if (value == null) {
                throw new ProtocolException(what + ": payload must be a JSON object");
            }
            return value;
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof Fields.InvalidField invalid) {
                    throw new ProtocolException(what + ": " + invalid.getMessage());
                }
            }
            Matcher path = GSON_PATH.matcher(String.valueOf(e.getMessage()));
            throw new ProtocolException(what + ": a field has the wrong type"
                    + (path.find() ? " at " + path.group(1) : ""));
        }
    }

    private static JsonElement parse(byte[] payload, String what) throws ProtocolException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(what + ": payload is not UTF-8");
        }
        try {
            JsonReader reader = new JsonReader(new StringReader(text));
            reader.setStrictness(Strictness.STRICT);
            JsonElement tree = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new ProtocolException(what + ": text after the JSON value");
            }
            return tree;
        } catch (IOException | RuntimeException e) {
            throw new ProtocolException(what + ": payload is not valid JSON");
        }
    }

    /** "presence message" for Presence, "catalog message" for CatalogMessage. */
    private static String kind(Class<?> type) {
        String name = type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        return name.endsWith("message") ? name : name + " message";
    }

    /** ISO-8601 instants; an offset other than Z is accepted and normalised. */
    private static final class InstantAdapter extends TypeAdapter<Instant> {
        @Override
        public void write(JsonWriter out, Instant value) throws IOException {
            out.value(value.toString());
        }

        @Override
        public Instant read(JsonReader in) throws IOException {
            String text = in.nextString();
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                try {
                    return OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeParseException e2) {
                    throw new Fields.InvalidField("a time must be ISO-8601 like 2026-11-22T00:12:02Z, got "
                            + Fields.quote(text));
                }
            }
        }
    }
}
