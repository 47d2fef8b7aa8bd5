package io.edgeshare.httphygiene.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;

import org.junit.jupiter.api.Test;

import jakarta.servlet.ServletException;

class HangUpFilterTest {

    /** Jetty's EofException, by name: the bundle does not see Jetty's classes. */
    static final class EofException extends IOException {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void aClientThatWentAwayIsRecognised() {
        assertTrue(HangUpFilter.clientHungUp(new EofException()));
        assertTrue(HangUpFilter.clientHungUp(new IOException("wrapped", new ClosedChannelException())));
        assertTrue(HangUpFilter.clientHungUp(new ServletException(new IOException("Broken pipe"))));
        assertTrue(HangUpFilter.clientHungUp(new IOException("Connection reset by peer")));
    }

    @Test
    void otherFailuresAreNotMistakenForAHangUp() {
        assertFalse(HangUpFilter.clientHungUp(new IOException("item ended at byte 10 before 20")));
        assertFalse(HangUpFilter.clientHungUp(new ServletException("bad")));
    }
}
