package io.datapusher.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The guard as deliveries use it: after resolution, on every address. No traffic is sent. */
class OutboundGuardTest {
    private static final OutboundGuard NOTHING_ALLOWED = new OutboundGuard(Optional.empty());

    @Test
    void localhost_isRefusedWithoutTheAllowList() {
        assertThrows(OutboundGuard.RefusedAddress.class, () -> NOTHING_ALLOWED.resolve("localhost"));
        assertThrows(OutboundGuard.RefusedAddress.class, () -> NOTHING_ALLOWED.resolve("127.0.0.1"));
        assertThrows(OutboundGuard.RefusedAddress.class, () -> NOTHING_ALLOWED.resolve("[::1]"));
    }

    @Test
    void localhost_isLetThroughByTheAllowList() throws Exception {
        OutboundGuard loopback = new OutboundGuard(Optional.of(List.of("127.0.0.0/8")));
        assertEquals(InetAddress.getByName("127.0.0.1"), loopback.resolve("localhost"));
    }

    @Test
    void privateLinkLocalCgnatMulticastReservedAndMapped_areRefused() throws Exception {
        for (String address : List.of("10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
                "224.0.0.1", "240.0.0.1", "0.0.0.0", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "fd00::1", "fe80::1",
                "ff02::1", "::")) {
            assertFalse(NOTHING_ALLOWED.permits(InetAddress.getByName(address)), address);
        }
    }

    @Test
    void publicAddresses_arePermitted() throws Exception {
        for (String address : List.of("93.184.216.34", "1.1.1.1", "2606:4700:4700::1111")) {
            assertTrue(NOTHING_ALLOWED.permits(InetAddress.getByName(address)), address);
        }
    }
}
