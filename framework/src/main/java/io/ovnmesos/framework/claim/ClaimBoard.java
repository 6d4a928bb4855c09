package io.ovnmesos.framework.claim;

import io.ovnmesos.framework.port.PortWriter;
import io.ovnmesos.topology.Ownership;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.port.PortMarks;
import io.ovnmesos.topology.port.PortRefusal;
import io.ovnmesos.topology.port.TaskPort;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where claims meet the writer: a claim for a port that exists is answered from the cache at once;
 * one for a port not made yet waits for the writer to make it (or to refuse it). Refusals are kept
 * until the task's ports are deleted, so a retried ADD gets the same answer.
 */
public final class ClaimBoard implements PortWriter.Listener {
  /** A claim for a port the framework refused to make. */
  public static final class RefusedClaim extends RuntimeException {
    private final PortRefusal refusal;

    RefusedClaim(PortRefusal refusal) {
      super(refusal.message(), null, false, false);
      this.refusal = refusal;
    }

    public PortRefusal refusal() {
      return refusal;
    }
  }

  private final Topology topology;
  private final Map<String, CompletableFuture<TaskPort>> waiting = new ConcurrentHashMap<>();
  private final Map<String, PortRefusal> refusals = new ConcurrentHashMap<>();

  public ClaimBoard(Topology topology) {
    this.topology = topology;
  }

  /** The port named {@code name}, now or once made; fails with {@link RefusedClaim} if refused. */
  public CompletableFuture<TaskPort> await(String name) {
    PortRefusal r = refusals.get(name);
    if (r != null) {
      return CompletableFuture.failedFuture(new RefusedClaim(r));
    }
    CompletableFuture<TaskPort> f = waiting.computeIfAbsent(name, k -> new CompletableFuture<>());
    // Checked after registering, so a port made in between is not missed.
    existing(name).ifPresent(p -> complete(name, p));
    PortRefusal late = refusals.get(name);
    if (late != null) {
      refused(name, late);
    }
    return f;
  }

  /** Stops waiting for {@code name} (the claim gave up). */
  public void forget(String name, CompletableFuture<TaskPort> f) {
    waiting.remove(name, f);
  }

  /** The port as stored in OVN, if it is one of the framework's. */
  public Optional<TaskPort> existing(String name) {
    return topology.northbound().switchPort(name)
        .filter(p -> PortMarks.OWNER_FRAMEWORK.equals(p.externalIds().get(PortMarks.OWNER)))
        .flatMap(p -> topology.networks().find(p.externalIds().getOrDefault(Ownership.NETWORK, ""))
            .flatMap(n -> TaskPort.from(p, n)));
  }

  private void complete(String name, TaskPort p) {
    CompletableFuture<TaskPort> f = waiting.remove(name);
    if (f != null) {
      f.complete(p);
    }
  }

  @Override
  public void created(TaskPort port) {
    refusals.remove(port.name());
    complete(port.name(), port);
  }

  @Override
  public void refused(String name, PortRefusal refusal) {
    refusals.put(name, refusal);
    CompletableFuture<TaskPort> f = waiting.remove(name);
    if (f != null) {
      f.completeExceptionally(new RefusedClaim(refusal));
    }
  }

  @Override
  public void deleted(String name) {
    refusals.remove(name);
  }

  /** A claim that was waiting when this replica stopped leading: the agent should ask the next one. */
  public static final class Abandoned extends RuntimeException {
    Abandoned() {
      super("this replica stopped leading while the claim waited", null, false, false);
    }
  }

  /** Ends every waiting claim with {@link Abandoned} (this replica stops leading). */
  public void abandon() {
    for (String name : java.util.List.copyOf(waiting.keySet())) {
      CompletableFuture<TaskPort> f = waiting.remove(name);
      if (f != null) {
        f.completeExceptionally(new Abandoned());
      }
    }
  }
}
