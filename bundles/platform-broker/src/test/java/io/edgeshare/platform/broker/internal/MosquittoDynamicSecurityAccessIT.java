package io.edgeshare.platform.broker.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.edgeshare.testsupport.MosquittoBroker;

/**
 * The broker access contract against a real Mosquitto 2.0 with the dynamic security plugin, provisioned only
 * through {@code provisioning/mosquitto/edgeshare-dynsec} (the script docs/security.md gives operators).
 */
class MosquittoDynamicSecurityAccessIT extends BrokerAccessContract {
    private final String admin = EmbeddedBrokerAccessIT.randomPassword();
    private final String platformPassword = EmbeddedBrokerAccessIT.randomPassword();
    private MosquittoBroker broker;

    @Override
    void startBroker() throws Exception {
        broker = MosquittoBroker.startWithDynamicSecurity("admin", admin, 1_048_576);
        provision("defaults");
        provision("platform", platformPassword);
    }

    @Override
    void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    int port() {
        return broker.port();
    }

    @Override
    String enrol(String deviceId) throws Exception {
        String password = EmbeddedBrokerAccessIT.randomPassword();
        provision("device", deviceId, password);
        return password;
    }

    @Override
    void revoke(String deviceId) throws Exception {
        provision("revoke", deviceId);
    }

    @Override
    String platformPassword() {
        return platformPassword;
    }

    private void provision(String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(System.getProperty("edgeshare.dynsec.script"), "-h", "127.0.0.1",
                "-p", String.valueOf(broker.port()), "-u", "admin", "-P", admin, "--"));
        args.addAll(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("edgeshare-dynsec " + command[0] + " failed: "
                    + new String(p.getInputStream().readAllBytes()));
        }
    }
}
