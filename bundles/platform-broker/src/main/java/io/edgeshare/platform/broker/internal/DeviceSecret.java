package io.edgeshare.platform.broker.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One device's stored credential: a salted hash of its password, with the scheme that made it. New entries use
 * HMAC-SHA256 keyed by a random salt: the password is 256 random bits issued by the platform, so no guessing can
 * reach it and key stretching would only make every broker login pay ~10 ms of CPU. Entries written before
 * (PBKDF2-HMAC-SHA256 with their iteration count) still load and verify.
 *
 * <p>A registry line is {@code id salt hash scheme enrolledAt}; the scheme is {@link #HMAC_SHA256} or, for
 * the older entries, the PBKDF2 iteration count.
 */
record DeviceSecret(String deviceId, byte[] salt, byte[] hash, String scheme, long enrolledAt) {
    static final String HMAC_SHA256 = "hmac-sha256";

    static DeviceSecret issue(String deviceId, byte[] password, SecureRandom random, long now) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return new DeviceSecret(deviceId, salt, hmac(password, salt), HMAC_SHA256, now);
    }

    /** @throws IllegalArgumentException when the fields are not a registry line */
    static DeviceSecret parse(String[] f) {
        if (f.length != 5 || !DeviceFile.DEVICE_ID.matcher(f[0]).matches()) {
            throw new IllegalArgumentException("not 5 fields starting with a device id");
        }
        Base64.Decoder b64 = Base64.getDecoder();
        String scheme = f[3];
        if (!scheme.equals(HMAC_SHA256) && (!scheme.matches("[0-9]{1,7}") || Integer.parseInt(scheme) < 1)) {
            throw new IllegalArgumentException("unknown scheme " + scheme);
        }
        return new DeviceSecret(f[0], b64.decode(f[1]), b64.decode(f[2]), scheme, Long.parseLong(f[4]));
    }

    String line() {
        Base64.Encoder b64 = Base64.getEncoder();
        return deviceId + ' ' + b64.encodeToString(salt) + ' ' + b64.encodeToString(hash) + ' ' + scheme + ' '
                + enrolledAt;
    }

    /** Constant-time comparison of the stored hash with the password's. */
    boolean matches(byte[] password) {
        byte[] candidate = scheme.equals(HMAC_SHA256) ? hmac(password, salt)
                : pbkdf2(password, salt, Integer.parseInt(scheme));
        return MessageDigest.isEqual(hash, candidate);
    }

    static byte[] hmac(byte[] password, byte[] salt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            return mac.doFinal(password);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java 17", e);
        }
    }

    static byte[] pbkdf2(byte[] password, byte[] salt, int iterations) {
        char[] chars = new String(password, StandardCharsets.ISO_8859_1).toCharArray();
        try {
            PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java 17", e);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }
}
