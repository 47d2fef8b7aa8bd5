package io.edgeshare.audio.internal.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgeshare.audio.internal.TestAudio;

class LibraryTest {

    @TempDir
    Path dir;

    @Test
    void foldsCaseAndAccents() {
        assertEquals("beyonce deja vu mp3", SearchText.fold("Beyoncé – DÉJÀ_Vu.mp3"));
        assertEquals("strasse", SearchText.fold("Straße"));
    }

    @Test
    void findsByTagsAndFileNameToleratingCaseAndAccents() throws Exception {
        TestAudio.assumeFfmpeg();
        Path music = Files.createDirectories(dir.resolve("music"));
        TestAudio.tone(music.resolve("01.mp3"), 440, 0.5, "64k", 44100, "Déjà Vu", "Beyoncé");
        TestAudio.tone(music.resolve("02.mp3"), 440, 0.5, "64k", 44100, "Other Song", "Someone");
        TestAudio.tone(music.resolve("Night_Café_Blues.mp3"), 440, 0.5, "64k", 44100, null, null);
        Library lib = new Library(w -> { });
        List<Path> roots = List.of(music);
        assertEquals("01.mp3", lib.search("deja vu", roots).orElseThrow().file().getFileName().toString());
        assertEquals("01.mp3", lib.search("BEYONCE", roots).orElseThrow().file().getFileName().toString());
        assertEquals("Beyoncé - Déjà Vu", lib.search("beyon", roots).orElseThrow().title());
        assertEquals("Night_Café_Blues.mp3",
                lib.search("night cafe", roots).orElseThrow().file().getFileName().toString());
        assertTrue(lib.search("deja blues", roots).isEmpty(), "every word must match the same track");
        assertTrue(lib.search("   ", roots).isEmpty());
    }

    @Test
    void playlistFromM3uWithRelativeAndMissingEntries() throws Exception {
        Path a = TestAudio.write(dir.resolve("a.mp3"), TestAudio.frames(TestAudio.MPEG1_128K, 5));
        TestAudio.write(dir.resolve("b.mp3"), TestAudio.frames(TestAudio.MPEG1_128K, 5));
        Path m3u = Files.writeString(dir.resolve("list.m3u"),
                "#EXTM3U\n#EXTINF:3,Artist - First\na.mp3\nmissing.mp3\nhttp://example.org/x.mp3\n" + dir.resolve("b.mp3") + "\n");
        List<String> warnings = new java.util.ArrayList<>();
        Playlist p = new Playlist(m3u, false, false, new java.util.Random(1), warnings::add);
        Track first = p.next();
        assertEquals(a, first.file());
        assertEquals("Artist - First", first.title());
        assertEquals("b", p.next().title());
        assertEquals(null, p.next(), "no repeat: over");
        assertEquals(2, warnings.size(), warnings.toString());
    }

    @Test
    void shuffleRepeatPlaysEveryFileEachCycleAndPicksUpNewFiles() throws Exception {
        for (int i = 0; i < 5; i++) {
            TestAudio.write(dir.resolve("t" + i + ".mp3"), TestAudio.frames(TestAudio.MPEG1_128K, 2));
        }
        Playlist p = new Playlist(dir, true, true, new java.util.Random(42), w -> { });
        java.util.Set<Path> cycle = new java.util.HashSet<>();
        for (int i = 0; i < 5; i++) {
            cycle.add(p.next().file());
        }
        assertEquals(5, cycle.size(), "each file once per cycle");
        TestAudio.write(dir.resolve("t9.mp3"), TestAudio.frames(TestAudio.MPEG1_128K, 2));
        cycle.clear();
        for (int i = 0; i < 6; i++) {
            cycle.add(p.next().file());
        }
        assertEquals(6, cycle.size(), "the new file joins the next cycle");
    }
}
