package io.edgeshare.cache.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The fast route's check of {@code /content/{id}} (was a regex, {@code /[A-Za-z0-9_-]{1,128}}, per request). */
class ContentRouteIdPathTest {

    private static boolean idPath(String full) {
        return full.startsWith(ContentRoute.MOUNT) && ContentRoute.isIdPath(full, ContentRoute.MOUNT.length());
    }

    @Test
    void anIdOfLettersDigitsDashAndUnderscoreIsOne() {
        assertTrue(idPath("/content/2f7a32be6b7641f0_A-z9"));
    }

    @Test
    void oneCharacterAnd128CharactersAreTheBounds() {
        assertTrue(idPath("/content/x"));
        assertTrue(idPath("/content/" + "a".repeat(128)));
        assertFalse(idPath("/content/" + "a".repeat(129)));
    }

    @Test
    void theMountAloneOrWithASlashIsNoId() {
        assertFalse(idPath("/content"));
        assertFalse(idPath("/content/"));
    }

    @Test
    void aLongerFirstSegmentIsNotTheMount() {
        assertFalse(idPath("/contentx/abc"));
    }

    @Test
    void aSecondSegmentDotsOrEscapesAreNoId() {
        assertFalse(idPath("/content/abc/def"));
        assertFalse(idPath("/content/a.b"));
        assertFalse(idPath("/content/a%2Fb"));
        assertFalse(idPath("/content/é"));
    }
}
