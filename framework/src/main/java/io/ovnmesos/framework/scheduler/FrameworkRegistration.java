package io.ovnmesos.framework.scheduler;

import com.google.protobuf.Message;
import io.ovnmesos.framework.mesos.MasterClient;
import io.ovnmesos.framework.mesos.Subscriber;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The framework's registration with the master over the v1 scheduler API. ovn-mesos launches
 * nothing: it subscribes with all its roles suppressed, declines any offer that still comes with the
 * longest filter Mesos allows, and keeps the framework id the master gave (stored durably by the
 * caller) so a restarted or failed-over replica re-subscribes as the same framework.
 */
public final class FrameworkRegistration implements Subscriber.Handler<Event> {
  private static final Logger LOG = LoggerFactory.getLogger(FrameworkRegistration.class);
  /** Mesos caps refuse_seconds at a year. */
  static final double REFUSE_SECONDS = 31_536_000;

  private final Protos.FrameworkInfo info;
  private final Supplier<Optional<String>> storedId;
  private final Consumer<Optional<String>> storeId;
  private final MasterClient client;
  /** Told true on each SUBSCRIBED, false when the stream ends or breaks. */
  private final java.util.function.Consumer<Boolean> subscribed;
  private volatile Subscriber<Event> subscriber;
  private volatile Optional<String> frameworkId = Optional.empty();

  /**
   * @param info the FrameworkInfo without id
   * @param storedId reads the durably stored framework id
   * @param storeId stores it (empty to forget a removed framework's id)
   */
  public FrameworkRegistration(Protos.FrameworkInfo info, Supplier<Optional<String>> storedId,
      Consumer<Optional<String>> storeId, MasterClient client, java.util.function.Consumer<Boolean> subscribed) {
    this.info = info;
    this.storedId = storedId;
    this.storeId = storeId;
    this.client = client;
    this.subscribed = subscribed;
  }

  /** A FrameworkInfo for an observing framework. */
  public static Protos.FrameworkInfo frameworkInfo(String name, String user, List<String> roles, Optional<String> principal,
      Duration failoverTimeout, Optional<String> hostname) {
    Protos.FrameworkInfo.Builder b = Protos.FrameworkInfo.newBuilder().setName(name).setUser(user).addAllRoles(roles)
        .setFailoverTimeout(failoverTimeout.toMillis() / 1000.0).setCheckpoint(true)
        .addCapabilities(Protos.FrameworkInfo.Capability.newBuilder().setType(Protos.FrameworkInfo.Capability.Type.MULTI_ROLE));
    principal.ifPresent(b::setPrincipal);
    hostname.ifPresent(b::setHostname);
    return b.build();
  }

  public void attach(Subscriber<Event> s) {
    this.subscriber = s;
  }

  /** The id the master gave, once subscribed. */
  public Optional<String> frameworkId() {
    return frameworkId;
  }

  @Override
  public Message subscribeCall() {
    Optional<String> id = storedId.get();
    Protos.FrameworkInfo.Builder fi = info.toBuilder();
    Call.Builder call = Call.newBuilder().setType(Call.Type.SUBSCRIBE);
    id.ifPresent(v -> {
      fi.setId(Protos.FrameworkID.newBuilder().setValue(v));
      call.setFrameworkId(Protos.FrameworkID.newBuilder().setValue(v));
    });
    return call.setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(fi).addAllSuppressedRoles(info.getRolesList()))
        .build();
  }

  @Override
  public void onEvent(Event e, MasterClient.Answer<InputStream> subscription) {
    switch (e.getType()) {
      case SUBSCRIBED -> {
        String id = e.getSubscribed().getFrameworkId().getValue();
        if (!Optional.of(id).equals(storedId.get())) {
          storeId.accept(Optional.of(id));
        }
        frameworkId = Optional.of(id);
        if (subscriber != null && e.getSubscribed().hasHeartbeatIntervalSeconds()) {
          subscriber.heartbeatInterval(Duration.ofMillis((long) (e.getSubscribed().getHeartbeatIntervalSeconds() * 1000)));
        }
        LOG.info("Subscribed to the master at {} as framework {}", subscription.master(), id);
        subscribed.accept(true);
      }
      case OFFERS -> decline(e.getOffers(), subscription);
      case ERROR -> {
        String message = e.getError().getMessage();
        LOG.error("The master sent an error: {}", message);
        if (message.contains("removed") || message.contains("torn down")) {
          // A removed framework can never come back with its id: register anew.
          storeId.accept(Optional.empty());
          frameworkId = Optional.empty();
        }
      }
      default -> {
        // HEARTBEAT; UPDATE never comes, as this framework launches nothing
      }
    }
  }

  private void decline(Event.Offers offers, MasterClient.Answer<InputStream> subscription) {
    if (frameworkId.isEmpty() || offers.getOffersCount() == 0) {
      return;
    }
    Call.Builder call = Call.newBuilder().setType(Call.Type.DECLINE)
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue(frameworkId.get()))
        .setDecline(Call.Decline.newBuilder().setFilters(Protos.Filters.newBuilder().setRefuseSeconds(REFUSE_SECONDS)));
    offers.getOffersList().forEach(o -> call.getDeclineBuilder().addOfferIds(o.getId()));
    Optional<String> stream = subscription.response().headers().firstValue("Mesos-Stream-Id");
    try {
      MasterClient.expect(client.call("/api/v1/scheduler", call.build(), stream), 202);
    } catch (RuntimeException ex) {
      LOG.warn("Declining {} offer(s) failed: {}", offers.getOffersCount(), ex.getMessage());
    }
  }

  @Override
  public void onDisconnected(String why) {
    subscribed.accept(false);
  }
}
