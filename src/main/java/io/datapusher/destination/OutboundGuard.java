package io.datapusher.destination;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
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

    /**
     * Every block of the IANA IPv4 and IPv6 Special-Purpose Address Registries that is not globally
     * reachable, plus multicast, broadcast and the address forms that embed an IPv4 address. IPv6
     * outside global unicast (2000::/3) is refused as a whole: IANA has assigned nothing else there.
     */
    static final List<Cidr> REFUSED = List.of(
            // IPv4
            "0.0.0.0/8", // "this network"
            "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", // private
            "100.64.0.0/10", // shared address space (CGNAT)
            "127.0.0.0/8", // loopback
            "169.254.0.0/16", // link-local (cloud metadata at 169.254.169.254)
            "192.0.0.0/24", // IETF protocol assignments
            "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", // documentation
            "192.88.99.0/24", // 6to4 relay anycast (deprecated)
            "198.18.0.0/15", // benchmarking
            "224.0.0.0/4", // multicast
            "240.0.0.0/4", // reserved
            "255.255.255.255/32", // limited broadcast
            // IPv6
            "::/128", "::1/128", // unspecified, loopback
            "::/96", // IPv4-compatible (deprecated)
            "::ffff:0:0/96", // IPv4-mapped
            "::ffff:0:0:0/96", // IPv4-translated (SIIT)
            "64:ff9b::/96", "64:ff9b:1::/48", // NAT64: well-known and local-use prefixes
            "100::/64", // discard-only
            "2001::/23", // IETF protocol assignments, Teredo (2001::/32) included
            "2001:db8::/32", "3fff::/20", // documentation
            "2002::/16", // 6to4
            "fc00::/7", // unique-local
            "fe80::/10", // link-local
            "fec0::/10", // site-local (deprecated)
            "ff00::/8", // multicast
            "::/3", "4000::/2", "8000::/1") // not global unicast (2000::/3): reserved or unassigned
            .stream().map(Cidr::parse).toList();

    private final List<Cidr> allowed;
    private final HostResolver resolver;

    @Inject
    OutboundGuard(DestinationConfig config, HostResolver resolver) {
        this(config.allowedCidrs(), resolver);
    }

    public OutboundGuard(Optional<List<String>> allowedCidrs) {
        this(allowedCidrs, new HostResolver());
    }

    public OutboundGuard(Optional<List<String>> allowedCidrs, HostResolver resolver) {
        this.allowed = allowedCidrs.orElse(List.of()).stream().filter(s -> !s.isBlank()).map(Cidr::parse).toList();
        this.resolver = resolver;
    }

    /**
     * Whether a delivery may connect to this (resolved) address: it is in an allowed block or in
     * no refused one, and so is the IPv4 address it embeds, if any (an allowed NAT64 or 6to4 block
     * does not open the private addresses behind it).
     */
    public boolean permits(InetAddress address) {
        boolean permitted = allowed.stream().anyMatch(c -> c.contains(address))
                || REFUSED.stream().noneMatch(c -> c.contains(address));
        return permitted && EmbeddedIpv4.of(address).map(this::permits).orElse(true);
    }

    /**
     * Resolves the URL's host and keeps the addresses a delivery may connect to, in the resolver's
     * order: the caller connects to these very addresses, so DNS cannot change them after the check.
     *
     * @throws RefusedAddress when the host has no permitted address
     */
    public List<InetAddress> resolve(String host) throws UnknownHostException, RefusedAddress {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        List<InetAddress> permitted = Arrays.stream(resolver.addressesOf(bare)).filter(this::permits).toList();
        if (permitted.isEmpty()) {
            throw new RefusedAddress();
        }
        return permitted;
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
