package io.edgeshare.policy.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The platform's Ed25519 public keys this gateway trusts (from provisioning). More than one may be trusted at
 * once so the platform can rotate its key.
 */
final class PlatformKeys {
    private final Map<String, PublicKey> byId;

    private PlatformKeys(Map<String, PublicKey> byId) {
        this.byId = byId;
    }

    static PlatformKeys none() {
        return new PlatformKeys(Map.of());
    }

    /**
     * Keys from a base64 X.509 SubjectPublicKeyInfo value and from a file holding PEM {@code PUBLIC KEY}
     * blocks or one base64 key per line ('#' starts a comment). Either may be empty.
     */
    static PlatformKeys load(String base64Key, String keysFile) throws IOException, GeneralSecurityException {
        List<String> encoded = new ArrayList<>();
        if (base64Key != null && !base64Key.isBlank()) {
            encoded.add(base64Key.trim());
        }
        if (keysFile != null && !keysFile.isBlank()) {
            encoded.addAll(parseFile(Files.readString(Path.of(keysFile.trim()), StandardCharsets.UTF_8)));
        }
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        for (String e : encoded) {
            byte[] spki;
            try {
                spki = Base64.getDecoder().decode(e);
            } catch (IllegalArgumentException bad) {
                throw new GeneralSecurityException("platform key is not base64: " + bad.getMessage());
            }
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            keys.put(keyId(key), key);
        }
        return new PlatformKeys(Map.copyOf(keys));
    }

    static List<String> parseFile(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder pem = null;
        for (String raw : text.split("\\R")) {
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("-----BEGIN")) {
                pem = new StringBuilder();
            } else if (line.startsWith("-----END")) {
                if (pem != null) {
                    out.add(pem.toString());
                }
                pem = null;
            } else if (pem != null) {
                pem.append(line);
            } else {
                out.add(line);
            }
        }
        return out;
    }

    /** First 8 bytes of SHA-256 over the key's X.509 encoding, in hex: names a key without revealing much. */
    static String keyId(PublicKey key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    int size() {
        return byId.size();
    }

    List<String> ids() {
        return List.copyOf(byId.keySet());
    }

    /** Throws unless {@code envelope}'s signature verifies with a trusted key. */
    void verify(Envelope envelope) throws PolicyException {
        if (byId.isEmpty()) {
            throw new PolicyException(PolicyException.NO_KEY, "no platform public key provisioned "
                    + "(edgeshare.policy: platform.public.key or platform.keys.file)");
        }
        if (envelope.signature().length == 0) {
            throw new PolicyException(PolicyException.UNSIGNED, "the envelope carries no signature");
        }
        List<PublicKey> candidates;
        if (!envelope.keyId().isEmpty()) {
            PublicKey k = byId.get(envelope.keyId());
            if (k == null) {
                throw new PolicyException(PolicyException.UNKNOWN_KEY, "signed with key " + envelope.keyId()
                        + ", this gateway trusts " + byId.keySet());
            }
            candidates = List.of(k);
        } else {
            candidates = List.copyOf(byId.values());
        }
        for (PublicKey k : candidates) {
            try {
                Signature s = Signature.getInstance("Ed25519");
                s.initVerify(k);
                s.update(envelope.payload());
                if (s.verify(envelope.signature())) {
                    return;
                }
            } catch (GeneralSecurityException e) {
                // a wrong-length or garbled signature: not valid with this key
            }
        }
        throw new PolicyException(PolicyException.BAD_SIGNATURE, "the signature does not verify with "
                + (envelope.keyId().isEmpty() ? "any of the " + byId.size() + " trusted platform key(s)"
                        : "key " + envelope.keyId()));
    }
}
