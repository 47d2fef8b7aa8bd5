package io.edgeshare.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GetCommandTest {
    private static CatalogEntry titled(String title) {
        return new CatalogEntry("abc123", title, "video/mp4", 1, "0".repeat(64), "video");
    }

    @Test
    void aTitleNeverNamesAnotherDirectory() {
        assertEquals("__.._etc_passwd", GetCommand.fileName(titled("../../etc/passwd")));
        assertEquals("_bashrc", GetCommand.fileName(titled(".bashrc")));
        assertEquals("clip.mp4", GetCommand.fileName(titled("clip.mp4")));
    }

    @Test
    void anEmptyTitleFallsBackToTheId() {
        assertEquals("abc123", GetCommand.fileName(titled("  ")));
    }
}
