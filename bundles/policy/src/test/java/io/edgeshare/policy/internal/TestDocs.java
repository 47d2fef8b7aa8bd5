package io.edgeshare.policy.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/** Keys, signed envelopes and in-memory fakes for the policy tests. */
final class TestDocs {
    private TestDocs() {
    }

    static KeyPair keyPair() throws GeneralSecurityException {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    static String publicKey(KeyPair kp) {
        return Base64.getEncoder().encodeToString(kp.getPublic().getEncoded());
    }

    static PlatformKeys trust(KeyPair kp) throws IOException, GeneralSecurityException {
        return PlatformKeys.load(publicKey(kp), "");
    }

    static byte[] sign(KeyPair kp, String payload) throws GeneralSecurityException {
        return envelope(kp, payload.getBytes(StandardCharsets.UTF_8), true);
    }

    static byte[] envelope(KeyPair kp, byte[] payload, boolean withKeyId) throws GeneralSecurityException {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(kp.getPrivate());
        s.update(payload);
        String sig = Base64.getEncoder().encodeToString(s.sign());
        String keyId = withKeyId ? ",\"keyId\":\"" + PlatformKeys.keyId(kp.getPublic()) + "\"" : "";
        return ("{\"format\":\"edgeshare-policy/1\"" + keyId + ",\"payload\":\""
                + Base64.getEncoder().encodeToString(payload) + "\",\"signature\":\"" + sig + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A complete, valid policy of generation {@code g} for all gateways. */
    static String policy(long g) {
        return """
                {"schema":1,"generation":%d,"issuedAt":"2026-11-22T00:00:00Z","expiresAt":"2026-12-22T00:00:00Z","targets":["all"],
                 "sharing":{"enabled":true,"categories":["video","image"],"maxItemBytes":104857600,
                            "clientRateBytesPerSecond":2000000,"maxConcurrentDownloads":32},
                 "cache":{"quotaBytes":%d,"prefetch":[{"url":"https://cdn.example.com/promo.mp4","category":"video","title":"Promo"}]},
                 "ap":{"ssid":"Mall Free WiFi","security":"wpa2-psk","passphrase":"correct horse","maxStations":64,"hours":["08:00-22:00"]},
                 "audio":{"maxListeners":50,"admission":"capped","breaksEvery":3},
                 "reporting":{"intervalSeconds":15}}
                """.formatted(g, 1_000_000_000L + g);
    }

    /** ConfigAdmin in a map; can be told to fail writing a PID. */
    static final class MapConfigs implements ConfigStore {
        final Map<String, Map<String, Object>> configs = new TreeMap<>();
        final Set<String> failWrite = new java.util.HashSet<>();
        final List<String> writes = new ArrayList<>();

        @Override
        public Optional<Map<String, Object>> read(String pid) {
            Map<String, Object> m = configs.get(pid);
            return m == null ? Optional.empty() : Optional.of(new LinkedHashMap<>(m));
        }

        @Override
        public List<String> factoryInstances(String factoryPid) {
            return configs.keySet().stream().filter(p -> p.startsWith(factoryPid + "~")).toList();
        }

        @Override
        public void write(String pid, Map<String, Object> properties) throws IOException {
            if (failWrite.contains(pid)) {
                throw new IOException("injected failure");
            }
            writes.add(pid);
            configs.put(pid, new LinkedHashMap<>(properties));
        }

        @Override
        public void delete(String pid) {
            writes.add("-" + pid);
            configs.remove(pid);
        }
    }

    static final class MemoryStore implements PolicyStore {
        byte[] good;
        Properties state = new Properties();

        @Override
        public Optional<byte[]> loadGood() {
            return Optional.ofNullable(good);
        }

        @Override
        public void saveGood(byte[] document) {
            good = document.clone();
        }

        @Override
        public Properties loadState() {
            Properties p = new Properties();
            p.putAll(state);
            return p;
        }

        @Override
        public void saveState(Properties s) {
            state = new Properties();
            state.putAll(s);
        }

        byte[] baseline;

        @Override
        public Optional<byte[]> loadBaseline() {
            return Optional.ofNullable(baseline);
        }

        @Override
        public void saveBaseline(byte[] b) {
            baseline = b.clone();
        }
    }
}
