/** Echo servers with identical behaviour, one per library, for benchmarks/run.sh. */
package io.duplex.bench.servers;
