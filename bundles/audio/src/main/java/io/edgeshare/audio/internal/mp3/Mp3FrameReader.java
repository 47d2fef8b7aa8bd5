package io.edgeshare.audio.internal.mp3;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits an MPEG audio byte stream into whole frames. Skips ID3v2 (at the start or between concatenated
 * files), ID3v1 and APEv2 tags and the Xing/Info/VBRI header frame of VBR files. Anything else that is
 * not a frame (corruption, truncated frames) is skipped and reported through the warning sink; reading
 * then continues with the next real frame.
 *
 * <p>After junk, a candidate header is only accepted when the next frame header follows where it should
 * (or the data ends there), so a stray 0xFFE bit pattern inside corrupt data does not pass as audio.
 */
public final class Mp3FrameReader implements Closeable {

    private static final int MAX_FRAME = 8192;

    private final InputStream in;
    private final String name;
    private final Consumer<String> warnings;
    private byte[] buf = new byte[64 * 1024];
    private int pos;
    private int lim;
    private long base; // stream offset of buf[0]
    private boolean eof;
    private FrameHeader last;
    private long skippedBytes;
    private int frames;

    public Mp3FrameReader(InputStream in, String name, Consumer<String> warnings) {
        this.in = in;
        this.name = name;
        this.warnings = warnings;
    }

    /** Bytes that were neither a frame nor a recognised tag. */
    public long skippedBytes() {
        return skippedBytes;
    }

    /** Frames returned so far. */
    public int frames() {
        return frames;
    }

    /** The next frame, or null at the end of the stream. */
    public Mp3Frame next() throws IOException {
        long junkStart = -1;
        int junk = 0;
        while (true) {
            if (!ensure(4)) {
                int rest = lim - pos;
                if (rest > 0) {
                    junk += rest;
                    if (junkStart < 0) {
                        junkStart = base + pos;
                    }
                    pos = lim;
                }
                reportJunk(junkStart, junk, "at the end");
                return null;
            }
            int skip = tagLength();
            if (skip > 0) {
                reportJunk(junkStart, junk, "before a tag");
                junk = 0;
                junkStart = -1;
                if (!skip(skip)) {
                    return null;
                }
                continue;
            }
            FrameHeader h = FrameHeader.parse(buf, pos);
            if (h != null && h.length() >= 4 + h.sideInfoLength() && h.length() <= MAX_FRAME) {
                boolean whole = ensure(h.length());
                if (!whole) {
                    boolean trusted = junk == 0 && last != null && last.compatible(h);
                    if (trusted) {
                        warnings.accept(String.format("%s: truncated frame at byte %d (%d of %d bytes), skipped",
                                name, base + pos, lim - pos, h.length()));
                        skippedBytes += lim - pos;
                        pos = lim;
                        reportJunk(junkStart, junk, "at the end");
                        return null;
                    }
                } else if (accept(h, junk)) {
                    reportJunk(junkStart, junk, "before a frame");
                    byte[] data = Arrays.copyOfRange(buf, pos, pos + h.length());
                    pos += h.length();
                    last = h;
                    if (isVbrHeader(h, data)) {
                        junk = 0;
                        junkStart = -1;
                        continue;
                    }
                    frames++;
                    return new Mp3Frame(h, data);
                }
            }
            if (junkStart < 0) {
                junkStart = base + pos;
            }
            junk++;
            pos++;
        }
    }

    private boolean accept(FrameHeader h, int junk) throws IOException {
        if (junk == 0 && last != null && last.compatible(h)) {
            return true;
        }
        int next = pos + h.length();
        if (!ensure(h.length() + 4)) {
            return lim == next; // the stream ends right after this frame
        }
        FrameHeader following = FrameHeader.parse(buf, next);
        if (following != null && h.compatible(following)) {
            return true;
        }
        return startsWith(next, "ID3") || startsWith(next, "TAG") || startsWith(next, "APET");
    }

    /** Length of a tag starting at pos, or 0 when there is none. */
    private int tagLength() throws IOException {
        if (startsWith(pos, "ID3") && ensure(10)) {
            int flags = buf[pos + 5] & 0xFF;
            int s0 = buf[pos + 6], s1 = buf[pos + 7], s2 = buf[pos + 8], s3 = buf[pos + 9];
            if (((s0 | s1 | s2 | s3) & 0x80) == 0 && (buf[pos + 3] & 0xFF) < 0xFF) {
                int size = (s0 << 21) | (s1 << 14) | (s2 << 7) | s3;
                return 10 + size + ((flags & 0x10) != 0 ? 10 : 0);
            }
        }
        if (startsWith(pos, "TAG") && ensure(128)) {
            int after = pos + 128;
            if (!ensure(132) || FrameHeader.parse(buf, after) != null || startsWith(after, "ID3")
                    || startsWith(after, "APET")) {
                return 128;
            }
        }
        if (startsWith(pos, "APETAGEX") && ensure(32)) {
            int size = (buf[pos + 12] & 0xFF) | (buf[pos + 13] & 0xFF) << 8 | (buf[pos + 14] & 0xFF) << 16
                    | (buf[pos + 15] & 0xFF) << 24;
            int flags = (buf[pos + 20] & 0xFF) | (buf[pos + 21] & 0xFF) << 8 | (buf[pos + 22] & 0xFF) << 16
                    | (buf[pos + 23] & 0xFF) << 24;
            boolean header = (flags & (1 << 29)) != 0;
            if (size >= 0 && size < (1 << 26)) {
                return header ? 32 + size : 32;
            }
        }
        return 0;
    }

    private boolean isVbrHeader(FrameHeader h, byte[] data) {
        if (h.layer() != 3) {
            return false;
        }
        int off = 4 + (h.protectedByCrc() ? 2 : 0) + h.sideInfoLength();
        if (off + 4 <= data.length) {
            String tag = new String(data, off, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (tag.equals("Xing") || tag.equals("Info")) {
                return true;
            }
        }
        return data.length >= 40 && new String(data, 36, 4, java.nio.charset.StandardCharsets.ISO_8859_1)
                .equals("VBRI");
    }

    private void reportJunk(long start, int count, String where) {
        if (count > 0) {
            skippedBytes += count;
            warnings.accept(String.format("%s: skipped %d bytes of non-audio data at byte %d (%s)", name, count,
                    start, where));
        }
    }

    private boolean startsWith(int at, String magic) throws IOException {
        if (!ensure(at - pos + magic.length())) {
            return false;
        }
        for (int i = 0; i < magic.length(); i++) {
            if (buf[at + i] != magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Skips n bytes (a tag); false when the stream ended inside it. */
    private boolean skip(long n) throws IOException {
        long left = n;
        while (left > 0) {
            int avail = lim - pos;
            if (avail == 0) {
                if (!ensure(1)) {
                    return false;
                }
                continue;
            }
            int step = (int) Math.min(avail, left);
            pos += step;
            left -= step;
        }
        return true;
    }

    /** Makes at least n bytes available from pos; false if the stream ends first. */
    private boolean ensure(int n) throws IOException {
        while (lim - pos < n) {
            if (eof) {
                return false;
            }
            if (pos > 0 && (buf.length - lim < n || pos > buf.length / 2)) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                lim -= pos;
                base += pos;
                pos = 0;
            }
            if (buf.length - lim < n) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n));
            }
            int r = in.read(buf, lim, buf.length - lim);
            if (r < 0) {
                eof = true;
            } else {
                lim += r;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
