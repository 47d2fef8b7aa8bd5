package io.edgeshare.karaf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * docs/karaf.md, step by step, in two real Karaf 4.4.10 instances: the platform feature with its shipped
 * configuration (only the ports moved), a gateway enrolled with {@code edgeshare:enrol} in the Karaf console, a policy
 * pushed and applied, and an imported item still there after {@code feature:uninstall}/{@code feature:install}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KarafDeploymentIT {
    private static final String DEVICE = "gw-karaf";
    private static final Duration STARTUP = Duration.ofMinutes(4);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String version = System.getProperty("edgeshare.version");
    private Karaf platform;
    private Karaf gateway;
    private int platformHttp;
    private int mqtt;
    private int gatewayHttp;
    private String token;
    private String itemId;
    private final byte[] item = "an item shared from a Karaf gateway\n".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    void startBothKarafs() throws Exception {
        Path repository = Path.of(System.getProperty("edgeshare.karaf.repository"));
        Path zip = Path.of(System.getProperty("edgeshare.karaf.zip"));
        Path runs = Path.of(System.getProperty("edgeshare.karaf.runs"));
        platform = Karaf.unpack(zip, runs.resolve("platform"));
        gateway = Karaf.unpack(zip, runs.resolve("gateway"));
        platformHttp = Karaf.freePort();
        mqtt = Karaf.freePort();
        gatewayHttp = Karaf.freePort();
        platform.prepare(repository);
        gateway.prepare(repository);
        platform.start();
        gateway.start();
    }

    @AfterAll
    void stopBothKarafs() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void thePlatformFeatureRunsOnItsShippedConfiguration() throws Exception {
        platform.run("feature:repo-add mvn:io.edgeshare/edgeshare-features/" + version + "/xml/features");
        platform.run("feature:install edgeshare-platform");
        // the operator's only choices here: the two ports (docs/karaf.md, "Ports")
        platform.run("config:property-set -p org.apache.felix.http org.osgi.service.http.port " + platformHttp);
        platform.run("config:property-set -p edgeshare.platform.broker port " + mqtt);

        Path tokenFile = platform.home().resolve("data/edgeshare/data/operator.token");
        Karaf.await("the operator token in ${karaf.data}/edgeshare", STARTUP, () -> Files.exists(tokenFile));
        token = Files.readString(tokenFile).trim();
        Karaf.await("policy authoring connected to the embedded broker", STARTUP,
                () -> {
                    JsonObject policies = json(get(platformHttp, "/api/policies", token));
                    return policies.has("connected") && policies.get("connected").getAsBoolean();
                });
        assertTrue(Files.exists(platform.home().resolve("data/edgeshare/data/mqtt-platform.password")),
                "the broker bundle made the platform's password in the instance");
        assertTrue(Files.isDirectory(platform.home().resolve("data/edgeshare/data/hivemq-lib")),
                "the HiveMQ jars were unpacked from the feature's configfile");
    }

    @Test
    @Order(2)
    void aWrongOperatorTokenEnrolsNothing() throws Exception {
        gateway.run("feature:repo-add mvn:io.edgeshare/edgeshare-features/" + version + "/xml/features");
        gateway.run("feature:install edgeshare-gateway");
        gateway.run("config:property-set -p org.apache.felix.http org.osgi.service.http.port " + gatewayHttp);
        Karaf.await("the uplink saying what it waits for", STARTUP,
                () -> log(gateway).contains("waiting for PID edgeshare.identity key device.id"));
        Path stranger = Files.writeString(gateway.home().resolve("stranger.token"), "not-the-operator\n");
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> gateway.run(enrol(stranger)));
        assertTrue(refused.getMessage().contains("HTTP 401"), refused.getMessage());
        assertFalse(gateway.run("config:list '(service.pid=edgeshare.identity)'").contains(DEVICE));
    }

    @Test
    @Order(3)
    void theGatewayIsEnrolledFromTheConsole() throws Exception {
        String answer = gateway.run(enrol(platform.home().resolve("data/edgeshare/data/operator.token")));
        assertTrue(answer.contains("enrolled " + DEVICE), answer);

        Karaf.await(DEVICE + " online at the platform", STARTUP, () -> {
            JsonObject fleet = json(get(platformHttp, "/api/gateways/" + DEVICE, token));
            return fleet.has("gateway") && fleet.getAsJsonObject("gateway").get("online").getAsBoolean();
        });
    }

    private String enrol(Path tokenFile) {
        return "edgeshare:enrol --platform http://127.0.0.1:" + platformHttp + " --operator-token-file " + tokenFile
                + " --id " + DEVICE + " --broker tcp://127.0.0.1:" + mqtt;
    }

    @Test
    @Order(4)
    void aPushedPolicyIsAppliedWithoutRewritingTheOperatorsFile() throws Exception {
        HttpResponse<String> pushed = post(platformHttp, "/api/policies",
                "{\"policy\":{\"cache\":{\"quotaBytes\":123456789}},\"targets\":[\"" + DEVICE + "\"]}");
        assertEquals(202, pushed.statusCode(), pushed.body()); // a staged rollout (docs/platform-api.md)
        int generation = json(pushed).get("generation").getAsInt();
        Karaf.await("the policy applied on " + DEVICE, STARTUP, () -> {
            JsonObject g = json(get(platformHttp, "/api/policies/" + generation, token)).getAsJsonObject("gateways");
            return g != null && g.has(DEVICE) && g.getAsJsonObject(DEVICE).get("outcome").getAsString().equals("applied");
        });
        // config:list reads ConfigAdmin; config:property-get -p would load etc/ and save it back (docs/karaf.md)
        String quota = gateway.run("config:list '(service.pid=edgeshare.cache)'");
        assertTrue(quota.contains("123456789"), quota);
        String file = Files.readString(gateway.home().resolve("etc/edgeshare.cache.cfg"));
        assertFalse(file.contains("123456789"), "the policy's value stays out of the operator's etc file: " + file);
    }

    @Test
    @Order(5)
    void anImportedItemSurvivesReinstallingTheFeature() throws Exception {
        HttpResponse<String> imported = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gatewayHttp + "/api/cache/import?title=karaf.txt"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(item)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, imported.statusCode(), imported.body());
        itemId = json(imported).get("id").getAsString();

        gateway.run("feature:uninstall edgeshare-gateway");
        gateway.run("feature:install edgeshare-gateway");

        Karaf.await("the item served again after reinstalling", STARTUP, () -> {
            HttpResponse<byte[]> r = getBytes(gatewayHttp, "/content/" + itemId);
            return r != null && r.statusCode() == 200;
        });
        assertArrayEquals(item, getBytes(gatewayHttp, "/content/" + itemId).body());
        assertTrue(Files.isDirectory(gateway.home().resolve("data/edgeshare/data/cache")),
                "state lives in ${karaf.data}/edgeshare, not in a bundle's cache");
    }

    @Test
    @Order(6)
    void noBundleWaitedSilentlyAndNoBrokerWasGuessed() throws Exception {
        String log = log(platform);
        assertFalse(log.contains("tcp://127.0.0.1:1883"), "fleet or policy tried a broker nobody named");
        assertFalse(log(gateway).contains("NullPointerException"), "Felix HTTP started once, on its port");
    }

    private static String log(Karaf karaf) {
        try {
            return karaf.log();
        } catch (IOException e) {
            return "";
        }
    }

    private HttpResponse<String> get(int port, String path, String bearer) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + bearer).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private HttpResponse<byte[]> getBytes(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private HttpResponse<String> post(int port, String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The answer's JSON object; an empty one when there is no answer (yet) or it is not 2xx. */
    private static JsonObject json(HttpResponse<String> r) {
        if (r == null || r.statusCode() / 100 != 2) {
            return new JsonObject();
        }
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }
}
