package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Spark standalone cluster of separate JVMs on 127.0.0.1 — a Master and two Workers started
 * by the test as {@code java -cp <the Maven test class path> org.apache.spark.deploy.…}, each
 * Worker launching its executor JVM — runs a job of generated mappers; then a Worker process is
 * killed in the middle of a job, which completes on the other Worker with the right records.
 * Every process the test starts is stopped by it.
 */
class StandaloneClusterIT {

  private static final List<Process> PROCESSES = new ArrayList<>();
  private static SparkSession spark;

  @BeforeAll
  static void startCluster() throws Exception {
    Path target = Path.of(System.getenv("SPARK_HOME")).getParent();
    Files.createDirectories(Path.of(System.getenv("SPARK_HOME"), "jars"));
    int masterPort = freePort();
    PROCESSES.add(start(target, "master", "org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", Integer.toString(masterPort),
        "--webui-port", Integer.toString(freePort())));
    awaitPort(masterPort);
    String master = "spark://127.0.0.1:" + masterPort;
    for (int i = 1; i <= 2; i++) {
      Path work = Files.createDirectories(target.resolve("spark-work/worker-" + i));
      PROCESSES.add(start(target, "worker-" + i, "org.apache.spark.deploy.worker.Worker", master,
          "--host", "127.0.0.1", "--cores", "1", "--memory", "1g",
          "--webui-port", Integer.toString(freePort()), "--work-dir", work.toString()));
    }
    spark =
        SparkSession.builder()
            .appName("spark-arrow-java standalone cluster test")
            .master(master)
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.executor.memory", "768m")
            .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
            .config("spark.executor.extraJavaOptions", String.join(" ", ClusterJobs.sparkJvmFlags()))
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (spark.sparkContext().getExecutorMemoryStatus().size() < 3) { // two executors + driver
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the two executors did not register; see target/*.log");
      }
      Thread.sleep(200);
    }
  }

  @AfterAll
  static void stopCluster() throws InterruptedException {
    if (spark != null) {
      spark.stop();
    }
    for (Process process : PROCESSES) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(PROCESSES).noneMatch(Process::isAlive);
  }

  @Test
  void aKilledWorkerDoesNotStopTheJob() throws Exception {
    ClusterJobs.survivesAKill(spark, 55, 5_000, () -> {
      Process worker = PROCESSES.get(1);
      worker.descendants().forEach(ProcessHandle::destroyForcibly); // its executor JVM
      worker.destroyForcibly();
    });
  }

  private static Process start(Path target, String name, String mainClass, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.addAll(ClusterJobs.sparkJvmFlags());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.redirectErrorStream(true);
    builder.redirectOutput(target.resolve("standalone-" + name + ".log").toFile());
    return builder.start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void awaitPort(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("the Master did not open port " + port);
  }
}
