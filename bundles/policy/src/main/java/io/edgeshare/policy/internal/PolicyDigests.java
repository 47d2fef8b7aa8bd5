package io.edgeshare.policy.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonObject;

/** How the engine recognises documents: the exact bytes, the content without its times, the claimed generation. */
final class PolicyDigests {
    private static final Pattern GENERATION = Pattern.compile("\"generation\"\\s*:\\s*(\\d{1,18})");

    private PolicyDigests() {
    }

    /** The generation a payload claims, read before its signature is trusted (for the report only). */
    static long claimedGeneration(byte[] payload) {
        Matcher m = GENERATION.matcher(new String(payload, StandardCharsets.UTF_8));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** SHA-256 of the payload without its issue and expiry times: equal for a document and its renewals. */
    static String content(byte[] payload) throws PolicyException {
        JsonObject o = Envelope.strictObject(payload, "payload");
        o.remove("issuedAt");
        o.remove("expiresAt");
        return sha256(o.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #content} of an envelope's payload; empty when it cannot be read. */
    static String contentOfDocument(byte[] document) {
        try {
            return content(Envelope.parse(document).payload());
        } catch (PolicyException e) {
            return "";
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
