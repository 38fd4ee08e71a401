package io.weir.modules.iprestriction;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An address and mask of an {@code ipSecurity/add} rule: an address matches when it equals
 * {@code network} under {@code mask}, bit for bit. IPv4 rules match IPv4 clients only, IPv6 rules
 * IPv6 clients only (an IPv4-mapped client address counts as IPv4).
 *
 * @param network the rule's address, already masked
 * @param mask    the mask, as many bytes as the address
 */
record AddressRange(byte[] network, byte[] mask) {

    /** IIS's schema default for {@code subnetMask}: one address. */
    static final String DEFAULT_MASK = "255.255.255.255";

    /**
     * Copies the arrays.
     *
     * @param network see the record description
     * @param mask    see the record description
     */
    AddressRange {
        network = network.clone();
        mask = mask.clone();
    }

    /**
     * Binds the address and mask of one {@code <add>}. The mask is either dotted
     * ({@code 255.255.255.0}; for IPv6, the IPv6 form {@code ffff:ffff:ffff:ffff::}) or a prefix
     * length ({@code 24}, {@code 64}), as IIS Manager's "Mask or Prefix" box accepts. An IPv6 rule
     * with IIS's default mask {@code 255.255.255.255} means the one address.
     *
     * @param item the {@code <add>} element
     * @return the range
     * @throws ConfigException if the address or the mask is not a literal of the right family
     */
    static AddressRange from(ConfigElement item) {
        String ip = item.attribute("ipAddress").orElse("").trim();
        InetAddress address = IpAddresses.parse(ip);
        if (address == null) {
            throw new ConfigException(
                    item.attributeSource("ipAddress"),
                    "ipAddress '" + ip + "' is not an IPv4 or IPv6 address (Weir never resolves names here)");
        }
        byte[] bytes = address.getAddress();
        String maskText = item.attribute("subnetMask").orElse(DEFAULT_MASK).trim();
        byte[] mask = mask(maskText, bytes.length);
        if (mask == null) {
            throw new ConfigException(
                    item.attributeSource("subnetMask"),
                    "subnetMask '" + maskText
                            + "' is not a " + (address instanceof Inet4Address ? "dotted IPv4 mask" : "IPv6 mask")
                            + " or a prefix length 0-" + bytes.length * 8 + " for ipAddress " + ip);
        }
        byte[] network = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            network[i] = (byte) (bytes[i] & mask[i]);
        }
        return new AddressRange(network, mask);
    }

    /**
     * Parses a mask for an address of {@code length} bytes.
     *
     * @return the mask bytes, or null when malformed or of the other family
     */
    static byte[] mask(String text, int length) {
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit) && text.length() <= 3) {
            int prefix = Integer.parseInt(text);
            if (prefix > length * 8) {
                return null;
            }
            byte[] mask = new byte[length];
            for (int bit = 0; bit < prefix; bit++) {
                mask[bit / 8] |= (byte) (0x80 >>> (bit % 8));
            }
            return mask;
        }
        if (length == 16 && text.equals(DEFAULT_MASK)) {
            byte[] all = new byte[16];
            Arrays.fill(all, (byte) 0xff);
            return all;
        }
        InetAddress parsed = IpAddresses.parse(text);
        if (parsed == null) {
            return null;
        }
        byte[] bytes = parsed.getAddress();
        if (bytes.length != length && !(length == 16 && text.indexOf(':') >= 0)) {
            return null;
        }
        if (length == 16 && bytes.length == 4) {
            return null; // an IPv6 mask written in a form the JDK folded to IPv4
        }
        return bytes.length == length ? bytes : null;
    }

    /**
     * Tells whether an address is in the range.
     *
     * @param address the client's address (normalized: IPv4-mapped addresses as IPv4)
     * @return true when the families agree and every masked bit equals the network's
     */
    boolean matches(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        for (int i = 0; i < address.length; i++) {
            if ((address[i] & mask[i]) != network[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AddressRange r && Arrays.equals(network, r.network) && Arrays.equals(mask, r.mask);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + Arrays.hashCode(mask);
    }

    @Override
    public String toString() {
        int prefix = 0;
        for (byte b : mask) {
            prefix += Integer.bitCount(b & 0xff);
        }
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            return Arrays.toString(network) + "/" + prefix;
        }
    }
}
