import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Starts one node of a codelibs runner (OpenSearch or Elasticsearch, whose runners share their shape) in this
 * process: java -cp CLASSPATH SearchNode.java RUNNER_CLASS BASE_DIR HTTP_PORT. Prints "ready PORT" once the
 * cluster is yellow and stops when its standard input closes: the owner of the process (a test, a script)
 * decides how long it lives. Reflection keeps one launcher for both runners, whose packages differ.
 */
public class SearchNode {
    public static void main(String[] args) throws Exception {
        Class<?> runnerClass = Class.forName(args[0]);
        Object runner = runnerClass.getConstructor().newInstance();
        Class<?> builder = Class.forName(args[0] + "$Builder");
        Object settings = Proxy.newProxyInstance(builder.getClassLoader(), new Class<?>[] {builder}, (proxy, method, a) -> {
            if (method.getName().equals("build")) {
                Method put = a[1].getClass().getMethod("put", String.class, String.class);
                // A full CI disk would otherwise turn every index read-only.
                put.invoke(a[1], "cluster.routing.allocation.disk.threshold_enabled", "false");
                // One node on its own ports: no scanning of 9300-9305, where another test's node may have been.
                put.invoke(a[1], "discovery.type", "single-node");
                put.invoke(a[1], "transport.port", String.valueOf(Integer.parseInt(args[2]) + 100));
            }
            return null;
        });
        runnerClass.getMethod("onBuild", builder).invoke(runner, settings);
        Object configs = runnerClass.getMethod("newConfigs").invoke(null);
        configs = call(configs, "basePath", args[1]);
        configs = configs.getClass().getMethod("numOfNode", int.class).invoke(configs, 1);
        configs = configs.getClass().getMethod("baseHttpPort", int.class).invoke(configs, Integer.parseInt(args[2]) - 1);
        configs = call(configs, "clusterName", "scanwatch-test");
        configs = configs.getClass().getMethod("disableESLogger").invoke(configs);
        runnerClass.getMethod("build", configs.getClass()).invoke(runner, configs);
        Object health = runnerClass.getMethod("ensureYellow", String[].class).invoke(runner, (Object) new String[0]);
        if (String.valueOf(health).equalsIgnoreCase("red")) {
            throw new IllegalStateException("the node did not become yellow: " + health);
        }
        System.out.println("ready " + args[2]);
        System.out.flush();
        while (System.in.read() >= 0) {
            // Wait for the owner to close standard input.
        }
        runnerClass.getMethod("close").invoke(runner);
        runnerClass.getMethod("clean").invoke(runner);
    }

    private static Object call(Object target, String name, String value) throws Exception {
        return target.getClass().getMethod(name, String.class).invoke(target, value);
    }
}
