package io.ovnmesos.ovsdb;

import io.ovnmesos.ovsdb.jsonrpc.Remote;
import io.ovnmesos.ovsdb.jsonrpc.TlsFiles;
import java.time.Duration;
import java.util.List;

/**
 * How to reach an OVSDB server or cluster.
 *
 * @param remotes where to connect, tried in turn (all members of a cluster)
 * @param tls the PEM files for {@code ssl:} remotes, or null
 * @param leaderOnly for clustered databases, use only the leader (as {@code ovn-nbctl} does), so
 *     that reads are never stale; follow the leader when it changes
 * @param connectTimeout how long {@link OvsdbClient#connect} waits for a first usable connection
 * @param requestTimeout how long a request may wait for its reply (and for a connection)
 * @param probeInterval send {@code echo} after this much silence and drop the connection if that
 *     goes unanswered for as long again; zero disables it. Only {@code tcp:} and {@code ssl:}
 *     remotes are probed, as in OVS
 * @param backoffMin first pause between reconnect rounds, doubling up to {@code backoffMax}
 * @param backoffMax longest pause between reconnect rounds
 */
public record OvsdbOptions(List<Remote> remotes, TlsFiles tls, boolean leaderOnly, Duration connectTimeout,
    Duration requestTimeout, Duration probeInterval, Duration backoffMin, Duration backoffMax) {

  public OvsdbOptions {
    if (remotes == null || remotes.isEmpty()) {
      throw new IllegalArgumentException("at least one remote is needed");
    }
    remotes = List.copyOf(remotes);
  }

  /** Defaults for {@code remotes} (comma-separated, in OVS syntax). */
  public static OvsdbOptions of(String remotes) {
    return new OvsdbOptions(Remote.parseList(remotes), null, true, Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(8));
  }

  public OvsdbOptions withTls(TlsFiles files) {
    return new OvsdbOptions(remotes, files, leaderOnly, connectTimeout, requestTimeout, probeInterval, backoffMin, backoffMax);
  }

  public OvsdbOptions withLeaderOnly(boolean only) {
    return new OvsdbOptions(remotes, tls, only, connectTimeout, requestTimeout, probeInterval, backoffMin, backoffMax);
  }

  public OvsdbOptions withConnectTimeout(Duration d) {
    return new OvsdbOptions(remotes, tls, leaderOnly, d, requestTimeout, probeInterval, backoffMin, backoffMax);
  }

  public OvsdbOptions withRequestTimeout(Duration d) {
    return new OvsdbOptions(remotes, tls, leaderOnly, connectTimeout, d, probeInterval, backoffMin, backoffMax);
  }

  public OvsdbOptions withProbeInterval(Duration d) {
    return new OvsdbOptions(remotes, tls, leaderOnly, connectTimeout, requestTimeout, d, backoffMin, backoffMax);
  }

  public OvsdbOptions withBackoff(Duration min, Duration max) {
    return new OvsdbOptions(remotes, tls, leaderOnly, connectTimeout, requestTimeout, probeInterval, min, max);
  }
}
