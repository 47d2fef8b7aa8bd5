package io.edgeshare.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.edgeshare.platform.store.internal.LocalPostgres;
import io.edgeshare.testsupport.MosquittoBroker;

/**
 * Two platform nodes set up as the README's "Running two platform nodes" says, step by step: one Mosquitto with
 * the dynamic security rules of {@code provisioning/mosquitto/edgeshare-dynsec}, one PostgreSQL, two shipped
 * platforms ({@code ./edgeshare platform}) with the embedded broker off, {@code cluster.shared = true}, their own
 * {@code node.id} and the same policy key pair, and two shipped gateways. Both nodes serve the fleet; a staged
 * rollout started on the leader carries on to completion on the other node when the leader is killed with
 * SIGKILL between its canary and its wave.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoPlatformNodesIT {
    private static final List<String> GATEWAYS = List.of("gw-north", "gw-south");
    private static final int STARTUP_S = 180;

    private final Path root = Path.of(System.getProperty("edgeshare.root"));
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final Map<String, Runtime> nodes = new HashMap<>();
    private final Map<String, PlatformApi> apis = new HashMap<>();
    private final List<Runtime> gateways = new ArrayList<>();
    private Path tmp;
    private MosquittoBroker broker;
    private String admin;
    private String platformPassword;

    @BeforeAll
    void startBrokerDatabaseNodesAndGateways() throws Exception {
        Optional<Path> bin = LocalPostgres.binaries();
        Assumptions.assumeTrue(bin.isPresent(), "PostgreSQL binaries (initdb, pg_ctl) not installed");
        tmp = Files.createTempDirectory("two-nodes-it");
        LocalPostgres postgres = LocalPostgres.start(bin.get());
        closing.add(postgres);
        String url = postgres.createDatabase();

        // README step 2: the broker outside the nodes, its queue above what a dead node's session collects
        admin = Ops.secret();
        broker = MosquittoBroker.startWithDynamicSecurity("admin", admin, 1_048_576, "max_queued_messages 100000\n");
        closing.add(broker);
        dynsec("defaults");
        platformPassword = Ops.secret();
        dynsec("platform", platformPassword);

        // README steps 1-3 for node-a; node-b gets node-a's policy key pair before its first start
        start("node-a", url);
        Path keys = nodes.get("node-a").instance.resolve("data/platform-policy");
        Ops.await("node-a's policy key", STARTUP_S, () -> Files.exists(keys.resolve("platform-ed25519.pk8")),
                nodes.get("node-a"));
        Path keysB = Files.createDirectories(tmp.resolve("node-b/data/platform-policy"));
        for (String f : List.of("platform-ed25519.pk8", "platform-ed25519.pub")) {
            Files.copy(keys.resolve(f), keysB.resolve(f));
        }
        start("node-b", url);
        for (String node : nodes.keySet()) {
            Ops.await(node + " connected to the broker", STARTUP_S, () -> api(node).connected("/api/gateways")
                    && api(node).connected("/api/policies"), nodes.get(node));
        }
        String key = api("node-a").view("/api/policy-key").get("publicKey").getAsString();

        double lat = 48.8600;
        for (String id : GATEWAYS) {
            String password = Ops.secret();
            dynsec("device", id, password);
            Path passwordFile = tmp.resolve(id + ".password");
            Files.writeString(passwordFile, password + "\n");
            Runtime gw = Runtime.start(tmp.resolve(id), "gateway", "--profile", "home-gateway", "--http-port",
                    String.valueOf(Runtime.freePort()), "--platform", broker.uri(), "--id", id, "--location",
                    lat + ",2.3400", "--name", id, "--mqtt-password-file", passwordFile.toString(), "--platform-key",
                    key);
            gateways.add(gw);
            closing.add(gw);
            lat += 0.0010;
        }
    }

    @AfterAll
    void stopEverything() throws Exception {
        try {
            for (int i = closing.size() - 1; i >= 0; i--) {
                closing.get(i).close();
            }
        } finally {
            if (tmp != null) {
                try (var files = Files.walk(tmp)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    @Test
    @Order(1)
    void bothNodesListEveryGatewayOnline() throws Exception {
        for (String node : List.of("node-a", "node-b")) {
            Ops.await(node + " listing both gateways online", STARTUP_S, () -> {
                JsonObject page = api(node).view("/api/gateways?status=online");
                return page != null && page.get("online").getAsInt() == GATEWAYS.size();
            }, all());
        }
    }

    @Test
    @Order(2)
    void aRolloutStartedOnTheLeaderCompletesOnTheOtherNodeWhenTheLeaderIsKilled() throws Exception {
        PlatformApi a = api("node-a");
        HttpResponse<String> created = a.post("/api/policies", """
                {"policy":{"cache":{"quotaBytes":123456789}},"target":{"kind":"all"},"canaryPercent":50,
                 "waveIntervalS":15,"comment":"two nodes"}""");
        assertEquals(202, created.statusCode(), created.body());
        long id = PlatformApi.json(created.body()).get("id").getAsLong();
        String rollout = "/api/rollouts/" + id;

        // node-a leads (the lowest node.id): it sends the canary, one of the two gateways applies it
        Ops.await("the canary applied", STARTUP_S, () -> counts(a.view(rollout)).get("applied").getAsInt() == 1,
                all());
        assertEquals("canary", a.view(rollout).get("state").getAsString());

        Runtime killed = nodes.get("node-a");
        Ops.Result kill = Ops.run(List.of("kill", "-9", Long.toString(killed.pid())), 10);
        assertEquals(0, kill.exit(), kill.out());
        killed.process.waitFor();

        // node-b takes the lead from node-a's will and sends the wave from the shared store
        PlatformApi b = api("node-b");
        Runtime survivor = nodes.get("node-b");
        Ops.await("the rollout completed on node-b", STARTUP_S, () -> {
            JsonObject r = b.view(rollout);
            return r != null && r.get("state").getAsString().equals("completed");
        }, survivor);
        JsonObject done = b.view(rollout);
        assertEquals(GATEWAYS.size(), counts(done).get("applied").getAsInt(), done.toString());
        for (JsonElement g : done.getAsJsonArray("gateways")) { // each one's own report of what it runs
            assertEquals("applied", g.getAsJsonObject().get("state").getAsString(), done.toString());
        }
    }

    @Test
    @Order(3)
    void aNewPolicyAuthoredOnTheSurvivorTakesTheNextGeneration() throws Exception {
        PlatformApi b = api("node-b");
        long last = 0;
        for (JsonElement r : b.view("/api/rollouts").getAsJsonArray("rollouts")) {
            last = Math.max(last, r.getAsJsonObject().get("generation").getAsLong());
        }
        HttpResponse<String> created = b.post("/api/policies", """
                {"policy":{"cache":{"quotaBytes":987654321}},"target":{"kind":"all"},"comment":"after failover"}""");
        assertEquals(202, created.statusCode(), created.body());
        JsonObject r = PlatformApi.json(created.body());
        assertEquals(last + 1, r.get("generation").getAsLong(), "generations never repeat across nodes: " + r);
        Ops.await("the new generation applied everywhere", STARTUP_S,
                () -> counts(b.view("/api/rollouts/" + r.get("id").getAsLong())).get("applied").getAsInt()
                        == GATEWAYS.size(), nodes.get("node-b"));
    }

    @Test
    @Order(4)
    void strangersGetNothingFromTheBrokerOrTheSurvivingNode() throws Exception {
        Ops.Result anonymous = Ops.run(List.of("mosquitto_sub", "-V", "5", "-h", "127.0.0.1", "-p",
                String.valueOf(broker.port()), "-t", "edgeshare/v1/#", "-C", "1", "-W", "3"), 20);
        assertNotEquals(0, anonymous.exit(), anonymous.out());
        assertTrue(anonymous.out().contains("Bad User Name or Password") || anonymous.out().contains("Not authorized"),
                anonymous.out());
        assertEquals(401, new PlatformApi(port("node-b"), "not-the-token").get("/api/rollouts", true).statusCode());
        assertEquals(401, api("node-b").get("/api/gateways", false).statusCode());
    }

    // --- helpers ---

    private static JsonObject counts(JsonObject rollout) {
        return rollout == null ? new JsonObject() : rollout.getAsJsonObject("counts");
    }

    private Runtime[] all() {
        List<Runtime> alive = new ArrayList<>();
        nodes.values().stream().filter(r -> r.process.isAlive()).forEach(alive::add);
        alive.addAll(gateways);
        return alive.toArray(Runtime[]::new);
    }

    private PlatformApi api(String node) {
        return apis.get(node);
    }

    private final Map<String, Integer> ports = new HashMap<>();

    private int port(String node) {
        return ports.get(node);
    }

    /** A platform node configured as the README says (steps 1-3), started with ./edgeshare platform. */
    private void start(String node, String url) throws Exception {
        Path instance = tmp.resolve(node);
        Path etc = Files.createDirectories(instance.resolve("etc"));
        Path profile = root.resolve("provisioning/platform/config");
        Ops.edit(profile, etc, "edgeshare.platform.broker.cfg", "enabled = true", "enabled = false");
        Ops.edit(profile, etc, "edgeshare.platform.session.cfg", "broker.uri = tcp://127.0.0.1:${edgeshare.mqtt.port}",
                "broker.uri = " + broker.uri());
        Ops.edit(profile, etc, "edgeshare.platform.session.cfg", "cluster.shared = false", "cluster.shared = true");
        Ops.edit(profile, etc, "edgeshare.platform.session.cfg", "node.id = node-1", "node.id = " + node);
        Files.writeString(etc.resolve("edgeshare.platform.store.cfg"), "url = " + url + "\nusername = "
                + LocalPostgres.USER + "\npassword = " + LocalPostgres.PASSWORD + "\n");
        Files.createDirectories(instance.resolve("data"));
        Files.writeString(instance.resolve("data/mqtt-platform.password"), platformPassword + "\n");
        int http = Runtime.freePort();
        // --mqtt-port only feeds the (disabled) embedded broker; the launcher wants it free
        Runtime r = Runtime.start(instance, "platform", "--http-port", String.valueOf(http), "--mqtt-port",
                String.valueOf(Runtime.freePort()));
        closing.add(r);
        nodes.put(node, r);
        ports.put(node, http);
        apis.put(node, new PlatformApi(http, DistributionIT.operatorToken(instance)));
    }

    private void dynsec(String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("bash", root.resolve("provisioning/mosquitto/edgeshare-dynsec")
                .toString(), "-h", "127.0.0.1", "-p", String.valueOf(broker.port()), "-u", "admin", "-P", admin, "--"));
        args.addAll(List.of(command));
        Ops.Result r = Ops.run(args, 60);
        if (r.exit() != 0) {
            throw new AssertionError("edgeshare-dynsec " + command[0] + " failed: " + r.out());
        }
    }
}
