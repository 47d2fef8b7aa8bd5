package io.edgeshare.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.junit.jupiter.api.Test;

class ItemHeadersTest {

    private static final Instant ADDED = Instant.parse("2026-01-02T03:04:05.678Z");

    private static StoredItem item(String title, String type) {
        return new StoredItem("abc", "0123abcd", 10, title, type, null, ADDED, null, null, null, ADDED, false, ADDED);
    }

    /** The bytes Jetty writes for these fields, as lines. */
    private static List<String> wire(PreEncodedHttpField[] fields) {
        List<String> lines = new ArrayList<>();
        for (PreEncodedHttpField f : fields) {
            ByteBuffer b = ByteBuffer.allocate(1024);
            f.putTo(b, HttpVersion.HTTP_1_1);
            b.flip();
            lines.add(StandardCharsets.ISO_8859_1.decode(b).toString());
        }
        return lines;
    }

    @Test
    void validatorsAreTheEtagAndTheDateToTheSecond() {
        ItemHeaders h = ItemHeaders.of(item("a.mp4", "video/mp4"));
        assertEquals(List.of("ETag: \"0123abcd\"\r\n", "Last-Modified: Fri, 02 Jan 2026 03:04:05 GMT\r\n",
                "Accept-Ranges: bytes\r\n", "Cache-Control: public, max-age=60\r\n"), wire(h.validators));
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), h.lastModified);
    }

    @Test
    void aPassiveTypeIsOnlyNosniff() {
        ItemHeaders h = ItemHeaders.of(item("a.mp4", "video/mp4"));
        assertEquals(List.of("Content-Type: video/mp4\r\n", "X-Content-Type-Options: nosniff\r\n"),
                wire(h.representation));
    }

    @Test
    void anActiveTypeIsASandboxedAttachmentAsContentSafetySays() {
        ItemHeaders h = ItemHeaders.of(item("my \"page\".html", "text/html"));
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (HttpField f : h.representation) {
            names.add(f.getName());
            values.add(f.getValue());
        }
        assertEquals(List.of("Content-Type", "X-Content-Type-Options", "Content-Disposition",
                "Content-Security-Policy"), names);
        assertEquals(List.of("text/html", "nosniff", ContentSafety.disposition("my \"page\".html"), "sandbox"),
                values);
        assertEquals("attachment; filename=\"my _page_.html\"; filename*=UTF-8''my%20%22page%22.html", values.get(2));
    }

    @Test
    void aNewVersionOrTitleIsNoLongerDescribed() {
        StoredItem first = item("a.mp4", "video/mp4");
        ItemHeaders h = ItemHeaders.of(first);
        assertTrue(h.describes(first.withLastAccess(Instant.now())), "serving an item changes none of its headers");
        assertFalse(h.describes(new StoredItem("abc", "ffff", 10, "a.mp4", "video/mp4", null, ADDED, null, null,
                null, ADDED, false, ADDED)));
        assertFalse(h.describes(item("b.mp4", "video/mp4")));
        assertFalse(h.describes(item("a.mp4", "audio/mpeg")));
    }
}
