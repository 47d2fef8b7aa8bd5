package io.edgeshare.platform.policy.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The platform's Ed25519 signing key. Generated on first start into the data directory (private key
 * owner-only, PKCS#8), loaded afterwards. The private key never leaves this class: no getter, never logged.
 */
final class PlatformKey {
    static final String PRIVATE_FILE = "platform-ed25519.pk8";
    static final String PUBLIC_FILE = "platform-ed25519.pub";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final boolean generated;

    private PlatformKey(PrivateKey privateKey, PublicKey publicKey, boolean generated) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.generated = generated;
    }

    static PlatformKey loadOrCreate(Path dir) throws IOException, GeneralSecurityException {
        Path priv = dir.resolve(PRIVATE_FILE);
        Path pub = dir.resolve(PUBLIC_FILE);
        KeyFactory kf = KeyFactory.getInstance("Ed25519");
        if (Files.exists(priv)) {
            PrivateKey p = kf.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(
                    Files.readString(priv, StandardCharsets.US_ASCII).trim())));
            PublicKey k = kf.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(
                    Files.readString(pub, StandardCharsets.US_ASCII).trim())));
            PlatformKey key = new PlatformKey(p, k, false);
            key.selfTest();
            return key;
        }
        Files.createDirectories(dir);
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        writeOwnerOnly(priv, Base64.getEncoder().encodeToString(kp.getPrivate().getEncoded()));
        writeOwnerOnly(pub, Base64.getEncoder().encodeToString(kp.getPublic().getEncoded()));
        return new PlatformKey(kp.getPrivate(), kp.getPublic(), true);
    }

    private static void writeOwnerOnly(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text + "\n", StandardCharsets.US_ASCII);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        }
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A key pair whose halves do not match must not sign anything. */
    private void selfTest() throws GeneralSecurityException {
        byte[] probe = "edgeshare".getBytes(StandardCharsets.US_ASCII);
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(publicKey);
        v.update(probe);
        if (!v.verify(sign(probe))) {
            throw new GeneralSecurityException("the stored platform key pair does not match");
        }
    }

    boolean generated() {
        return generated;
    }

    byte[] sign(byte[] payload) throws GeneralSecurityException {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(privateKey);
        s.update(payload);
        return s.sign();
    }

    /** Base64 of the X.509 SubjectPublicKeyInfo: the value of the gateways' {@code platform.public.key}. */
    String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }

    String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(publicKey.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** First 8 bytes of SHA-256 over the X.509 encoding, hex: the envelope's {@code keyId}. */
    String keyId() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded()), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
