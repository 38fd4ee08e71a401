package io.weir.modules.iprestriction;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * The address parsing and matching behind ipSecurity rules, IPv4 and IPv6 (the HTTP tests run over
 * IPv4 loopback only, so IPv6 peers are covered here and through X-Forwarded-For).
 */
class AddressRangeTest {

    private static byte[] ip(String text) {
        InetAddress address = IpAddresses.parse(text);
        assertThat(address).as(text).isNotNull();
        return IpAddresses.normalize(address).getAddress();
    }

    private static AddressRange range(String address, String mask) {
        InetAddress parsed = IpAddresses.parse(address);
        byte[] bytes = parsed.getAddress();
        byte[] m = AddressRange.mask(mask, bytes.length);
        assertThat(m).as(mask).isNotNull();
        byte[] network = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            network[i] = (byte) (bytes[i] & m[i]);
        }
        return new AddressRange(network, m);
    }

    @Test
    void ipv4RangesMatchByMaskDottedOrPrefix() {
        assertThat(range("192.168.1.0", "255.255.255.0").matches(ip("192.168.1.77")))
                .isTrue();
        assertThat(range("192.168.1.0", "255.255.255.0").matches(ip("192.168.2.77")))
                .isFalse();
        assertThat(range("192.168.1.99", "24").matches(ip("192.168.1.1"))).isTrue();
        assertThat(range("10.1.2.3", "255.255.255.255").matches(ip("10.1.2.3"))).isTrue();
        assertThat(range("10.1.2.3", "255.255.255.255").matches(ip("10.1.2.4"))).isFalse();
        assertThat(range("0.0.0.0", "0").matches(ip("203.0.113.1"))).isTrue();
    }

    @Test
    void ipv6RangesMatchByPrefixOrIpv6Mask() {
        assertThat(range("2001:db8::", "32").matches(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(range("2001:db8::", "32").matches(ip("2001:db9::1"))).isFalse();
        assertThat(range("2001:db8::", "ffff:ffff::").matches(ip("2001:db8:1::1")))
                .isTrue();
        assertThat(range("::1", AddressRange.DEFAULT_MASK).matches(ip("::1"))).isTrue();
        assertThat(range("::1", AddressRange.DEFAULT_MASK).matches(ip("::2"))).isFalse();
    }

    @Test
    void familiesDoNotMixAndMappedAddressesCountAsIpv4() {
        assertThat(range("0.0.0.0", "0").matches(ip("::1"))).isFalse();
        assertThat(range("::", "0").matches(ip("127.0.0.1"))).isFalse();
        assertThat(range("127.0.0.0", "8").matches(ip("::ffff:127.0.0.1"))).isTrue();
    }

    @Test
    void malformedMasksAreRefused() {
        assertThat(AddressRange.mask("33", 4)).isNull();
        assertThat(AddressRange.mask("129", 16)).isNull();
        assertThat(AddressRange.mask("ffff::", 4)).isNull();
        assertThat(AddressRange.mask("255.255.0.0", 16)).isNull();
        assertThat(AddressRange.mask("255.255.x.0", 4)).isNull();
    }

    @Test
    void onlyLiteralsParseAndNoNameIsLookedUp() {
        assertThat(IpAddresses.parse("localhost")).isNull();
        assertThat(IpAddresses.parse("example.com")).isNull();
        assertThat(IpAddresses.parse("1.2.3")).isNull();
        assertThat(IpAddresses.parse("1.2.3.4.5")).isNull();
        assertThat(IpAddresses.parse("256.1.1.1")).isNull();
        assertThat(IpAddresses.parse("abcd")).isNull();
        assertThat(IpAddresses.parse("fe80::1%eth0")).isNull();
        assertThat(IpAddresses.parseForwarded("192.0.2.1:8080")).isEqualTo(IpAddresses.parse("192.0.2.1"));
        assertThat(IpAddresses.parseForwarded("[2001:db8::1]:443")).isEqualTo(IpAddresses.parse("2001:db8::1"));
        assertThat(IpAddresses.parseForwarded("[2001:db8::1]")).isEqualTo(IpAddresses.parse("2001:db8::1"));
        assertThat(IpAddresses.parseForwarded("unknown")).isNull();
        assertThat(IpAddresses.parseForwarded("_hidden")).isNull();
        assertThat(IpAddresses.parseForwarded("192.0.2.1:http")).isNull();
    }
}
