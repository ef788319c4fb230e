package io.datapusher.destination;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The guard as deliveries use it: after resolution, on every address. No traffic is sent. */
class OutboundGuardTest {
    private static final OutboundGuard NOTHING_ALLOWED = new OutboundGuard(Optional.empty());

    /**
     * Every refused block, with its first and last address. The IANA IPv4 and IPv6 Special-Purpose
     * Address Registries, multicast, and the IPv6 space outside global unicast.
     */
    private static final String BLOCKS = """
            0.0.0.0/8,          0.0.0.0,          0.255.255.255
            10.0.0.0/8,         10.0.0.0,         10.255.255.255
            172.16.0.0/12,      172.16.0.0,       172.31.255.255
            192.168.0.0/16,     192.168.0.0,      192.168.255.255
            100.64.0.0/10,      100.64.0.0,       100.127.255.255
            127.0.0.0/8,        127.0.0.0,        127.255.255.255
            169.254.0.0/16,     169.254.0.0,      169.254.255.255
            192.0.0.0/24,       192.0.0.0,        192.0.0.255
            192.0.2.0/24,       192.0.2.0,        192.0.2.255
            198.51.100.0/24,    198.51.100.0,     198.51.100.255
            203.0.113.0/24,     203.0.113.0,      203.0.113.255
            192.88.99.0/24,     192.88.99.0,      192.88.99.255
            198.18.0.0/15,      198.18.0.0,       198.19.255.255
            224.0.0.0/4,        224.0.0.0,        239.255.255.255
            240.0.0.0/4,        240.0.0.0,        255.255.255.254
            255.255.255.255/32, 255.255.255.255,  255.255.255.255
            ::/128,             ::,               ::
            ::1/128,            ::1,              ::1
            ::/96,              ::,               ::ffff:ffff
            ::ffff:0:0/96,      ::ffff:0.0.0.0,   ::ffff:255.255.255.255
            ::ffff:0:0:0/96,    ::ffff:0:0:0,     ::ffff:0:ffff:ffff
            64:ff9b::/96,       64:ff9b::,        64:ff9b::ffff:ffff
            64:ff9b:1::/48,     64:ff9b:1::,      64:ff9b:1:ffff:ffff:ffff:ffff:ffff
            100::/64,           100::,            100::ffff:ffff:ffff:ffff
            2001::/23,          2001::,           2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff
            2001:db8::/32,      2001:db8::,       2001:db8:ffff:ffff:ffff:ffff:ffff:ffff
            3fff::/20,          3fff::,           3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff
            2002::/16,          2002::,           2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff
            fc00::/7,           fc00::,           fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
            fe80::/10,          fe80::,           febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff
            fec0::/10,          fec0::,           feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
            ff00::/8,           ff00::,           ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
            ::/3,               ::,               1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
            4000::/2,           4000::,           7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
            8000::/1,           8000::,           ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
            """;

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = BLOCKS)
    void everySpecialPurposeBlock_isRefused_fromItsFirstToItsLastAddress(String block, String first, String last)
            throws Exception {
        assertTrue(OutboundGuard.REFUSED.stream().anyMatch(c -> sameBlock(c, Cidr.parse(block))), block + " is listed");
        assertFalse(NOTHING_ALLOWED.permits(address(first)), first);
        assertFalse(NOTHING_ALLOWED.permits(address(last)), last);
    }

    @Test
    void theRefusedList_isExactlyTheTable() {
        List<Cidr> table = BLOCKS.lines().map(line -> Cidr.parse(line.split(",")[0])).toList();
        assertEquals(table.size(), OutboundGuard.REFUSED.size());
        for (Cidr refused : OutboundGuard.REFUSED) {
            assertTrue(table.stream().anyMatch(c -> sameBlock(c, refused)), Arrays.toString(refused.network()));
        }
    }

    /** Just outside the blocks, and ordinary public addresses. */
    @ParameterizedTest
    @ValueSource(strings = { "1.0.0.0", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255",
            "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0", "192.0.1.0", "192.0.3.0",
            "192.88.98.255", "192.88.100.0", "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0",
            "198.51.99.255", "198.51.101.0", "203.0.112.255", "203.0.114.0", "223.255.255.255", "93.184.216.34",
            "1.1.1.1", "2000::", "2001:200::", "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::", "2003::",
            "3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "3fff:1000::", "2606:4700:4700::1111", "2a00:1450:4001:82a::200e" })
    void addressesJustOutsideTheBlocks_arePermitted(String address) throws Exception {
        assertTrue(NOTHING_ALLOWED.permits(address(address)), address);
    }

    @Test
    void anIpv4MappedAddressHeldAsIpv6_isRefused() throws Exception {
        // InetAddress turns ::ffff:a.b.c.d into IPv4 when parsing; Inet6Address.getByAddress keeps it
        // IPv6, and a connection to it reaches the IPv4 address all the same.
        for (String v4 : List.of("127.0.0.1", "10.0.0.1", "8.8.8.8")) {
            InetAddress mapped = address("::ffff:" + v4);
            assertEquals(16, mapped.getAddress().length);
            assertFalse(NOTHING_ALLOWED.permits(mapped), v4);
        }
    }

    @Test
    void embeddedIpv4_isCheckedToo_whenItsIpv6BlockIsAllowed() throws Exception {
        OutboundGuard translating = new OutboundGuard(Optional.of(List.of("64:ff9b::/96", "::ffff:0:0:0/96", "2002::/16",
                "2001::/32")));
        Map<String, Boolean> cases = Map.of(
                "64:ff9b::8.8.8.8", true, "64:ff9b::10.0.0.1", false, "64:ff9b::127.0.0.1", false,
                "::ffff:0:8.8.8.8", true, "::ffff:0:169.254.169.254", false,
                "2002:808:808::1", true, "2002:a00:1::1", false, "2002:c0a8:101::1", false,
                // Teredo: the client's IPv4 address is the last 32 bits inverted (f7f7:f7f7 is 8.8.8.8)
                "2001:0:4136:e378:8000:63bf:f7f7:f7f7", true, "2001:0:4136:e378:8000:63bf:f5ff:fffe", false);
        for (Map.Entry<String, Boolean> c : cases.entrySet()) {
            assertEquals(c.getValue(), translating.permits(address(c.getKey())), c.getKey());
        }
        assertFalse(translating.permits(address("64:ff9b::7f00:1")), "127.0.0.1 through NAT64");
        // and allowing the IPv4 block behind it opens that too
        OutboundGuard alsoPrivate = new OutboundGuard(Optional.of(List.of("64:ff9b::/96", "10.0.0.0/8")));
        assertTrue(alsoPrivate.permits(address("64:ff9b::10.0.0.1")));
    }

    @Test
    void localhost_isRefusedWithoutTheAllowList() {
        assertThrows(OutboundGuard.RefusedAddress.class, () -> NOTHING_ALLOWED.resolve("localhost"));
        assertThrows(OutboundGuard.RefusedAddress.class, () -> NOTHING_ALLOWED.resolve("127.0.0.1"));
        assertThrows(OutboundGuard.RefusedAddress.class, () -> NOTHING_ALLOWED.resolve("[::1]"));
    }

    @Test
    void localhost_isLetThroughByTheAllowList() throws Exception {
        OutboundGuard loopback = new OutboundGuard(Optional.of(List.of("127.0.0.0/8")));
        assertEquals(InetAddress.getByName("127.0.0.1"), loopback.resolve("localhost").get(0));
    }

    @Test
    void resolve_keepsThePermittedAddresses_inTheResolversOrder() throws Exception {
        OutboundGuard guard = new OutboundGuard(Optional.empty(), resolving("10.0.0.1", "93.184.216.34", "169.254.169.254",
                "2606:4700:4700::1111", "1.1.1.1"));
        assertEquals(List.of(address("93.184.216.34"), address("2606:4700:4700::1111"), address("1.1.1.1")),
                guard.resolve("several.example"));
    }

    @Test
    void resolve_withOnlyRefusedAddresses_isRefused() {
        OutboundGuard guard = new OutboundGuard(Optional.empty(), resolving("10.0.0.1", "::1", "169.254.169.254"));
        assertThrows(OutboundGuard.RefusedAddress.class, () -> guard.resolve("internal.example"));
    }

    @Test
    void allowedBlocks_parseAsWritten() throws Exception {
        Cidr mapped = Cidr.parse("::ffff:10.0.0.0/104");
        assertEquals(16, mapped.network().length);
        assertArrayEquals(new byte[] { 10, 0, 0, 0 }, Arrays.copyOfRange(mapped.network(), 12, 16));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("example.com/8"));
    }

    private static HostResolver resolving(String... addresses) {
        return new HostResolver() {
            @Override
            public InetAddress[] addressesOf(String host) throws UnknownHostException {
                InetAddress[] resolved = new InetAddress[addresses.length];
                for (int i = 0; i < addresses.length; i++) {
                    resolved[i] = InetAddress.getByName(addresses[i]);
                }
                return resolved;
            }
        };
    }

    private static boolean sameBlock(Cidr a, Cidr b) {
        return a.prefix() == b.prefix() && Arrays.equals(a.network(), b.network());
    }

    /** An IPv6 literal stays IPv6, IPv4-mapped ones too (InetAddress would make those IPv4). */
    private static InetAddress address(String literal) throws UnknownHostException {
        InetAddress parsed = InetAddress.getByName(literal);
        if (literal.indexOf(':') < 0 || parsed.getAddress().length == 16) {
            return parsed;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(parsed.getAddress(), 0, mapped, 12, 4);
        return Inet6Address.getByAddress(null, mapped, -1);
    }
}
