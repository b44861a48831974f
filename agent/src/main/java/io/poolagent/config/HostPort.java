package io.poolagent.config;

/**
 * One server address of a connection URL.
 *
 * @param host a host name or IP address; IPv6 addresses without brackets
 * @param port 1 to 65535
 */
public record HostPort(String host, int port) {

    public HostPort {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** {@code host:port}, with an IPv6 address in brackets as URLs need it. */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return authority();
    }
}
