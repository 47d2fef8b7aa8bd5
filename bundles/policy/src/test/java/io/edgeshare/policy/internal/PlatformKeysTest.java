package io.edgeshare.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformKeysTest {
    @TempDir
    Path dir;

    @Test
    void trustsKeysFromConfigurationAndFromAPemFile() throws Exception {
        KeyPair a = TestDocs.keyPair();
        KeyPair b = TestDocs.keyPair();
        String pem = "# rotated key\n-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
                        b.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Path file = dir.resolve("platform-keys.pem");
        Files.writeString(file, pem);
        PlatformKeys keys = PlatformKeys.load(TestDocs.publicKey(a), file.toString());
        assertEquals(2, keys.size());
        keys.verify(Envelope.parse(TestDocs.sign(a, TestDocs.policy(1))));
        keys.verify(Envelope.parse(TestDocs.sign(b, TestDocs.policy(1))));
        keys.verify(Envelope.parse(TestDocs.envelope(b, TestDocs.policy(1).getBytes(StandardCharsets.UTF_8), false)));
    }

    @Test
    void refusesAKeyThatIsNotEd25519() {
        assertThrows(GeneralSecurityException.class, () -> PlatformKeys.load("bm90IGEga2V5", ""));
        assertThrows(GeneralSecurityException.class, () -> PlatformKeys.load("***", ""));
    }
}
