package io.datapusher.destination;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Looks up the addresses of a destination's host, in the order the system resolver gives them.
 * Its own bean so that a test can make a name resolve to addresses of its choosing.
 */
@ApplicationScoped
public class HostResolver {

    public InetAddress[] addressesOf(String host) throws UnknownHostException {
        return InetAddress.getAllByName(host);
    }
}
