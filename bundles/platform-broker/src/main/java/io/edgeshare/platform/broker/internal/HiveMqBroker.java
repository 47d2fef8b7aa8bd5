package io.edgeshare.platform.broker.internal;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * HiveMQ Community Edition, embedded, in a class loader of its own whose parent is the JDK's platform loader:
 * HiveMQ is not an OSGi bundle and brings netty, RocksDB, Guice and logback, none of which should leak into
 * (or clash with) the OSGi framework. Only its small embedded API is called, reflectively.
 */
final class HiveMqBroker implements AutoCloseable {
    static final String EXTENSION = "io.edgeshare.platform.broker.extension.AccessExtension";

    private final URLClassLoader loader;
    private final Object hivemq;
    private final Consumer<String> disconnectDevice;
    private final LongSupplier dropped;

    private HiveMqBroker(URLClassLoader loader, Object hivemq, Consumer<String> disconnectDevice,
            LongSupplier dropped) {
        this.loader = loader;
        this.hivemq = hivemq;
        this.disconnectDevice = disconnectDevice;
        this.dropped = dropped;
    }

    /** Writes the broker's configuration into {@code home/conf} and starts it; blocks until it listens. */
    static HiveMqBroker start(Path libDir, Path home, String bindAddress, int port, BrokerAccess access,
            FlowControl flow, int timeoutSeconds)
            throws IOException, InterruptedException, TimeoutException {
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(libDir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
                jars.add(toUrl(p));
            }
        }
        if (jars.isEmpty()) {
            throw new IOException("no HiveMQ jars in " + libDir);
        }
        Path conf = Files.createDirectories(home.resolve("conf"));
        Path data = Files.createDirectories(home.resolve("data"));
        Path extensions = Files.createDirectories(home.resolve("extensions"));
        Files.writeString(conf.resolve("config.xml"), configXml(bindAddress, port, access.maxPacketBytes(), flow), StandardCharsets.UTF_8);
        Path log = Files.createDirectories(home.resolve("log"));
        Files.writeString(conf.resolve("logback.xml"), LOGBACK.replace("LOG_DIR",
                escapeXml(log.toAbsolutePath().toString())), StandardCharsets.UTF_8);

