package io.ovnmesos.framework.mesos;

import java.net.URI;
import java.util.List;

/**
 * Where the masters are: the candidates to try, in order, for the leader. A static list is tried
 * as given (non-leaders redirect); ZooKeeper detection answers the elected leader.
 */
public interface MasterDetector extends AutoCloseable {
  /** Base URIs ({@code http://host:port}) to try, the likely leader first; may be empty while none is known. */
  List<URI> candidates();

  @Override
  default void close() {}

  /**
   * A detector for {@code --master}: {@code host:port[,host:port...]} (each optionally with
   * {@code http://}), or {@code zk://host:port[,host:port]/path} as Mesos agents take it.
   */
  static MasterDetector parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("--master: expected host:port[,host:port...] or zk://host:port[,...]/path, got nothing");
    }
    if (spec.startsWith("zk://")) {
      return ZooKeeperMasterDetector.start(spec);
    }
    List<URI> uris = new java.util.ArrayList<>();
    for (String part : spec.split(",")) {
      String p = part.strip();
      String withScheme = p.startsWith("http://") || p.startsWith("https://") ? p : "http://" + p;
      URI u;
      try {
        u = URI.create(withScheme);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--master: \"" + p + "\" is not host:port", e);
      }
      if (u.getHost() == null || u.getPort() < 0) {
        throw new IllegalArgumentException("--master: \"" + p + "\" is not host:port");
      }
      uris.add(URI.create(u.getScheme() + "://" + u.getHost() + ":" + u.getPort()));
    }
    List<URI> fixed = List.copyOf(uris);
    return () -> fixed;
  }
}
