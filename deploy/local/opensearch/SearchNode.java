import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * Starts one OpenSearch node in this process (java -cp CLASSPATH SearchNode.java BASE_DIR HTTP_PORT), prints
 * "ready PORT" once the cluster is yellow, and stops when its standard input closes: the owner of the process
 * (a test, opensearch.sh) decides how long it lives.
 */
public class SearchNode {
    public static void main(String[] args) throws Exception {
        OpenSearchRunner runner = new OpenSearchRunner();
        runner.onBuild((number, settings) -> {
            // A full CI disk would otherwise turn every index read-only.
            settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
            settings.put("http.cors.enabled", false);
        }).build(OpenSearchRunner.newConfigs()
                .basePath(args[0])
                .numOfNode(1)
                .baseHttpPort(Integer.parseInt(args[1]) - 1)
                .clusterName("scanwatch-test")
                .disableESLogger());
        runner.ensureYellow();
        System.out.println("ready " + runner.node().settings().get("http.port"));
        System.out.flush();
        while (System.in.read() >= 0) {
            // Wait for the owner to close standard input.
        }
        runner.close();
        runner.clean();
    }
}
