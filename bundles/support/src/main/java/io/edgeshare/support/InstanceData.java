package io.edgeshare.support;

import java.io.File;
import java.nio.file.Path;

import org.osgi.framework.BundleContext;

/**
 * Where this bundle keeps its state (the rule every EdgeShare bundle follows, docs/karaf.md): under
 * {@code ${edgeshare.instance.dir}/data} (the launcher), else {@code ${karaf.data}/edgeshare/data} (Karaf), so
 * that state survives a reinstalled bundle; only a bare framework with neither property uses the bundle's data
 * area.
 */
public final class InstanceData {
    private InstanceData() {
    }

    /** {@code name} (empty: the data folder itself) inside the instance's data folder. */
    public static Path resolve(BundleContext context, String name) {
        Path instance = instanceDir(context);
        if (instance != null) {
            return name.isEmpty() ? instance.resolve("data") : instance.resolve("data").resolve(name);
        }
        File bundleData = context.getDataFile(name);
        return bundleData != null ? bundleData.toPath() : Path.of("data").resolve(name);
    }

    /** The instance directory, or null in a bare framework. */
    public static Path instanceDir(BundleContext context) {
        String instance = context.getProperty("edgeshare.instance.dir");
        if (instance != null && !instance.isBlank()) {
            return Path.of(instance.strip());
        }
        String karafData = context.getProperty("karaf.data");
        if (karafData != null && !karafData.isBlank()) {
            return Path.of(karafData.strip(), "edgeshare");
        }
        return null;
    }
}
