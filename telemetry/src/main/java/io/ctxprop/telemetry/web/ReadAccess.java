package io.ctxprop.telemetry.web;

import java.util.Optional;
import org.springframework.core.env.Environment;

/**
 * Who may read the pages that show prompts and answers (the trace inspector's, the gateway's status
 * page). On loopback, the local user; beyond loopback, only callers with {@code INSPECTOR_READ_KEY},
 * and nobody when it is unset. {@code INSPECTOR_ENABLED=false} switches the pages off for everyone.
 *
 * @param enabled        {@code inspector.enabled} ({@code INSPECTOR_ENABLED}, default true)
 * @param beyondLoopback whether the service listens beyond loopback
 * @param readKey        {@code inspector.read-key} ({@code INSPECTOR_READ_KEY}), empty when unset
 */
public record ReadAccess(boolean enabled, boolean beyondLoopback, Optional<BearerKey> readKey) {

    public static ReadAccess of(Environment environment) {
        return new ReadAccess(environment.getProperty("inspector.enabled", Boolean.class, true),
                ListenAddress.of(environment).beyondLoopback(),
                BearerKey.of(environment.getProperty("inspector.read-key", "")));
    }
}
