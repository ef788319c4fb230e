package io.datapusher.destination;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The IPv4 address that an IPv6 address carries and that a connection to it ends up at: IPv4-mapped
 * and -compatible, IPv4-translated (SIIT), NAT64's well-known prefix (RFC 6052), 6to4 (RFC 3056)
 * and Teredo's client (RFC 4380). The guard checks it as well, so that a block opened by the
 * allow-list never reaches, say, a private address behind a NAT64 gateway.
 */
final class EmbeddedIpv4 {
    private EmbeddedIpv4() {
    }

    static Optional<InetAddress> of(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] b = address.getAddress();
        if (zero(b, 0, 10) && ((b[10] == 0 && b[11] == 0) || (b[10] == (byte) 0xff && b[11] == (byte) 0xff))) {
            return ipv4(b, 12, 0); // ::a.b.c.d, ::ffff:a.b.c.d
        }
        if (zero(b, 0, 8) && b[8] == (byte) 0xff && b[9] == (byte) 0xff && b[10] == 0 && b[11] == 0) {
            return ipv4(b, 12, 0); // ::ffff:0:a.b.c.d
        }
        if (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && zero(b, 4, 12)) {
            return ipv4(b, 12, 0); // 64:ff9b::a.b.c.d
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return ipv4(b, 2, 0); // 2002:aabb:ccdd::/48
        }
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
            return ipv4(b, 12, 0xff); // 2001:0::/32, the client's address with its bits inverted
        }
        return Optional.empty();
    }

    private static boolean zero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static Optional<InetAddress> ipv4(byte[] bytes, int from, int xor) {
        byte[] v4 = Arrays.copyOfRange(bytes, from, from + 4);
        for (int i = 0; i < 4; i++) {
            v4[i] ^= (byte) xor;
        }
        try {
            return Optional.of(Inet4Address.getByAddress(v4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }
}
