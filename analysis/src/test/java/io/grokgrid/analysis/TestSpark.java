package io.grokgrid.analysis;

import org.apache.spark.sql.SparkSession;

/**
 * The one way this module's tests start Spark: local[2], no UI, loopback host, two shuffle
 * partitions. Each test class holds its own session in a static field and stops it in
 * {@code @AfterAll}. The same settings as {@code io.grokgrid.jobs.Sessions.local("local[2]", ...)},
 * which this module cannot call: jobs depends on analysis, not the other way round.
 */
final class TestSpark {
  private TestSpark() {}

  static SparkSession start(Class<?> owner) {
    return SparkSession.builder()
        .appName(owner.getSimpleName())
        .master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }
}
