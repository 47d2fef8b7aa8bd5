package io.edgeshare.ap.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** Typed configurations for tests: the annotation's defaults with some keys replaced (as ConfigAdmin does). */
final class TestConfigs {
    private TestConfigs() {
    }

    static ApConfig ap(Map<String, Object> keys) {
        return of(ApConfig.class, keys);
    }

    static IdentityConfig identity(String deviceId) {
        return of(IdentityConfig.class, Map.of("device.id", deviceId));
    }

    @SuppressWarnings("unchecked")
    static <T> T of(Class<T> type, Map<String, Object> keys) {
        Map<String, Object> copy = new HashMap<>(keys);
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (proxy, m, args) -> {
            String key = m.getName().replace('_', '.');
            if (copy.containsKey(key)) {
                return copy.get(key);
            }
            if (m.getDefaultValue() != null) {
                return m.getDefaultValue();
            }
            return switch (m.getName()) {
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> type.getSimpleName() + copy.keySet();
                default -> throw new UnsupportedOperationException(m.getName());
            };
        });
    }

    static ApSettings settings(Map<String, Object> keys) {
        return ApSettings.of(ap(keys), 0);
    }
}
