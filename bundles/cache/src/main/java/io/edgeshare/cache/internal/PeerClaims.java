package io.edgeshare.cache.internal;

/**
 * What this gateway adopts from a nearby sharer's description of an item. The bytes are checked elsewhere;
 * here: a peer's media type is never taken (it could turn an item into HTML), and its title only when it
 * is a plain file name of a passive type, so a peer cannot list {@code free-wifi-update.exe} (or a title
 * with control characters) in this gateway's public catalog.
 */
final class PeerClaims {

    private static final int MAX_TITLE = 120;

    private PeerClaims() {
    }

    /** The peer's title if it may be shown as it is, else null. */
    static String acceptableTitle(String peerTitle) {
        if (peerTitle == null || peerTitle.isBlank() || peerTitle.length() > MAX_TITLE) {
            return null;
        }
        for (int i = 0; i < peerTitle.length(); i++) {
            char c = peerTitle.charAt(i);
            if (Character.isISOControl(c) || c == '/' || c == '\\' || Character.getType(c) == Character.FORMAT) {
                return null;
            }
        }
        return MediaTypes.isPassive(MediaTypes.forFileName(peerTitle)) ? peerTitle.strip() : null;
    }

    /**
     * The title to record for a peer copy: a trusted one (operator, policy), else the origin URL's file name,
     * else the peer's title when acceptable, else the id.
     */
    static String title(String trustedTitle, String originUrl, String peerTitle, String id) {
        if (trustedTitle != null) {
            return trustedTitle;
        }
        if (originUrl != null) {
            return ContentFetcher.titleFromUrl(originUrl);
        }
        String accepted = acceptableTitle(peerTitle);
        return accepted != null ? accepted : id;
    }
}
