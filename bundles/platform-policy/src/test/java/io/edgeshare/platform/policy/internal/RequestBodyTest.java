package io.edgeshare.platform.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** A body that is not a JSON object gets one clear line, never the parser's own text. */
class RequestBodyTest {

    private static RequestException refused(String body) {
        return assertThrows(RequestException.class,
                () -> PolicyServlet.jsonObject(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void malformedJsonNamesThePositionOnly() {
        RequestException e = refused("{\"policy\": {oops}}");
        assertEquals(400, e.status());
        assertEquals("invalid-json", e.code());
        assertEquals("the body is not valid JSON (line 1, column 14)", e.getMessage());
    }

    @Test
    void lenientJsonIsRefused() {
        assertEquals("invalid-json", refused("{policy: {}}").code());
    }

    @Test
    void trailingDataIsRefused() {
        assertEquals("invalid-json", refused("{} {}").code());
    }

    @Test
    void anArrayIsNotAnObject() {
        assertEquals("the body must be a JSON object", refused("[1]").getMessage());
    }
}
