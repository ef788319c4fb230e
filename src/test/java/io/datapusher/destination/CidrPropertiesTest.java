package io.datapusher.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Address blocks and the guard, for any address: membership is exactly "the first prefix bits match". */
class CidrPropertiesTest {
    private static final OutboundGuard NOTHING_ALLOWED = new OutboundGuard(Optional.empty());

    @Property
    void anAddressIsInABlock_exactlyWhenItsFirstPrefixBitsMatch(@ForAll("ipv4OrIpv6") byte[] network,
            @ForAll("ipv4OrIpv6") byte[] other, @ForAll int prefixSeed) throws Exception {
        // an IPv4-mapped network would be written as IPv4 text and parsed as an IPv4 block
        Assume.that(InetAddress.getByAddress(network).getAddress().length == network.length);
        int bits = network.length * 8;
        int prefix = Math.floorMod(prefixSeed, bits + 1);
        byte[] candidate = java.util.Arrays.copyOf(other, network.length);
        Cidr block = Cidr.parse(InetAddress.getByAddress(network).getHostAddress() + "/" + prefix);
        BigInteger a = new BigInteger(1, candidate).shiftRight(bits - prefix);
        BigInteger n = new BigInteger(1, network).shiftRight(bits - prefix);
        assertEquals(a.equals(n), block.contains(address(candidate)));
        assertEquals(true, block.contains(address(network)));
    }

    @Property
    void everyAddressInARefusedBlock_isRefused(@ForAll("refusedBlocks") Cidr block, @ForAll("ipv4OrIpv6") byte[] bits)
            throws Exception {
        byte[] address = java.util.Arrays.copyOf(bits, block.network().length);
        // keep the block's prefix, take the rest from the random bits
        for (int i = 0; i < address.length * 8; i++) {
            if (i < block.prefix()) {
                int mask = 0x80 >> (i % 8);
                address[i / 8] = (byte) ((address[i / 8] & ~mask) | (block.network()[i / 8] & mask));
            }
        }
        assertFalse(NOTHING_ALLOWED.permits(address(address)), InetAddress.getByAddress(address).getHostAddress());
    }

    @Provide
    Arbitrary<byte[]> ipv4OrIpv6() {
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofSize(4),
                Arbitraries.bytes().array(byte[].class).ofSize(16));
    }

    @Provide
    Arbitrary<Cidr> refusedBlocks() {
        return Arbitraries.of(OutboundGuard.REFUSED);
    }

    /** Sixteen bytes stay IPv6, also in the IPv4-mapped range (InetAddress would make those IPv4). */
    private static InetAddress address(byte[] bytes) throws Exception {
        return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
    }
}
