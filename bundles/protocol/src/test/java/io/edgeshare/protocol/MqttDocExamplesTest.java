package io.edgeshare.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/**
 * Golden tests: every {@code json} example in docs/mqtt.md, read from the document itself, decodes to its
 * record and encodes back to the same JSON tree. An example that is not real JSON, or a record that drifts
 * from the document, fails here.
 */
class MqttDocExamplesTest {
    private static final Pattern BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);

    /**
     * The record of each example, in document order; null: not a record of this bundle (the platform nodes'
     * roster entry, read by io.edgeshare.platform.session; the policy envelope, carried as opaque bytes).
     */
    private static final List<Class<? extends Record>> TYPES = Arrays.asList(Presence.class, Presence.class,
            StatusReport.class, CatalogMessage.class, CatalogMessage.class, NearbyList.class, CommandAnswer.class,
            CommandAnswer.class, null, null, PolicyReport.class);

    private final MessageCodec codec = new MessageCodec();

    static List<String> examples() throws IOException {
        Path doc = Path.of(System.getProperty("edgeshare.docs", "../../docs"), "mqtt.md");
        Matcher m = BLOCK.matcher(Files.readString(doc, StandardCharsets.UTF_8));
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    static Stream<Arguments> typedExamples() throws IOException {
        List<String> examples = examples();
        List<Arguments> args = new ArrayList<>();
        for (int i = 0; i < Math.min(examples.size(), TYPES.size()); i++) {
            args.add(Arguments.of(i, TYPES.get(i), examples.get(i)));
        }
        return args.stream();
    }

    @Test
    void everyExampleHasAKnownRecord() throws IOException {
        assertEquals(TYPES.size(), examples().size(), "json examples in docs/mqtt.md (add the new one's record here)");
    }

    @ParameterizedTest(name = "example {0}: {1}")
    @MethodSource("typedExamples")
    void exampleRoundTripsThroughItsRecord(int index, Class<? extends Record> type, String json)
            throws ProtocolException {
        JsonElement doc = JsonParser.parseString(json); // also fails on placeholders like {…}
        if (type == null) {
            assertEquals(true, doc.isJsonObject(), "example " + index + " is a JSON object");
            return;
        }
        Record decoded = codec.decode(json.getBytes(StandardCharsets.UTF_8), type);
        JsonElement again = JsonParser.parseString(new String(codec.encode(decoded), StandardCharsets.UTF_8));
        assertEquals(doc, again);
    }
}
