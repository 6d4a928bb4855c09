package io.ovnmesos.testbed;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a fixture opened, closed last first, as try-with-resources would: every one is closed even
 * when some fail, and the first failure is then thrown, naming what was being stopped.
 */
public final class Teardown implements AutoCloseable {
  private final String what;
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  /** @param what what closing stops, for the message of a failure ("the Mesos side") */
  public Teardown(String what) {
    this.what = what;
  }

  /** Keeps {@code resource} to be closed before everything kept earlier; returns it. */
  public synchronized <T extends AutoCloseable> T keep(T resource) {
    opened.push(resource);
    return resource;
  }

  @Override
  public void close() {
    RuntimeException first = null;
    while (true) {
      AutoCloseable next;
      synchronized (this) {
        next = opened.poll();
      }
      if (next == null) {
        break;
      }
      try {
        next.close();
      } catch (Exception e) {
        if (first == null) {
          first = new IllegalStateException("stopping " + what + ": " + e.getMessage(), e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
