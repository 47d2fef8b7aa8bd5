package io.edgeshare.launcher;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Starts one EdgeShare runtime: Felix with a resolved set of bundles, an instance directory holding
 * configuration ({@code etc/}, watched by FileInstall) and state ({@code data/}), seeded from a
 * deployment profile.
 *
 * <pre>
 * java -cp 'lib/*' io.edgeshare.launcher.Launcher --bundles DIR --instance DIR [--profile DIR]
 *      [--enrol "device.id=gw-1;location.latitude=48.1;..."]
 *      [--mqtt-password-file FILE [--mqtt-username DEVICE-ID]]
 * </pre>
 *
 * A gateway given {@code --mqtt-password-file} (the password the platform issued at enrolment, K5) logs in to
 * the broker with it, as its device id unless {@code --mqtt-username} says otherwise. A platform
 * ({@code -Dedgeshare.runtime=platform}) gets its own MQTT password, made once in {@code data/}.
 *
 * Framework properties can be given as {@code -Dkey=value}; Felix reads system properties as a fallback.
 */
public final class Launcher {
    static final int LEVEL_INFRASTRUCTURE = 1;
    static final int LEVEL_LIBRARIES = 2;
    static final int LEVEL_EDGESHARE = 3;
    /** In order of preference: a gateway instance seeded before logback may still hold a log4j2.properties. */
    static final List<String> LOGGING_CONFIGURATIONS = List.of("logback.xml", "log4j2.properties");

    private final Path bundles;
    private final Path instance;
    private final Path profile;
    private final Map<String, String> enrolment;
    private final PrintStream out;
    private String mqttUsername;
    private Path mqttPasswordFile;

    Launcher(Path bundles, Path instance, Path profile, Map<String, String> enrolment, PrintStream out) {
        this.bundles = bundles;
        this.instance = instance;
        this.profile = profile;
        this.enrolment = enrolment;
        this.out = out;
    }