        URLClassLoader loader = new URLClassLoader("hivemq", jars.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader());
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            inflightWindow(loader, flow.clientInflightMax());
            Class<?> api = loader.loadClass("com.hivemq.embedded.EmbeddedHiveMQ");
            Class<?> builderType = loader.loadClass("com.hivemq.embedded.EmbeddedHiveMQBuilder");
            Object builder = api.getMethod("builder").invoke(null);
            builder = builderType.getMethod("withConfigurationFolder", Path.class).invoke(builder, conf);
            builder = builderType.getMethod("withDataFolder", Path.class).invoke(builder, data);
            builder = builderType.getMethod("withExtensionsFolder", Path.class).invoke(builder, extensions);
            Object main = null;
            if (access.credentials() != null) {
                main = loader.loadClass(EXTENSION).getConstructor(String.class, BiPredicate.class, Consumer.class)
                        .newInstance(access.topicPrefix(), access.credentials(), access.events());
                builder = builderType.getMethod("withEmbeddedExtension",
                        loader.loadClass("com.hivemq.embedded.EmbeddedExtension")).invoke(builder, embeddedExtension(loader, main));
            }
            Object hivemq = builderType.getMethod("build").invoke(builder);
            CompletableFuture<?> started = (CompletableFuture<?>) api.getMethod("start").invoke(hivemq);
            try {
                started.get(timeoutSeconds, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                closeQuietly(api, hivemq, loader);
                throw new IOException("HiveMQ failed to start: " + e.getCause(), e.getCause());
            } catch (TimeoutException | InterruptedException e) {
                closeQuietly(api, hivemq, loader);
                throw e;
            }
            @SuppressWarnings("unchecked") // AccessExtension implements it, by contract with this class
            Consumer<String> disconnect = main == null ? id -> { } : (Consumer<String>) main;
            LongSupplier dropped = main == null ? () -> -1 : (LongSupplier) main;
            return new HiveMqBroker(loader, hivemq, disconnect, dropped);
        } catch (ReflectiveOperationException e) {
            loader.close();
            throw new IOException("not a usable HiveMQ CE embedded distribution in " + libDir + ": " + e, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * HiveMQ CE keeps its per-client in-flight limit in a public static field, not in config.xml. This broker has a
     * class loader of its own, so setting it there touches no other HiveMQ in the JVM.
     */
    private static void inflightWindow(ClassLoader loader, int max) throws ReflectiveOperationException {
        Class<?> internal = loader.loadClass("com.hivemq.configuration.service.InternalConfigurations");
        internal.getField("MAX_INFLIGHT_WINDOW_SIZE_MESSAGES").setInt(null, max);
    }

    private static Object embeddedExtension(ClassLoader loader, Object main) throws ReflectiveOperationException {
        Class<?> type = loader.loadClass("com.hivemq.embedded.EmbeddedExtensionBuilder");
        Object b = type.getMethod("builder").invoke(null);
        b = type.getMethod("withId", String.class).invoke(b, "edgeshare-access");
        b = type.getMethod("withName", String.class).invoke(b, "EdgeShare device identity and topic access");
        b = type.getMethod("withVersion", String.class).invoke(b, "1");
        b = type.getMethod("withPriority", int.class).invoke(b, 1000);
        b = type.getMethod("withStartPriority", int.class).invoke(b, 1000);
        b = type.getMethod("withExtensionMain", loader.loadClass("com.hivemq.extension.sdk.api.ExtensionMain"))
                .invoke(b, main);
        return type.getMethod("build").invoke(b);
    }

    /** Closes the device's connection, if it has one. */
    void disconnect(String deviceId) {
        disconnectDevice.accept(deviceId);
    }

    /**
     * How many messages HiveMQ dropped since it started (a client's queue was full: see
     * {@link FlowControl#queuedMessagesMax()}); -1 when unknown (no access extension).
     */
    long droppedMessages() {
        return dropped.getAsLong();
    }

    @Override
    public void close() throws IOException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Class<?> api = loader.loadClass("com.hivemq.embedded.EmbeddedHiveMQ");
            CompletableFuture<?> stopped = (CompletableFuture<?>) api.getMethod("stop").invoke(hivemq);
            stopped.get(30, TimeUnit.SECONDS);
            api.getMethod("close").invoke(hivemq);
        } catch (InvocationTargetException e) {
            throw new IOException("stopping HiveMQ failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | ExecutionException | TimeoutException e) {
            throw new IOException("stopping HiveMQ failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            thread.setContextClassLoader(previous);
            loader.close();
        }
    }

    private static void closeQuietly(Class<?> api, Object hivemq, URLClassLoader loader) {
        try {
            Method close = api.getMethod("close");
            close.invoke(hivemq);
            loader.close();
        } catch (ReflectiveOperationException | IOException e) {
            // already failing; the original error is the one to report
        }
    }

    private static URL toUrl(Path p) throws MalformedURLException {
        return p.toUri().toURL();
    }

    static String configXml(String bindAddress, int port, int maxPacketBytes, FlowControl flow) {
        return """
                <?xml version="1.0"?>
                <!-- Written by EdgeShare at every start from PID edgeshare.platform.broker; edit that instead. -->
                <hivemq>
                  <listeners>
                    <tcp-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                    </tcp-listener>
                  </listeners>
                  <mqtt>
                    <packets>
                      <max-packet-size>%d</max-packet-size>
                    </packets>
                    <receive-maximum>
                      <server-receive-maximum>%d</server-receive-maximum>
                    </receive-maximum>
                    <queued-messages>
                      <max-queue-size>%d</max-queue-size>
                      <strategy>discard</strategy>
                    </queued-messages>
                  </mqtt>
                  <persistence>
                    <mode>%s</mode>
                  </persistence>
                  <anonymous-usage-statistics>
                    <enabled>false</enabled>
                  </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, escapeXml(bindAddress), maxPacketBytes, flow.serverReceiveMaximum(),
                flow.queuedMessagesMax(), flow.filePersistence() ? "file" : "in-memory");
    }

    private static String escapeXml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static final String LOGBACK = """
            <?xml version="1.0" encoding="UTF-8"?>
            <configuration>
              <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [hivemq] %logger{0} - %msg%n</pattern></encoder>
              </appender>
              <!-- every message HiveMQ drops (which client, topic, QoS, reason), in at most 3 x 5 MB -->
              <appender name="DROPPED" class="ch.qos.logback.core.rolling.RollingFileAppender">
                <file>LOG_DIR/dropped.log</file>
                <rollingPolicy class="ch.qos.logback.core.rolling.FixedWindowRollingPolicy">
                  <fileNamePattern>LOG_DIR/dropped.%i.log</fileNamePattern><minIndex>1</minIndex><maxIndex>2</maxIndex>
                </rollingPolicy>
                <triggeringPolicy class="ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy">
                  <maxFileSize>5MB</maxFileSize>
                </triggeringPolicy>
                <encoder><pattern>%d{yyyy-MM-dd HH:mm:ss.SSS} %msg%n</pattern></encoder>
              </appender>
              <root level="WARN"><appender-ref ref="CONSOLE"/></root>
              <logger name="com.hivemq.HiveMQServer" level="INFO"/>
              <logger name="event.message-dropped" level="DEBUG" additivity="false">
                <appender-ref ref="DROPPED"/>
              </logger>
            </configuration>
            """;
}
