/**
 * JMH benchmarks of the core's hot paths, each beside the JDK baseline it should be judged against. Run with
 * {@code java -jar benchmarks/target/benchmarks.jar} (see benchmarks/run.sh).
 */
package io.duplex.bench.jmh;
