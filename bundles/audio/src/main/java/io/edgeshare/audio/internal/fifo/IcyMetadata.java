package io.edgeshare.audio.internal.fifo;

import java.nio.charset.StandardCharsets;

/**
 * One Icecast/SHOUTcast in-band metadata block ({@code StreamTitle='...';}), encoded once and shared by
 * every listener that asked for metadata.
 */
public final class IcyMetadata {

    /** The one-byte block that means "no change". */
    public static final byte[] NO_CHANGE = { 0 };

    private final String title;
    private final boolean interstitial;
    private final byte[] block;

    public IcyMetadata(String title, boolean interstitial) {
        this.title = title;
        this.interstitial = interstitial;
        this.block = encode(title);
    }

    public String title() {
        return title;
    }

    /** Whether this belongs to a broadcast break (news, ad) rather than a song. */
    public boolean interstitial() {
        return interstitial;
    }

    /** Length byte followed by the text padded to a multiple of 16 bytes. */
    public byte[] block() {
        return block;
    }

    static byte[] encode(String title) {
        // A quote would end the value early in most players; the length byte limits the block to 4080 bytes.
        String safe = title.replace('\'', '\u2019').replace('\n', ' ').replace('\r', ' ');
        byte[] text = ("StreamTitle='" + safe + "';").getBytes(StandardCharsets.UTF_8);
        int len = Math.min(text.length, 255 * 16);
        int blocks = (len + 15) / 16;
        byte[] out = new byte[1 + blocks * 16];
        out[0] = (byte) blocks;
        System.arraycopy(text, 0, out, 1, len);
        return out;
    }
}
