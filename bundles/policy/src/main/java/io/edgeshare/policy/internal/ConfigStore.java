package io.edgeshare.policy.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configurations a policy changes: ConfigAdmin in the framework, a map in tests. */
interface ConfigStore {

    /** A configuration's properties without the framework's keys (service.pid ...); empty when absent. */
    Optional<Map<String, Object>> read(String pid) throws IOException;

    /** PIDs of the existing configurations of a factory. */
    List<String> factoryInstances(String factoryPid) throws IOException;

    /** Replaces a configuration's properties, creating a singleton configuration if absent. */
    void write(String pid, Map<String, Object> properties) throws IOException;

    /** Deletes a configuration (revert of one the policy created). */
    void delete(String pid) throws IOException;
}
