import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.osgi.framework.Bundle;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * A minimal gateway for the audio benchmark: Felix 7 with SCR, ConfigAdmin, FileInstall (reading
 * INSTANCE/etc), Jetty 12 and the audio bundle, on 127.0.0.1:PORT.
 *
 * java -cp felix.jar GatewayRunner.java PORT INSTANCE_DIR BUNDLE_JAR...
 */
public class GatewayRunner {
    public static void main(String[] args) throws Exception {
        Path instance = Path.of(args[1]).toAbsolutePath();
        Map<String, String> props = new HashMap<>();
        props.put("org.osgi.framework.storage", instance.resolve("felix-cache").toString());
        props.put("org.osgi.framework.storage.clean", "onFirstInit");
        props.put("org.osgi.service.http.port", args[0]);
        props.put("org.apache.felix.http.host", "127.0.0.1");
        props.put("felix.fileinstall.dir", instance.resolve("etc").toString());
        props.put("felix.fileinstall.poll", "500");
        props.put("edgeshare.instance.dir", instance.toString());
        props.put("org.ops4j.pax.logging.DefaultServiceLog.level", "INFO");
        Framework fw = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(props);
        fw.start();
        List<Bundle> installed = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            installed.add(fw.getBundleContext().installBundle(new File(args[i]).toURI().toString()));
        }
        for (Bundle b : installed) {
            if (b.getHeaders().get("Fragment-Host") == null) {
                b.start();
            }
        }
        System.out.println("GATEWAY READY pid=" + ProcessHandle.current().pid());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                fw.stop();
                fw.waitForStop(5000);
            } catch (Exception ignored) {
            }
        }));
        fw.waitForStop(0);
    }
}
