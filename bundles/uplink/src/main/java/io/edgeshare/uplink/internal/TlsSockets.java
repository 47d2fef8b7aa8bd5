package io.edgeshare.uplink.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the uplink from PEM files as provisioning hands them out: the platform's CA certificate and,
 * for client-certificate authentication, the device's certificate and PKCS#8 private key.
 */
final class TlsSockets {
    private TlsSockets() {
    }

    static SSLSocketFactory create(String caFile, String certFile, String keyFile) throws IOException {
        try {
            TrustManagerFactory tmf = null;
            if (!caFile.isBlank()) {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                int i = 0;
                for (Certificate c : certificates(Path.of(caFile))) {
                    trust.setCertificateEntry("ca" + i++, c);
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (!certFile.isBlank() || !keyFile.isBlank()) {
                if (certFile.isBlank() || keyFile.isBlank()) {
                    throw new IOException("a client certificate needs both tls.cert.file and tls.key.file");
                }
                KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
                keys.load(null, null);
                char[] none = new char[0];
                keys.setKeyEntry("device", privateKey(Path.of(keyFile)), none,
                        certificates(Path.of(certFile)).toArray(Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, none);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS setup failed: " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> certificates(Path pem) throws IOException,
            GeneralSecurityException {
        Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(pem)));
        if (certs.isEmpty()) {
            throw new IOException("no certificate in " + pem);
        }
        return certs;
    }

    private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem);
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IOException(pem + " must hold an unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----);"
                    + " convert with: openssl pkcs8 -topk8 -nocrypt");
        }
        String b64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(b64);
        List<String> algorithms = new ArrayList<>(List.of("EC", "RSA", "Ed25519"));
        for (String alg : algorithms) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (java.security.spec.InvalidKeySpecException tryNext) {
                // not this algorithm
            }
        }
        throw new IOException("unsupported private key in " + pem + " (EC, RSA or Ed25519 expected)");
    }
}
