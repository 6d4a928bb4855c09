package io.ovnmesos.framework.mesos;

import java.net.URI;
import java.util.Comparator;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.mesos.v1.Protos;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the leading master in ZooKeeper as Mesos records it: each master contending for leadership
 * holds an ephemeral sequential znode {@code <path>/json.info_<seq>} with its MasterInfo as JSON, and
 * the one with the lowest sequence leads.
 */
final class ZooKeeperMasterDetector implements MasterDetector {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperMasterDetector.class);
  static final String PREFIX = "json.info_";

  private final CuratorFramework zk;
  private final String path;

  private ZooKeeperMasterDetector(CuratorFramework zk, String path) {
    this.zk = zk;
    this.path = path;
  }

  /** Connects for {@code zk://host:port[,host:port]/path}. */
  static ZooKeeperMasterDetector start(String spec) {
    String rest = spec.substring("zk://".length());
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw new IllegalArgumentException("--master: expected zk://host:port[,host:port]/path, got \"" + spec + "\"");
    }
    CuratorFramework zk = CuratorFrameworkFactory.newClient(rest.substring(0, slash), 10_000, 5_000,
        new ExponentialBackoffRetry(200, 5));
    zk.start();
    return new ZooKeeperMasterDetector(zk, rest.substring(slash));
  }

  @Override
  public List<URI> candidates() {
    try {
      List<String> children = zk.getChildren().forPath(path);
      var leader = children.stream().filter(c -> c.startsWith(PREFIX)).min(Comparator.naturalOrder());
      if (leader.isEmpty()) {
        return List.of();
      }
      byte[] data = zk.getData().forPath(path + "/" + leader.get());
      Protos.MasterInfo info = MesosJson.parse(data, Protos.MasterInfo.newBuilder()).build();
      String host = info.hasAddress() && info.getAddress().hasIp() ? info.getAddress().getIp()
          : info.hasAddress() && info.getAddress().hasHostname() ? info.getAddress().getHostname() : info.getHostname();
      int port = info.hasAddress() ? info.getAddress().getPort() : info.getPort();
      return List.of(URI.create("http://" + host + ":" + port));
    } catch (org.apache.zookeeper.KeeperException.NoNodeException e) {
      return List.of();
    } catch (Exception e) {
      LOG.warn("Could not read the leading master from ZooKeeper {}: {}", path, e.toString());
      return List.of();
    }
  }

  @Override
  public void close() {
    zk.close();
  }
}
