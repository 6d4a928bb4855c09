package io.ovnmesos.executorhook.mesos;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How this agent's executors talk to it, which decides whether the agent connects to an executor at
 * its task's address. Driver-based executors (Mesos' command executor under the agent's default
 * {@code --http_command_executor=false}, and custom executors on the old driver) are reached that
 * way; HTTP executors (the command executor with {@code --http_command_executor=true}, the default
 * executor of task groups) only ever connect to the agent.
 */
public final class ExecutorApi {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorApi.class);
  /** The agent flag that switches Mesos' command executor to the HTTP API. */
  public static final String HTTP_COMMAND_EXECUTOR = "http_command_executor";

  /** The hook's setting: ask the agent, or take the operator's word. */
  public enum Setting {
    AUTO, DRIVER, HTTP;

    /** Parses {@code auto}, {@code driver} or {@code http}, in any case. */
    public static Setting parse(String s) {
      try {
        return valueOf(s.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("expected auto, driver or http, got \"" + s + "\"");
      }
    }
  }

  private final Setting setting;
  private final Supplier<Optional<String>> httpCommandExecutorFlag;
  private volatile Boolean learned;

  /** @param httpCommandExecutorFlag asks the agent for {@value #HTTP_COMMAND_EXECUTOR}, with {@link Setting#AUTO} */
  public ExecutorApi(Setting setting, Supplier<Optional<String>> httpCommandExecutorFlag) {
    this.setting = setting;
    this.httpCommandExecutorFlag = httpCommandExecutorFlag;
  }

  /**
   * True if the agent connects to its executors at their task's address. With {@link Setting#AUTO}
   * the agent is asked once; if it cannot answer, Mesos' default (driver-based) is assumed and the
   * agent is asked again next time.
   */
  public boolean agentConnectsToExecutors() {
    return switch (setting) {
      case DRIVER -> true;
      case HTTP -> false;
      case AUTO -> {
        Boolean known = learned;
        if (known == null) {
          Optional<String> flag = httpCommandExecutorFlag.get();
          if (flag.isEmpty()) {
            LOG.warn("the agent did not answer GET_FLAGS with {}: assuming Mesos' default, driver-based executors "
                + "(set --executor-api to decide)", HTTP_COMMAND_EXECUTOR);
            yield true;
          }
          known = !"true".equals(flag.get());
          learned = known;
          LOG.info("the agent runs {}={}: it {} its executors", HTTP_COMMAND_EXECUTOR, flag.get(),
              known ? "connects to" : "does not connect to");
        }
        yield known;
      }
    };
  }

  /** The setting, for messages. */
  public Setting setting() {
    return setting;
  }
}
