package io.ctxprop.telemetry.testing;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

/** Addresses of this machine, for tests that must call a service from somewhere other than loopback. */
public final class LocalAddresses {

    private LocalAddresses() {
    }

    /**
     * An IPv4 address of this machine that is not loopback (as {@code hostname -I} lists), so a request
     * sent to it does not come from loopback; 127.0.0.1 on a machine that has none.
     */
    public static String nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(nic -> {
            try {
                return nic.isUp() && !nic.isLoopback();
            } catch (SocketException gone) {
                return false;
            }
        }).flatMap(NetworkInterface::inetAddresses).filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .map(InetAddress::getHostAddress).findFirst().orElse("127.0.0.1");
    }
}
