package io.edgeshare.audio.internal.mp3;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Title, artist and album of an MP3 file from its ID3v2 (2.2, 2.3, 2.4) or ID3v1 tag. Values are empty
 * strings when absent; never null.
 */
public record TrackTags(String title, String artist, String album) {

    public static final TrackTags NONE = new TrackTags("", "", "");

    /** Reads the tags of {@code file}; unreadable or missing tags give {@link #NONE}. */
    public static TrackTags read(Path file) {
        try {
            TrackTags v2 = readId3v2(file);
            if (v2 != null && !v2.title().isEmpty()) {
                return v2;
            }
            TrackTags v1 = readId3v1(file);
            return v1 != null ? v1 : v2 != null ? v2 : NONE;
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    /** "Artist - Title", the title alone, or {@code fallback} when the file has no title tag. */
    public String display(String fallback) {
        if (title.isEmpty()) {
            return fallback;
        }
        return artist.isEmpty() ? title : artist + " - " + title;
    }

    private static TrackTags readId3v2(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(10);
            if (head.length < 10 || head[0] != 'I' || head[1] != 'D' || head[2] != '3') {
                return null;
            }
            int major = head[3];
            int size = (head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | (head[9] & 0x7F);
            byte[] tag = in.readNBytes(Math.min(size, 1 << 20));
            if ((head[5] & 0x80) != 0 && major < 4) {
                tag = unsynchronise(tag);
            }
            String title = "", artist = "", album = "";
            int p = 0;
            if (major >= 3 && (head[5] & 0x40) != 0 && tag.length >= 4) { // extended header
                int ext = major == 4 ? syncsafe(tag, 0) : be32(tag, 0) + 4;
                p = Math.max(0, ext);
            }
            int idLen = major == 2 ? 3 : 4;
            int hdrLen = major == 2 ? 6 : 10;
            while (p + hdrLen <= tag.length && tag[p] != 0) {
                String id = new String(tag, p, idLen, StandardCharsets.ISO_8859_1);
                int len = major == 2 ? ((tag[p + 3] & 0xFF) << 16 | (tag[p + 4] & 0xFF) << 8 | (tag[p + 5] & 0xFF))
                        : major == 4 ? syncsafe(tag, p + 4) : be32(tag, p + 4);
                int start = p + hdrLen;
                if (len < 0 || start + len > tag.length) {
                    break;
                }
                String value = null;
                if (id.startsWith("T") && len > 1) {
                    value = text(tag, start, len);
                }
                if (value != null) {
                    switch (id) {
                        case "TIT2", "TT2" -> title = value;
                        case "TPE1", "TP1" -> artist = value;
                        case "TALB", "TAL" -> album = value;
                        default -> { }
                    }
                }
                p = start + len;
            }
            return new TrackTags(title, artist, album);
        }
    }

    private static String text(byte[] tag, int start, int len) {
        int enc = tag[start];
        Charset cs = switch (enc) {
            case 1 -> StandardCharsets.UTF_16;
            case 2 -> StandardCharsets.UTF_16BE;
            case 3 -> StandardCharsets.UTF_8;
            default -> StandardCharsets.ISO_8859_1;
        };
        String s = new String(tag, start + 1, len - 1, cs);
        int nul = s.indexOf('\0');
        return (nul >= 0 ? s.substring(0, nul) : s).strip();
    }

    private static TrackTags readId3v1(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            if (f.length() < 128) {
                return null;
            }
            byte[] t = new byte[128];
            f.seek(f.length() - 128);
            f.readFully(t);
            if (t[0] != 'T' || t[1] != 'A' || t[2] != 'G') {
                return null;
            }
            return new TrackTags(v1(t, 3), v1(t, 33), v1(t, 63));
        }
    }

    private static String v1(byte[] t, int off) {
        String s = new String(t, off, 30, StandardCharsets.ISO_8859_1);
        int nul = s.indexOf('\0');
        return (nul >= 0 ? s.substring(0, nul) : s).strip();
    }

    private static byte[] unsynchronise(byte[] in) {
        byte[] out = new byte[in.length];
        int n = 0;
        for (int i = 0; i < in.length; i++) {
            out[n++] = in[i];
            if ((in[i] & 0xFF) == 0xFF && i + 1 < in.length && in[i + 1] == 0) {
                i++;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static int syncsafe(byte[] b, int o) {
        return (b[o] & 0x7F) << 21 | (b[o + 1] & 0x7F) << 14 | (b[o + 2] & 0x7F) << 7 | (b[o + 3] & 0x7F);
    }

    private static int be32(byte[] b, int o) {
        return (b[o] & 0xFF) << 24 | (b[o + 1] & 0xFF) << 16 | (b[o + 2] & 0xFF) << 8 | (b[o + 3] & 0xFF);
    }
}
