package io.ovnmesos.testcluster.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ovnmesos.testcluster.http.MesosHttp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.agent.Protos.Call;
import org.apache.mesos.v1.agent.Protos.Response;

/**
 * An agent's operator HTTP API, {@code POST /api/v1}, for what an integration asks an agent:
 * GET_CONTAINERS (framework, executor, executor name, container id and status with the networks'
 * addresses, as capture t2 shows; no resource statistics), GET_STATE (its running tasks, their
 * executors and frameworks) and GET_FLAGS (the flags {@link Agent#flags} models). JSON or protobuf, with the content-type rules of the master's API.
 */
public final class AgentApi implements AutoCloseable {
  private final Agent agent;
  private final HttpServer http;
  private final ExecutorService handlers = MesosHttp.handlers("agent-http");

  private AgentApi(Agent agent, InetSocketAddress bind) throws IOException {
    this.agent = agent;
    this.http = HttpServer.create(bind, 0);
    http.setExecutor(handlers);
    http.createContext("/api/v1", this::handle);
    http.start();
  }

  /** Serves {@code agent}'s API on {@code bind} (port 0 for any). */
  public static AgentApi start(Agent agent, InetSocketAddress bind) throws IOException {
    return new AgentApi(agent, bind);
  }

  /** {@code host:port}. */
  public String address() {
    return http.getAddress().getHostString() + ":" + http.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      Optional<MesosHttp.Request<Call.Builder>> request = MesosHttp.read(ex, Call.newBuilder());
      if (request.isEmpty()) {
        return;
      }
      Optional<String> type = MesosHttp.responseType(ex);
      if (type.isEmpty()) {
        return;
      }
      Call call = request.get().call().build();
      Response response = switch (call.getType()) {
        case GET_CONTAINERS -> Response.newBuilder().setType(Response.Type.GET_CONTAINERS).setGetContainers(containers()).build();
        case GET_STATE -> Response.newBuilder().setType(Response.Type.GET_STATE).setGetState(state()).build();
        case GET_FLAGS -> Response.newBuilder().setType(Response.Type.GET_FLAGS).setGetFlags(flags()).build();
        default -> null;
      };
      if (response == null) {
        MesosHttp.reply(ex, 400, "the test cluster's agent does not implement " + call.getType());
        return;
      }
      MesosHttp.respond(ex, type.get(), response);
    } catch (IOException | RuntimeException e) {
      ex.close();
      throw e;
    }
  }

  private Response.GetContainers containers() {
    Response.GetContainers.Builder b = Response.GetContainers.newBuilder();
    for (Agent.ContainerView c : agent.containers()) {
      b.addContainers(Response.GetContainers.Container.newBuilder().setFrameworkId(c.framework()).setExecutorId(c.executor())
          .setExecutorName(c.executorName()).setContainerId(c.status().getContainerId()).setContainerStatus(c.status()));
    }
    return b.build();
  }

  private Response.GetFlags flags() {
    Response.GetFlags.Builder b = Response.GetFlags.newBuilder();
    agent.flags().forEach((name, value) -> b.addFlags(Protos.Flag.newBuilder().setName(name).setValue(value)));
    return b.build();
  }

  private Response.GetState state() {
    Response.GetTasks.Builder tasks = Response.GetTasks.newBuilder();
    Response.GetExecutors.Builder executors = Response.GetExecutors.newBuilder();
    Map<String, Protos.FrameworkID> frameworks = new LinkedHashMap<>();
    for (Agent.ContainerView c : agent.containers()) {
      Protos.TaskInfo t = c.task();
      tasks.addLaunchedTasks(Protos.Task.newBuilder().setName(t.getName()).setTaskId(t.getTaskId()).setFrameworkId(c.framework())
          .setExecutorId(c.executor()).setAgentId(agent.id()).setState(Protos.TaskState.TASK_RUNNING)
          .addAllResources(t.getResourcesList()).setContainer(t.getContainer()));
      executors.addExecutors(Response.GetExecutors.Executor.newBuilder().setExecutorInfo(Protos.ExecutorInfo.newBuilder()
          .setExecutorId(c.executor()).setFrameworkId(c.framework()).setName(c.executorName())
          .setCommand(t.getCommand()).setType(Protos.ExecutorInfo.Type.DEFAULT)));
      frameworks.put(c.framework().getValue(), c.framework());
    }
    Response.GetFrameworks.Builder f = Response.GetFrameworks.newBuilder();
    frameworks.values().forEach(id -> f.addFrameworks(Response.GetFrameworks.Framework.newBuilder()
        .setFrameworkInfo(Protos.FrameworkInfo.newBuilder().setId(id).setUser("root").setName(id.getValue()))));
    return Response.GetState.newBuilder().setGetTasks(tasks).setGetExecutors(executors).setGetFrameworks(f).build();
  }

  @Override
  public void close() {
    http.stop(0);
    handlers.shutdownNow();
  }
}
