package io.ovnmesos.ovsdb.jsonrpc;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One OVSDB server address in OVS's syntax: {@code tcp:HOST:PORT}, {@code ssl:HOST:PORT} or {@code unix:PATH}. */
public record Remote(Kind kind, String host, int port, Path path) {
  /** The default OVSDB port, used when a tcp: or ssl: remote names none. */
  public static final int DEFAULT_PORT = 6640;

  /** The transport of a remote. */
  public enum Kind { TCP, SSL, UNIX }

  /** Parses one remote; an unusable one raises {@link IllegalArgumentException} saying why. */
  public static Remote parse(String s) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException("remote is empty; expected tcp:HOST:PORT, ssl:HOST:PORT or unix:PATH");
    }
    String r = s.strip();
    if (r.startsWith("unix:")) {
      String path = r.substring(5);
      if (path.isEmpty()) {
        throw new IllegalArgumentException("remote \"" + s + "\": unix: needs a socket path");
      }
      return new Remote(Kind.UNIX, null, 0, Path.of(path));
    }
    Kind kind;
    if (r.startsWith("tcp:")) {
      kind = Kind.TCP;
    } else if (r.startsWith("ssl:")) {
      kind = Kind.SSL;
    } else {
      throw new IllegalArgumentException("remote \"" + s + "\": expected tcp:HOST:PORT, ssl:HOST:PORT or unix:PATH");
    }
    String rest = r.substring(4);
    String host;
    String port;
    if (rest.startsWith("[")) {
      int close = rest.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("remote \"" + s + "\": unterminated IPv6 address");
      }
      host = rest.substring(1, close);
      port = rest.length() > close + 1 && rest.charAt(close + 1) == ':' ? rest.substring(close + 2) : "";
    } else {
      int colon = rest.lastIndexOf(':');
      host = colon < 0 ? rest : rest.substring(0, colon);
      port = colon < 0 ? "" : rest.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("remote \"" + s + "\": missing host");
    }
    int p = DEFAULT_PORT;
    if (!port.isEmpty()) {
      try {
        p = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        p = -1;
      }
      if (p < 1 || p > 65535) {
        throw new IllegalArgumentException("remote \"" + s + "\": port must be 1-65535, got \"" + port + "\"");
      }
    }
    return new Remote(kind, host, p, null);
  }

  /** Parses a comma-separated list of remotes, as OVS tools accept for clustered databases. */
  public static List<Remote> parseList(String s) {
    List<Remote> out = new ArrayList<>();
    for (String part : (s == null ? "" : s).split(",")) {
      if (!part.isBlank()) {
        out.add(parse(part));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no remote given; expected tcp:HOST:PORT, ssl:HOST:PORT or unix:PATH");
    }
    return List.copyOf(out);
  }

  /** The socket address to connect to. */
  public SocketAddress socketAddress() {
    return kind == Kind.UNIX ? UnixDomainSocketAddress.of(path)
        : InetSocketAddress.createUnresolved(host, port);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case UNIX -> "unix:" + path;
      case TCP, SSL -> kind.name().toLowerCase() + ":" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    };
  }
}
