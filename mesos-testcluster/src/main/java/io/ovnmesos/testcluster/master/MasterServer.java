package io.ovnmesos.testcluster.master;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * A master's HTTP endpoint, as one Mesos master process serves it: the operator API at
 * {@code /api/v1} and the scheduler API at {@code /api/v1/scheduler} on one address.
 */
public final class MasterServer implements AutoCloseable {
  private final Master master;
  private final HttpServer http;
  private final ExecutorService handlers = MesosHttp.handlers("master-http");
  private final OperatorApi operator;
  private final SchedulerApi scheduler;

  private MasterServer(Master master, InetSocketAddress bind, Duration heartbeat) throws IOException {
    this.master = master;
    this.http = HttpServer.create(bind, 0);
    http.setExecutor(handlers);
    this.operator = new OperatorApi(master, http, heartbeat);
    this.scheduler = new SchedulerApi(master, http, heartbeat);
    http.start();
  }

  /** Serves {@code master} on {@code bind} (port 0 for any), with heartbeats every {@code heartbeat}. */
  public static MasterServer start(Master master, InetSocketAddress bind, Duration heartbeat) throws IOException {
    return new MasterServer(master, bind, heartbeat);
  }

  /** Serves {@code master} on a free port of 127.0.0.1. */
  public static MasterServer start(Master master, Duration heartbeat) throws IOException {
    return start(master, new InetSocketAddress("127.0.0.1", 0), heartbeat);
  }

  public Master master() {
    return master;
  }

  public int port() {
    return http.getAddress().getPort();
  }

  /** {@code host:port}, as a framework is given a master. */
  public String address() {
    return http.getAddress().getHostString() + ":" + port();
  }

  /** Stops serving: every event stream ends, as when a master process stops. */
  @Override
  public void close() {
    operator.close();
    scheduler.close();
    http.stop(0);
    handlers.shutdownNow();
  }
}
