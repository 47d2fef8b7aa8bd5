package io.edgeshare.platform.broker.internal;

import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * What the access extension inside HiveMQ needs from the OSGi side, in JDK types only (HiveMQ's class loader
 * shares nothing else with this bundle).
 *
 * @param topicPrefix    the prefix the topic rules apply to
 * @param credentials    (username, password) → whether the platform admits this pair; {@code null} only in
 *                       bench/broker, which measures what access control costs against HiveMQ's open defaults
 * @param events         names of admissions and refusals, for counting
 * @param maxPacketBytes the largest packet the broker accepts
 */
record BrokerAccess(String topicPrefix, BiPredicate<String, byte[]> credentials, Consumer<String> events,
        int maxPacketBytes) {
}
