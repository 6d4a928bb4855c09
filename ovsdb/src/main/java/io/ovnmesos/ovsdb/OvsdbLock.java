package io.ovnmesos.ovsdb;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OVSDB lock ({@code lock}/{@code steal}/{@code unlock}, RFC 7047 4.1.8-4.1.10) held or wanted by
 * this client. The client keeps asking for it, across reconnects and after it is stolen, until
 * {@link #unlock()}.
 *
 * <p>Locks live in one server's memory: in a clustered database, clients of different members can
 * hold "the same" lock at once. Do not use them for leader election across a cluster.
 */
public final class OvsdbLock {
  private final String id;
  private final OvsdbClient client;
  private final List<Runnable> onStolen = new CopyOnWriteArrayList<>();
  private volatile boolean held;
  private volatile boolean wanted = true;
  private volatile CompletableFuture<Void> acquired = new CompletableFuture<>();

  OvsdbLock(String id, OvsdbClient client) {
    this.id = id;
    this.client = client;
  }

  /** The lock's name. */
  public String id() {
    return id;
  }

  /** True while the server says this client holds the lock. */
  public boolean isHeld() {
    return held;
  }

  /** Completes when the lock is (or next becomes) held. */
  public CompletableFuture<Void> acquired() {
    return acquired;
  }

  /** Runs {@code r} (on the I/O thread; must not block) each time another client steals the lock. */
  public void onStolen(Runnable r) {
    onStolen.add(r);
  }

  /** Takes the lock from whoever holds it (withdrawing this client's queued request first, as OVSDB requires). */
  public CompletableFuture<Void> steal() {
    wanted = true;
    if (held) {
      return CompletableFuture.completedFuture(null);
    }
    return client.sendUnlockKeeping(this).thenCompose(x -> client.sendLock("steal", this));
  }

  /** Releases the lock and stops asking for it. */
  public CompletableFuture<Void> unlock() {
    wanted = false;
    held = false;
    return client.sendUnlock(this);
  }

  boolean wanted() {
    return wanted;
  }

  synchronized void markHeld() {
    held = true;
    acquired.complete(null);
  }

  synchronized void markLost(boolean stolen) {
    held = false;
    if (acquired.isDone()) {
      acquired = new CompletableFuture<>();
    }
    if (stolen) {
      onStolen.forEach(Runnable::run);
    }
  }
}
