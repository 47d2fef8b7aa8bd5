package io.edgeshare.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Attack 7: outside text with CR/LF must not write a forged line into a log. */
class LogTextTest {

    @Test
    void controlCharactersAreEscaped() {
        assertEquals("a\\u000d\\u000a[main] INFO x\\u001b[31m", LogText.clean("a\r\n[main] INFO x\u001b[31m"));
        assertEquals("null", LogText.clean(null));
        assertTrue(LogText.clean("x".repeat(5000)).length() < 400, "long values are cut");
    }
}
