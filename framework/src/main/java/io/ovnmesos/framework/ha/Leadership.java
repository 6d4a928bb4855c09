package io.ovnmesos.framework.ha;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active/standby election among framework replicas through ZooKeeper (a Curator leader latch), or a
 * lone replica that leads at once when no ZooKeeper is configured. Callbacks run one at a time on a
 * thread of their own, so a replica never acts as leader and standby at once.
 */
public final class Leadership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  /** What to do on taking and on losing leadership. */
  public interface Listener {
    void lead();

    void follow();
  }

  private final Optional<CuratorFramework> zk;
  private final String path;
  private final String id;
  private final Listener listener;
  private volatile Optional<LeaderLatch> latch = Optional.empty();
  private final ExecutorService callbacks = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "leadership");
    t.setDaemon(true);
    return t;
  });

  private Leadership(Optional<CuratorFramework> zk, String path, String id, Listener listener) {
    this.zk = zk;
    this.path = path;
    this.id = id;
    this.listener = listener;
  }

  /**
   * Joins the election at {@code zkConnect} (host:port[,...]) under {@code path}, or leads alone if
   * {@code zkConnect} is empty. {@code id} names this replica (its gRPC address, for operators).
   */
  public static Leadership start(Optional<String> zkConnect, String path, String id, int sessionTimeoutMillis,
      Listener listener) throws Exception {
    if (zkConnect.isEmpty()) {
      Leadership alone = new Leadership(Optional.empty(), path, id, listener);
      alone.callbacks.execute(listener::lead);
      return alone;
    }
    CuratorFramework zk = CuratorFrameworkFactory.builder().connectString(zkConnect.get())
        .sessionTimeoutMs(sessionTimeoutMillis).connectionTimeoutMs(Math.min(5_000, sessionTimeoutMillis))
        .retryPolicy(new ExponentialBackoffRetry(200, 10)).build();
    zk.start();
    Leadership l = new Leadership(Optional.of(zk), path, id, listener);
    l.join();
    return l;
  }

  private void join() throws Exception {
    LeaderLatch l = new LeaderLatch(zk.orElseThrow(), path + "/leader", id);
    l.addListener(new LeaderLatchListener() {
      @Override
      public void isLeader() {
        LOG.info("This replica ({}) is now the leader", id);
        listener.lead();
      }

      @Override
      public void notLeader() {
        LOG.info("This replica ({}) is no longer the leader", id);
        listener.follow();
      }
    }, callbacks);
    latch = Optional.of(l);
    l.start();
  }

  /**
   * Gives up leadership and stands for election again, for a replica that cannot lead (it could not
   * take the fencing epoch, or another replica fenced it), so that another one can. A lone replica
   * without ZooKeeper stays a standby: taking the epoch back would fence whoever took it.
   */
  public void rejoin() {
    if (zk.isEmpty()) {
      LOG.error("Another ovn-mesos framework took the fencing epoch; this lone replica (no --zk) stands by until restarted");
      return;
    }
    callbacks.execute(() -> {
      latch.ifPresent(l -> {
        try {
          l.close(LeaderLatch.CloseMode.SILENT);
        } catch (IOException | IllegalStateException e) {
          LOG.debug("leader latch already closed", e);
        }
      });
      try {
        join();
      } catch (Exception e) {
        LOG.error("Could not stand for election again", e);
      }
    });
  }

  /** True while this replica leads (always, without ZooKeeper). */
  public boolean isLeader() {
    return latch.map(LeaderLatch::hasLeadership).orElse(true);
  }

  @Override
  public void close() {
    latch.ifPresent(l -> {
      try {
        l.close(LeaderLatch.CloseMode.NOTIFY_LEADER);
      } catch (IOException | IllegalStateException e) {
        LOG.debug("leader latch already closed", e);
      }
    });
    callbacks.shutdown();
    zk.ifPresent(CuratorFramework::close);
  }
}
