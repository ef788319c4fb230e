package io.datapusher.destination;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Decides which addresses a delivery may connect to (SSRF protection). Deliveries check the
 * address they actually connect to, after DNS; destination validation checks literal addresses
 * in URLs up front so that an obviously refused destination is never saved.
 */
@ApplicationScoped
public class OutboundGuard {
    /** Declared before REFUSED: parsing those blocks uses it during class initialisation. */
    private static final Pattern NUMERIC_LAST_LABEL = Pattern.compile(".*(^|\\.)[0-9]+$");

    /** Loopback, private, link-local, CGNAT, multicast, documentation and other reserved space. */
    static final List<Cidr> REFUSED = List.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
            "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "::/96", "::ffff:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64",
            "2001::/23", "2001:db8::/32", "2002::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8")
            .stream().map(Cidr::parse).toList();

    private final List<Cidr> allowed;

    @Inject
    OutboundGuard(DestinationConfig config) {
        this(config.allowedCidrs());
    }

    public OutboundGuard(Optional<List<String>> allowedCidrs) {
        this.allowed = allowedCidrs.orElse(List.of()).stream().filter(s -> !s.isBlank()).map(Cidr::parse).toList();
    }

    /** Whether a delivery may connect to this (resolved) address. */
    public boolean permits(InetAddress address) {
        if (allowed.stream().anyMatch(c -> c.contains(address))) {
            return true;
        }
        return REFUSED.stream().noneMatch(c -> c.contains(address));
    }

    /** Resolves the URL's host and checks every address; the first one is the one to connect to. */
    public InetAddress resolve(String host) throws UnknownHostException, RefusedAddress {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = InetAddress.getAllByName(bare);
        for (InetAddress address : addresses) {
            if (!permits(address)) {
                throw new RefusedAddress();
            }
        }
        return addresses[0];
    }

    /** A resolved address of the destination is one deliveries may not reach. */
    public static final class RefusedAddress extends Exception {
        RefusedAddress() {
            super("address not allowed", null, false, false);
        }
    }

    /**
     * Checks the host of a destination URL without any DNS lookup: a literal address must be
     * permitted; a name is checked later, at connect time.
     *
     * @return an explanation when the host is refused, empty when it may be saved
     */
    public Optional<String> refusalOfHost(String host) {
        if (!looksLikeLiteral(host)) {
            return Optional.empty();
        }
        try {
            InetAddress address = InetAddress.getByName(host);
            return permits(address) ? Optional.empty()
                    : Optional.of("points at " + address.getHostAddress() + ", an address deliveries may not reach");
        } catch (UnknownHostException e) {
            return Optional.of("is not a valid address");
        }
    }

    /** IPv6 in brackets or with colons, or a name whose last label is a number (no TLD is). */
    static boolean looksLikeLiteral(String host) {
        return host.startsWith("[") || host.indexOf(':') >= 0 || NUMERIC_LAST_LABEL.matcher(host).matches();
    }
}
