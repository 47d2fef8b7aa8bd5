package io.edgeshare.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.google.gson.JsonObject;

/**
 * The shipped home-gateway profile's budget (gateway-config/home-gateway/edgeshare.budget.cfg: 16 downloads,
 * 32 listeners) holds against the platform: a signed policy raising a cap past it is rejected by the gateway
 * with {@code over-budget}, one at the ceiling is applied. Both through the shipped platform's staged rollouts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeviceBudgetIT {
    private static final String DEVICE = "gw-budget";
    private static final int WAIT_S = 120;

    private Path tmp;
    private Runtime platform;
    private Runtime gateway;
    private PlatformApi api;

    @BeforeAll
    void startPlatformAndHomeGateway() throws Exception {
        tmp = Files.createTempDirectory("device-budget-it");
        int platformHttp = Runtime.freePort();
        int mqtt = Runtime.freePort();
        platform = Runtime.start(tmp.resolve("platform"), "platform", "--http-port", String.valueOf(platformHttp),
                "--mqtt-port", String.valueOf(mqtt));
        api = new PlatformApi(platformHttp, DistributionIT.operatorToken(tmp.resolve("platform")));
        Ops.await("the platform connected to its broker", WAIT_S, () -> api.connected("/api/policies"), platform);
        gateway = Runtime.start(tmp.resolve("gw"), "gateway", "--profile", "home-gateway", "--http-port",
                String.valueOf(Runtime.freePort()), "--platform", "tcp://127.0.0.1:" + mqtt, "--id", DEVICE,
                "--location", "48.8611,2.3359", "--name", "Budget test", "--enrol-at",
                "http://127.0.0.1:" + platformHttp, "--operator-token-file",
                tmp.resolve("platform/data/operator.token").toString());
        Ops.await(DEVICE + " online", WAIT_S, () -> {
            JsonObject v = api.view("/api/gateways/" + DEVICE);
            return v != null && v.getAsJsonObject("gateway").get("online").getAsBoolean();
        }, platform, gateway);
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (platform != null) {
            platform.close();
        }
        try (var files = Files.walk(tmp)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @Test
    void aPolicyRaisingDownloadsPastTheProfilesBudgetIsRejectedOneAtTheCeilingApplied() throws Exception {
        JsonObject over = decided("{\"sharing\":{\"maxConcurrentDownloads\":64}}");
        assertEquals("rejected", over.get("state").getAsString(), over.toString());
        assertTrue(over.get("detail").getAsString().contains("over-budget: sharing.maxConcurrentDownloads 64 is above "
                + "this device's budget of 16"), over.toString());

        JsonObject at = decided("{\"sharing\":{\"maxConcurrentDownloads\":16},\"audio\":{\"maxListeners\":32}}");
        assertEquals("applied", at.get("state").getAsString(), at.toString());
    }

    /** Rolls the policy out to the gateway and returns its outcome once the gateway decided. */
    private JsonObject decided(String policy) throws Exception {
        HttpResponse<String> created = api.post("/api/policies", "{\"policy\":" + policy
                + ",\"target\":{\"kind\":\"device\",\"value\":\"" + DEVICE + "\"}}");
        assertEquals(202, created.statusCode(), created.body());
        String rollout = "/api/rollouts/" + PlatformApi.json(created.body()).get("id").getAsLong();
        JsonObject[] outcome = new JsonObject[1];
        Ops.await("the gateway's decision on " + policy, WAIT_S, () -> {
            JsonObject r = api.view(rollout);
            if (r == null || r.getAsJsonArray("gateways").isEmpty()) {
                return false;
            }
            outcome[0] = r.getAsJsonArray("gateways").get(0).getAsJsonObject();
            String state = outcome[0].get("state").getAsString();
            return state.equals("applied") || state.equals("rejected") || state.equals("reverted");
        }, platform, gateway);
        return outcome[0];
    }
}
