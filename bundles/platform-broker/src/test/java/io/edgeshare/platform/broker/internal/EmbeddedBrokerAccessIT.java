package io.edgeshare.platform.broker.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

import io.edgeshare.testsupport.EdgeShareOptions;

/**
 * The broker access contract against the real embedded HiveMQ CE, started from its jars with EdgeShare's
 * access extension exactly as the platform starts it, and the real device registry on disk.
 */
class EmbeddedBrokerAccessIT extends BrokerAccessContract {
    private final String platformPassword = randomPassword();
    private Path home;
    private DeviceFile devices;
    private HiveMqBroker broker;
    private int port;

    @Override
    void startBroker() throws Exception {
        home = Files.createTempDirectory("embedded-broker-it");
        devices = new DeviceFile(home.resolve("devices"));
        port = EdgeShareOptions.freePort();
        BrokerAccess access = new BrokerAccess(PREFIX, new BrokerAdmission(devices, platformPassword), e -> {
        }, 1_048_576);
        broker = HiveMqBroker.start(Path.of(System.getProperty("edgeshare.broker.lib")), home.resolve("broker"),
                "127.0.0.1", port, access, FlowControl.DEFAULTS, 60);
        devices.addRevocationListener(broker::disconnect);
    }

    @Override
    void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
        try (var files = Files.walk(home)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Override
    int port() {
        return port;
    }

    @Override
    String enrol(String deviceId) {
        return devices.enrol(deviceId).password();
    }

    @Override
    void revoke(String deviceId) {
        devices.revoke(deviceId);
    }

    @Override
    String platformPassword() {
        return platformPassword;
    }

    static String randomPassword() {
        byte[] b = new byte[24];
        ThreadLocalRandom.current().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
