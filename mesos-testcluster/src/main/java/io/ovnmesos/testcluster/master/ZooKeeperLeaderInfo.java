package io.ovnmesos.testcluster.master;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;

/**
 * A master's candidacy in ZooKeeper, written as Mesos writes it: an ephemeral sequential znode
 * {@code <path>/json.info_<seq>} holding the master's MasterInfo as JSON; the lowest sequence leads.
 * Withdrawing (or the session ending) removes it, and the next candidate leads.
 */
public final class ZooKeeperLeaderInfo implements AutoCloseable {
  private final CuratorFramework zk;
  private final String node;

  private ZooKeeperLeaderInfo(CuratorFramework zk, String node) {
    this.zk = zk;
    this.node = node;
  }

  /** Enters {@code server} as a candidate under {@code path} (e.g. /mesos) of a started client. */
  public static ZooKeeperLeaderInfo contend(CuratorFramework zk, String path, MasterServer server, String id) throws Exception {
    String host = "127.0.0.1";
    int port = server.port();
    // MasterInfo.ip is the IPv4 address in network byte order read as a little-endian uint32.
    int ip = ByteBuffer.wrap(InetAddress.getByName(host).getAddress()).order(ByteOrder.LITTLE_ENDIAN).getInt();
    String json = "{\"address\":{\"hostname\":\"" + host + "\",\"ip\":\"" + host + "\",\"port\":" + port + "},"
        + "\"hostname\":\"" + host + "\",\"id\":\"" + id + "\",\"ip\":" + Integer.toUnsignedLong(ip) + ","
        + "\"pid\":\"master@" + host + ":" + port + "\",\"port\":" + port + ",\"version\":\"1.11.0\"}";
    String node = zk.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
        .forPath(path + "/json.info_", json.getBytes(StandardCharsets.UTF_8));
    return new ZooKeeperLeaderInfo(zk, node);
  }

  /** The znode written. */
  public String node() {
    return node;
  }

  /** Withdraws the candidacy, as a master that stops does. */
  @Override
  public void close() throws Exception {
    zk.delete().guaranteed().forPath(node);
  }
}
