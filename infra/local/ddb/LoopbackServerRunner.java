// Starts DynamoDB Local bound to one address (default 127.0.0.1).
//
// DynamoDB Local has no "-host" option: ServerRunner always listens on all
// interfaces. This launcher uses the documented embedded entry point
// (ServerRunner.createServerFromCommandLineArgs, same CLI flags), sets the
// host on the Jetty connector before starting, and never configures the
// Pinpoint telemetry that ServerRunner.main would. If a future DynamoDB Local
// changes its internals, it warns and starts on all interfaces instead.
//
// Compiled by infra/local/install.sh into $CACHE/dynamodb-local/launcher/.
import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

public final class LoopbackServerRunner {
  public static void main(String[] args) throws Exception {
    String host = System.getProperty("newsdedup.bindHost", "127.0.0.1");
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    try {
      Field f = DynamoDBProxyServer.class.getDeclaredField("server");
      f.setAccessible(true);
      Server jetty = (Server) f.get(proxy);
      int bound = 0;
      for (Connector c : jetty.getConnectors()) {
        if (c instanceof ServerConnector) {
          ((ServerConnector) c).setHost(host);
          bound++;
        }
      }
      if (bound == 0) {
        throw new IllegalStateException("no ServerConnector found");
      }
      System.out.println("LoopbackServerRunner: listening on " + host);
    } catch (ReflectiveOperationException | RuntimeException e) {
      System.err.println("LoopbackServerRunner: WARNING: cannot restrict bind address ("
          + e + "); DynamoDB Local will listen on all interfaces");
    }
    proxy.start();
  }
}
