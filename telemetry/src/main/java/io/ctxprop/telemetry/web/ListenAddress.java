package io.ctxprop.telemetry.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.core.env.Environment;

/**
 * Where a service listens: {@code server.address} ({@code SERVER_ADDRESS}), 127.0.0.1 in each
 * service's configuration. Beyond loopback means any other address, or none (every interface).
 */
public record ListenAddress(String address) {

    public static ListenAddress of(Environment environment) {
        return new ListenAddress(environment.getProperty("server.address", ""));
    }

    /** True unless the address is a loopback one: all interfaces, a LAN address, or a name that is not loopback. */
    public boolean beyondLoopback() {
        if (address.isBlank()) {
            return true;
        }
        try {
            return !InetAddress.getByName(address.strip()).isLoopbackAddress();
        } catch (UnknownHostException unknown) {
            return true;
        }
    }

    /** The host a service calls itself on: its own address, or 127.0.0.1 when it listens on every interface. */
    public String selfHost() {
        try {
            InetAddress bound = address.isBlank() ? null : InetAddress.getByName(address.strip());
            if (bound == null || bound.isAnyLocalAddress()) {
                return "127.0.0.1";
            }
            return bound instanceof java.net.Inet6Address ? "[" + bound.getHostAddress() + "]" : bound.getHostAddress();
        } catch (UnknownHostException unknown) {
            return "127.0.0.1";
        }
    }

    /** "127.0.0.1 (loopback only)" or "0.0.0.0 (beyond loopback)", for the start-up line. */
    public String describe() {
        String shown = address.isBlank() ? "every interface" : address.strip();
        return shown + (beyondLoopback() ? " (beyond loopback: reachable from other hosts)" : " (loopback only)");
    }
}
