package io.edgeshare.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileSeederTest {

    @Test
    void seedsThenFollowsTheProfileButKeepsOperatorEdits(@TempDir Path tmp) throws IOException {
        Path profile = Files.createDirectories(tmp.resolve("mall-ap"));
        Path etc = Files.createDirectories(tmp.resolve("etc"));
        Files.writeString(profile.resolve("a.cfg"), "x = 1\n");
        Files.writeString(profile.resolve("b.cfg"), "y = 1\n");

        assertEquals(List.of(), new ProfileSeeder(profile, etc).seed());
        assertEquals("x = 1\n", Files.readString(etc.resolve("a.cfg")));
        assertEquals("y = 1\n", Files.readString(etc.resolve("b.cfg")));

        // operator edits b; the profile changes both
        Files.writeString(etc.resolve("b.cfg"), "y = 42\n");
        Files.writeString(profile.resolve("a.cfg"), "x = 2\n");
        Files.writeString(profile.resolve("b.cfg"), "y = 2\n");
        List<String> report = new ProfileSeeder(profile, etc).seed();

        assertEquals("x = 2\n", Files.readString(etc.resolve("a.cfg")), "untouched file follows the profile");
        assertEquals("y = 42\n", Files.readString(etc.resolve("b.cfg")), "edited file is kept");
        assertEquals(2, report.size());
        assertTrue(report.get(0).contains("a.cfg updated"), report.toString());
        assertTrue(report.get(1).contains("b.cfg edited locally; kept"), report.toString());
    }

    @Test
    void unknownProfileIsAClearError(@TempDir Path tmp) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ProfileSeeder(tmp.resolve("nope"), tmp).seed());
        assertTrue(e.getMessage().contains("profile not found"));
    }
}
