package io.ovnmesos.framework.mesos;

import com.google.protobuf.Message;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one SUBSCRIBE stream to the leading master open, on a thread of its own: events go to a
 * handler in order; when the stream ends, breaks, or stays silent for five heartbeat intervals (as
 * Mesos' docs advise), it subscribes again after a jittered exponential back-off (capped at 15 s,
 * reset by a good subscription). Each new subscription starts with a fresh SUBSCRIBED.
 */
public final class Subscriber<E extends Message> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Subscriber.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);
  private static final int MISSED_HEARTBEATS = 5;

  /** What a subscription does with its stream. */
  public interface Handler<E> {
    /** The call to subscribe with; asked anew before each subscription. */
    Message subscribeCall();

    /** Called for each event, on the subscriber's thread. */
    void onEvent(E event, MasterClient.Answer<InputStream> subscription) throws Exception;

    /** The stream ended or broke; {@code why} says how. */
    default void onDisconnected(String why) {}
  }

  private final String name;
  private final MasterClient client;
  private final String path;
  private final Supplier<? extends Message.Builder> events;
  private final Handler<E> handler;
  private final Duration initialBackoff;
  private final String accept;
  private final Thread thread;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private volatile boolean running = true;
  private volatile long lastEventNanos;
  private volatile Duration silenceLimit = Duration.ofSeconds(75);
  private volatile EventStream<E> current;
  private volatile boolean handling;

  /**
   * @param accept the encoding to ask for, {@link MasterClient#JSON} or {@link MasterClient#PROTOBUF};
   *     the stream is decoded as the master's Content-Type says
   */
  public Subscriber(String name, MasterClient client, String path, Supplier<? extends Message.Builder> events,
      Handler<E> handler, Duration initialBackoff, String accept) {
    this.name = name;
    this.accept = accept;
    this.client = client;
    this.path = path;
    this.events = events;
    this.handler = handler;
    this.initialBackoff = initialBackoff;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
  }

  public Subscriber<E> start() {
    thread.start();
    Thread watchdog = new Thread(this::watch, name + "-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    return this;
  }

  /** Sets the heartbeat interval the master announced; silence past five of them ends the stream. */
  public void heartbeatInterval(Duration interval) {
    silenceLimit = interval.multipliedBy(MISSED_HEARTBEATS);
  }

  /** Ends the current stream now; a new subscription follows (after back-off). */
  public void reconnect() {
    EventStream<E> s = current;
    if (s != null) {
      s.close();
    }
    thread.interrupt();
  }

  private void run() {
    Duration backoff = initialBackoff;
    while (running) {
      String why;
      try {
        MasterClient.Answer<InputStream> answer = client.stream(path, handler.subscribeCall(), accept);
        if (answer.status() != 200) {
          String body;
          try (InputStream in = answer.response().body()) {
            body = new String(in.readNBytes(4096), StandardCharsets.UTF_8).strip();
          }
          String hint = answer.status() == 401 ? " (the master wants credentials: check --principal and --secret-file)" : "";
          throw new MesosException(answer.master() + " refused SUBSCRIBE with " + answer.status() + ": " + body + hint);
        }
        boolean protobuf = answer.response().headers().firstValue("Content-Type").orElse("").startsWith(MasterClient.PROTOBUF);
        EventStream<E> stream = new EventStream<>(answer.response().body(), events, protobuf);
        current = stream;
        lastEventNanos = System.nanoTime();
        try (stream) {
          for (var e = stream.next(); e.isPresent() && running; e = stream.next()) {
            handling = true;
            try {
              handler.onEvent(e.get(), answer);
            } finally {
              handling = false;
              lastEventNanos = System.nanoTime();
            }
            backoff = initialBackoff;
          }
          why = "the master ended the stream";
        }
      } catch (MesosException e) {
        why = e.getMessage();
      } catch (IOException e) {
        why = "the stream broke: " + e;
      } catch (Exception e) {
        why = "handling an event failed: " + e;
        LOG.error("{}: handling an event failed", name, e);
      } finally {
        current = null;
        Thread.interrupted();
      }
      if (!running) {
        return;
      }
      handler.onDisconnected(why);
      LOG.warn("{}: {}; subscribing again in {} ms", name, why, backoff.toMillis());
      pause(backoff.plusMillis(ThreadLocalRandom.current().nextLong(Math.max(1, backoff.toMillis() / 2))));
      backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    }
  }

  /** Waits out a back-off; close() cuts it short. */
  private void pause(Duration d) {
    lock.lock();
    try {
      if (running) {
        wake.await(d.toNanos(), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      // close() or reconnect(): look at running again
    } finally {
      lock.unlock();
    }
  }

  private void watch() {
    while (running) {
      lock.lock();
      try {
        wake.await(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      EventStream<E> s = current;
      // Time spent handling an event (a large snapshot) is not the master's silence.
      if (s != null && !handling && System.nanoTime() - lastEventNanos > silenceLimit.toNanos()) {
        LOG.warn("{}: no event or heartbeat for {} ms; dropping the stream", name, silenceLimit.toMillis());
        s.close();
        thread.interrupt();
      }
    }
  }

  @Override
  public void close() {
    running = false;
    lock.lock();
    try {
      wake.signalAll();
    } finally {
      lock.unlock();
    }
    reconnect();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