    /** The gateway logs in to its broker with the password in {@code passwordFile}; username null: its device id. */
    Launcher withMqttLogin(String username, Path passwordFile) {
        this.mqttUsername = username;
        this.mqttPasswordFile = passwordFile;
        return this;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        if (opts.containsKey("--help") || !opts.containsKey("--bundles") || !opts.containsKey("--instance")) {
            System.err.println("usage: Launcher --bundles DIR --instance DIR [--profile DIR] [--enrol \"key=value;...\"]"
                    + " [--mqtt-password-file FILE [--mqtt-username ID]]");
            System.exit(opts.containsKey("--help") ? 0 : 2);
        }
        Path profile = opts.containsKey("--profile") ? Path.of(opts.get("--profile")) : null;
        Map<String, String> enrolment = new java.util.LinkedHashMap<>();
        for (String pair : opts.getOrDefault("--enrol", "").split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                enrolment.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        Launcher launcher = new Launcher(Path.of(opts.get("--bundles")), Path.of(opts.get("--instance")), profile,
                enrolment, System.out);
        if (opts.containsKey("--mqtt-password-file")) {
            launcher.withMqttLogin(opts.get("--mqtt-username"), Path.of(opts.get("--mqtt-password-file")));
        }
        try {
            System.exit(launcher.run());
        } catch (IllegalArgumentException e) {
            // an operator's mistake (a profile, an id, a key): say what, not a stack trace
            System.err.println("edgeshare: " + e.getMessage());
            System.exit(2);
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                opts.put("--help", "");
            } else if (a.startsWith("--") && i + 1 < args.length) {
                opts.put(a, args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
        }
        return opts;
    }

    int run() throws Exception {
        if (!Files.isDirectory(bundles)) {
            throw new IllegalArgumentException("bundle directory not found: " + bundles + " (build first: mvn -B package)");
        }
        Path etc = instance.resolve("etc");
        Path data = instance.resolve("data");
        Files.createDirectories(etc);
        Files.createDirectories(data);
        if (profile != null) {
            for (String line : new ProfileSeeder(profile, etc).seed()) {
                out.println("edgeshare: " + line);
            }
        }
        if (!enrolment.isEmpty()) {
            String key = enrolment.remove("platform.public.key");
            if (key != null && !key.isBlank()) {
                Enrolment.checkPlatformKey(key); // before anything is written
            }
            String id = Enrolment.enrolIfNeeded(etc, enrolment);
            if (id != null) {
                out.println("edgeshare: enrolled as " + id + " (etc/" + Enrolment.FILE + ")");
            }
            if (key != null && !key.isBlank() && Enrolment.trustPlatformKey(etc, key)) {
                out.println("edgeshare: trusting the platform's policy key (etc/" + Enrolment.POLICY_FILE + ")");
            }
        }
        if (mqttPasswordFile != null) {
            String username = mqttUsername != null ? mqttUsername : enrolledDeviceId(etc);
            if (UplinkLogin.write(etc, username, UplinkLogin.readPassword(mqttPasswordFile))) {
                out.println("edgeshare: broker login of " + username + " written to etc/" + UplinkLogin.FILE);
            }
        }
        // Only names, sizes and times on a normal boot; manifests are read when the cache must be rebuilt.
        String fingerprint = BundleJar.fingerprint(BundleJar.files(bundles));
        Path fingerprintFile = data.resolve("bundles.fingerprint");
        boolean fresh = !Files.exists(fingerprintFile)
                || !Files.readString(fingerprintFile).equals(fingerprint);

        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, data.resolve("felix-cache").toAbsolutePath().toString());
        if (fresh) {
            config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        }
        config.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(LEVEL_EDGESHARE));
        config.put("edgeshare.instance.dir", instance.toAbsolutePath().toString());
        config.put("felix.fileinstall.dir", etc.toAbsolutePath().toString());
        config.put("felix.fileinstall.filter", ".*\\.(cfg|config)");
        config.put("felix.fileinstall.poll", "500");
        config.put("felix.fileinstall.noInitialDelay", "true");
        // etc/ belongs to the operator: configuration changed at runtime (a policy) is not written back there.
        config.put("felix.fileinstall.enableConfigSave", "false");
        config.put("felix.fileinstall.log.level", "2");
        config.put("org.ops4j.pax.logging.DefaultServiceLog.level", "WARN");
        Path logConfig = loggingConfiguration(etc);
        if (logConfig != null) {
            config.put("org.ops4j.pax.logging.property.file", logConfig.toAbsolutePath().toString());
        }
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("felix.") || key.startsWith("org.osgi.") || key.startsWith("org.apache.felix.")
                    || key.startsWith("org.ops4j.") || key.startsWith("edgeshare.")) {
                config.put(key, System.getProperty(key));
            }
        }

        if ("platform".equals(config.get("edgeshare.runtime"))) {
            config.put(PlatformCredential.PROPERTY, PlatformCredential.loadOrCreate(data));
        }

        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
        Framework framework = factory.newFramework(config);
        framework.init();
        if (fresh) {
            install(framework, BundleJar.list(bundles));
            Files.writeString(fingerprintFile, fingerprint);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(framework), "edgeshare-shutdown"));
        framework.start();
        FrameworkEvent event = framework.waitForStop(0);
        return event.getType() == FrameworkEvent.ERROR ? 1 : 0;
    }

    /**
     * The logging configuration in {@code etc/} for the runtime's pax-logging backend: {@code logback.xml} (the
     * gateway, pax-logging-logback) or {@code log4j2.properties} (the platform, pax-logging-log4j2); null if none.
     * Both backends read the file named by {@code org.ops4j.pax.logging.property.file}.
     */
    static Path loggingConfiguration(Path etc) {
        for (String name : LOGGING_CONFIGURATIONS) {
            Path p = etc.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static String enrolledDeviceId(Path etc) throws java.io.IOException {
        Path identity = etc.resolve(Enrolment.FILE);
        if (Files.exists(identity)) {
            for (String line : Files.readAllLines(identity)) {
                String[] kv = line.split("=", 2);
                if (kv.length == 2 && kv[0].trim().equals("device.id")) {
                    return kv[1].trim();
                }
            }
        }
        throw new IllegalArgumentException("no device id to log in with: enrol first (--id) or give --mqtt-username");
    }

    private void install(Framework framework, List<BundleJar> jars) throws BundleException {
        List<Bundle> toStart = new ArrayList<>();
        for (BundleJar jar : jars) {
            Bundle b = framework.getBundleContext().installBundle(jar.path().toUri().toString());
            b.adapt(BundleStartLevel.class).setStartLevel(jar.startLevel());
            if (!jar.fragment()) {
                toStart.add(b);
            }
        }
        for (Bundle b : toStart) {
            b.start();
        }
    }

    private static void stop(Framework framework) {
        try {
            framework.stop();
            framework.waitForStop(TimeUnit.SECONDS.toMillis(15));
        } catch (BundleException | InterruptedException e) {
            System.err.println("edgeshare: stopping the framework failed: " + e);
        }
    }
}
